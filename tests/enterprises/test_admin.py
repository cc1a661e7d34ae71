"""The enterprise admin: the credit-code override and the import page."""

import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from tests import factories as f

pytestmark = pytest.mark.django_db
BAD_CHECK = "91512081MA62K0260F"


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.root)
    return client


def add(admin_client, personas, **data):
    payload = {"name": "丙公司", "credit_code": BAD_CHECK, "check_override_reason": "",
               "industry": personas.enterprise_a.industry_id, "list_status": "above_scale",
               "members-TOTAL_FORMS": 0, "members-INITIAL_FORMS": 0}
    return admin_client.post(reverse("admin:enterprises_enterprise_add"), {**payload, **data})


def test_wrong_check_character_is_refused_in_the_admin(admin_client, personas):
    response = add(admin_client, personas)
    assert response.status_code == 200 and "校验位错误" in response.content.decode()
    assert not Enterprise.objects.filter(name="丙公司").exists()


def test_admin_overrides_the_check_character_with_a_reason(admin_client, personas):
    response = add(admin_client, personas, check_override_reason="营业执照原件核实",
                   credit_code=BAD_CHECK.lower())
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name="丙公司")
    assert enterprise.credit_code == BAD_CHECK and enterprise.check_override_reason == "营业执照原件核实"


def test_the_format_cannot_be_overridden_in_the_admin(admin_client, personas):
    response = add(admin_client, personas, check_override_reason="领导同意", credit_code="91512081MA62K0I60E")
    assert response.status_code == 200 and "不允许的字符" in response.content.decode()


def test_import_and_export_pages_load(admin_client):
    f.EnterpriseFactory()
    assert admin_client.get(reverse("admin:enterprises_enterprise_import")).status_code == 200
    assert admin_client.get(reverse("admin:enterprises_enterprise_changelist")).status_code == 200


def test_the_import_error_heading_reads_correct_chinese():
    """django-import-export's own catalogue garbles it (某些行验数据证失败); ours overrides it."""
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Some rows failed to validate") == "部分行数据校验未通过"
        assert translation.gettext("Non field specific") == "整行"
