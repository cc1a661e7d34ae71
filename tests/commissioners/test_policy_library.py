"""The policy library: the bureau adds, commissioners pick, enterprises see what applies to them."""

import datetime as dt

import pytest
from django.urls import reverse

from commissioners.models import Policy
from commissioners.services import DemandError, DemandPermissionError, policy_create

from .conftest import on, pdf
from .factories_demands import PolicyFactory


@pytest.fixture
def library(personas):
    a_industry = personas.enterprise_a.industry
    b_industry = personas.enterprise_b.industry
    return {
        "all": PolicyFactory(title="全行业政策"),
        "a": PolicyFactory(title="新材料政策", industries=[a_industry]),
        "b": PolicyFactory(title="电子信息政策", industries=[b_industry]),
        "both": PolicyFactory(title="两行业政策", industries=[a_industry, b_industry]),
        "expired": PolicyFactory(title="过期政策", valid_from=dt.date(2025, 1, 1),
                                 valid_to=dt.date(2025, 12, 31)),
        "future": PolicyFactory(title="未来政策", valid_from=dt.date(2027, 1, 1)),
    }


def test_enterprise_user_sees_current_policies_of_its_industry(client, personas, library):
    client.force_login(personas.alice)
    with on(2026, 9, 30):
        page = client.get(reverse("commissioners:policy_list")).context["page"]
        assert {p.title for p in page} == {"全行业政策", "新材料政策", "两行业政策"}
        assert client.get(reverse("commissioners:policy_detail", args=[library["b"].pk])).status_code == 404
        assert client.get(reverse("commissioners:policy_detail", args=[library["a"].pk])).status_code == 200


def test_officials_see_the_whole_library_and_can_filter(client, personas, library):
    client.force_login(personas.carol)
    with on(2026, 9, 30):
        assert client.get(reverse("commissioners:policy_list")).context["page"].paginator.count == 6
        query = f"?industry={personas.enterprise_b.industry_id}&current=on"
        url = reverse("commissioners:policy_list") + query
        page = client.get(url).context["page"]
    assert {p.title for p in page} == {"全行业政策", "电子信息政策", "两行业政策"}


def test_bureau_adds_a_policy_with_a_file(personas, settings):
    policy = policy_create(actor=personas.betty, title=" 新政策 ", issuing_body="管委会",
                           valid_from=dt.date(2026, 1, 1), industries=[personas.enterprise_a.industry],
                           file=pdf("政策原文.pdf"))
    assert policy.title == "新政策" and policy.file_name == "政策原文.pdf"
    assert policy.file.name.startswith("policies/") and "政策原文" not in policy.file.name


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"title": " "}, "请填写政策名称"),
    ({"valid_to": dt.date(2025, 1, 1)}, "失效日期不能早于生效日期"),
    ({"link": ""}, "请填写原文链接或上传政策文件"),
])
def test_bad_policy_input_is_refused(personas, kwargs, message):
    data = {"title": "政策", "issuing_body": "管委会", "valid_from": dt.date(2026, 1, 1),
            "link": "https://example.gov.cn", **kwargs}
    with pytest.raises(DemandError, match=message):
        policy_create(actor=personas.betty, **data)
    assert not Policy.objects.exists()


def test_only_the_bureau_or_an_admin_adds_policies(personas):
    with pytest.raises(DemandPermissionError):
        policy_create(actor=personas.carol, title="x", issuing_body="y", valid_from=dt.date(2026, 1, 1),
                      link="https://example.gov.cn")


def test_policy_file_downloads_only_for_those_who_see_the_policy(client, personas):
    policy = policy_create(actor=personas.betty, title="电子信息专项", issuing_body="管委会",
                           valid_from=dt.date(2026, 1, 1), industries=[personas.enterprise_b.industry],
                           file=pdf())
    url = reverse("commissioners:policy_file", args=[policy.pk])
    client.force_login(personas.bob)
    assert client.get(url).status_code == 200
    client.force_login(personas.alice)
    assert client.get(url).status_code == 404
