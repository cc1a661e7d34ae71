import pytest
from django.core.exceptions import ValidationError

from enterprises.models import Enterprise
from enterprises.services import enterprise_create, enterprise_update
from tests import factories as f

pytestmark = pytest.mark.django_db

BAD_CHECK = "91512081MA62K0260F"  # correct format, wrong 18th character (should be E)


@pytest.fixture
def industry():
    return f.IndustryFactory(name="新材料")


def test_create_normalises_the_code(industry):
    enterprise = enterprise_create(name=" 自贡测试新材料有限公司 ", credit_code="91512081ma62k0260e",
                                   industry=industry)
    enterprise.refresh_from_db()
    assert enterprise.credit_code == "91512081MA62K0260E" and enterprise.name == "自贡测试新材料有限公司"


def test_wrong_check_character_is_refused_without_a_reason(industry):
    with pytest.raises(ValidationError) as info:
        enterprise_create(name="甲", credit_code=BAD_CHECK, industry=industry)
    assert "校验位错误" in str(info.value.message_dict["credit_code"])
    assert not Enterprise.objects.exists()


def test_admin_may_override_the_check_character_with_a_reason(industry):
    enterprise = enterprise_create(name="甲", credit_code=BAD_CHECK, industry=industry,
                                   check_override_reason="营业执照原件核实, 登记机关赋码如此")
    assert enterprise.credit_code == BAD_CHECK and enterprise.check_override_reason


@pytest.mark.parametrize("code", ["91512081MA62K0260", "91512081MA62K0I60E", "9151208IMA62K0260E"])
def test_the_format_is_never_overridable(industry, code):
    with pytest.raises(ValidationError):
        enterprise_create(name="甲", credit_code=code, industry=industry, check_override_reason="领导同意")
    assert not Enterprise.objects.exists()


def test_a_reason_is_dropped_when_the_code_is_valid(industry):
    enterprise = enterprise_create(name="甲", credit_code="91512081MA62K0260E", industry=industry,
                                   check_override_reason="多余的说明")
    assert enterprise.check_override_reason == ""


def test_duplicate_credit_code_is_refused(industry):
    enterprise_create(name="甲", credit_code="91512081MA62K0260E", industry=industry)
    with pytest.raises(ValidationError) as info:
        enterprise_create(name="乙", credit_code="91512081ma62k0260e", industry=industry)
    assert "credit_code" in info.value.message_dict
    assert Enterprise.objects.count() == 1


def test_update_validates_too(industry):
    enterprise = enterprise_create(name="甲", credit_code="91512081MA62K0260E", industry=industry)
    with pytest.raises(ValidationError):
        enterprise_update(enterprise=enterprise, credit_code=BAD_CHECK)
    enterprise_update(enterprise=enterprise, contact_name="王经理")
    enterprise.refresh_from_db()
    assert enterprise.contact_name == "王经理" and enterprise.credit_code == "91512081MA62K0260E"
