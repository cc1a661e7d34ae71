"""English UI: the Chinese msgids are translated in locale/en, and zh-hans (the default) is unchanged."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.approvals.factories import make_project

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"


def _english(client, user=None):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _page(client, url, user=None, lang=None):
    if lang:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- pages in English ------------------------------------------------------------------------


def test_login_page_in_english(client, db):
    html = _page(client, reverse("login"), lang="en")
    assert '<html lang="en">' in html
    for text in (
        "Sign in",
        "Username",
        "Password",
        "Hushangtong",
        "Construction project approval and enterprise service platform",
    ):
        assert text in html
    assert "用户名" not in html and "密码" not in html


def test_login_page_in_chinese_by_default(client, db):
    html = _page(client, reverse("login"))
    assert '<html lang="zh-hans">' in html
    for text in ("登录", "用户名", "密码", "护商通", "工程建设项目审批与企业服务平台"):
        assert text in html
    assert "Username" not in html


def test_set_language_view_switches_to_english(client, personas):
    client.force_login(personas.alice)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("notifications:inbox")}
    )
    assert response.status_code == 302
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "Message center" in html and "消息中心" not in html


def test_navbar_in_english(client, personas):
    html = _page(client, reverse("approvals:project_list"), user=personas.alice, lang="en")
    for text in (
        "My projects",
        "My demands",
        "Messages",
        "Sign out",
        "Working-day calendar",
        "Enterprise user",
    ):
        assert text in html, text
    for text in ("我的项目", "我的诉求", "退出登录", "工作日历"):
        assert text not in html, text


def test_navbar_in_chinese(client, personas):
    html = _page(client, reverse("approvals:project_list"), user=personas.alice)
    for text in ("我的项目", "我的诉求", "消息", "退出登录", "工作日历", "企业用户"):
        assert text in html, text
    assert "Sign out" not in html


@pytest.fixture
def project(personas):
    return make_project(actor=personas.alice, enterprise=personas.enterprise_a)


def test_project_list_and_detail_in_english(client, personas, project):
    client = _english(client, personas.alice)
    html = _page(client, reverse("approvals:project_list"))
    for text in ("Construction project", "New project", "Search", "Status", "Draft", "Total time"):
        assert text in html, text
    assert "工程建设项目</h1>" not in html
    html = _page(client, reverse("approvals:project_detail", args=[project.pk]))
    for text in (
        "Project information",
        "Developer",
        "Total investment",
        "Approval progress",
        "Submit for approval",
        "Project code " + project.code,
        "CNY 120,000,000.00",
        "Project initiation and land-use planning permit",
        "Stage 1",
    ):
        assert text in html, text
    for text in ("项目信息", "建设单位", "</i> 提交审批</button>", "审批进度"):
        assert text not in html, text


def test_project_pages_in_chinese(client, personas, project):
    client.force_login(personas.alice)
    html = _page(client, reverse("approvals:project_list"))
    for text in ("工程建设项目", "申报新项目", "草稿"):
        assert text in html, text
    html = _page(client, reverse("approvals:project_detail", args=[project.pk]))
    for text in (
        "项目信息",
        "建设单位",
        "提交审批",
        "审批进度",
        "项目代码 " + project.code,
        "120,000,000.00 元",
        "第1阶段",
    ):
        assert text in html, text
    assert "Project information" not in html


def test_stage_page_in_english(client, personas, project):
    stage = project.stages.order_by("order").first()
    html = _page(_english(client, personas.alice), reverse("approvals:stage_detail", args=[stage.pk]))
    for text in ("Clock", "Application checklist", "Acceptance date", "Not accepted"):
        assert text in html, text


def test_demand_list_in_english_and_chinese(client, personas):
    url = reverse("commissioners:demand_list")
    html = _page(client, url, user=personas.alice, lang="en")
    for text in ("My demands", "Raise a demand", "Search", "Open", "No demands"):
        assert text in html, text
    assert "我的诉求" not in html
    html = _page(client, url, lang="zh-hans")
    for text in ("我的诉求", "提出诉求", "暂无诉求"):
        assert text in html, text


def test_notifications_inbox_in_english_and_chinese(client, personas):
    url = reverse("notifications:inbox")
    html = _page(client, url, user=personas.alice, lang="en")
    for text in ("Message center", "0 unread", "No notifications."):
        assert text in html, text
    html = _page(client, url, lang="zh-hans")
    for text in ("消息中心", "0 条未读", "暂无通知。"):
        assert text in html, text


def test_dashboard_in_english_and_chinese(client, personas):
    url = reverse("dashboard:index")
    html = _page(client, url, user=personas.leo, lang="en")
    for text in (
        "Leaders&#x27; dashboard",
        "Leaders' dashboard",
        "Overdue demands",
        "Items awaiting supervision",
        "Enterprise satisfaction",
        "Longest-overdue approval stages",
    ):
        if "&#x27;" in text:
            continue
        assert text in html, text
    assert "领导驾驶舱" not in html
    html = _page(client, url, lang="zh-hans")
    for text in ("领导驾驶舱", "超期诉求", "待督办事项", "企业满意度"):
        assert text in html, text


def test_calendar_in_english_and_chinese(client, personas):
    url = reverse("workdays:year")
    html = _page(client, url, user=personas.alice, lang="en")
    assert "working-day calendar" in html and "working days in the year." in html
    assert "Statutory holiday" in html or "No holidays or adjusted working days for this year." in html
    assert "年工作日历" not in html
    html = _page(client, url, lang="zh-hans")
    assert "年工作日历" in html and "全年工作日" in html


# --- the catalogue ---------------------------------------------------------------------------


def _po_entries():
    """(msgctxt, msgid, [msgstr…]) for every entry of the .po, parsed with the standard library."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        fields, key = {}, None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                key = match[1]
                fields[key] = eval(match[2])  # noqa: S307 - a quoted .po string literal
            elif line.startswith('"') and key:
                fields[key] += eval(line)  # noqa: S307
        if "msgid" in fields and not block.lstrip().startswith("#~"):
            strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries.append((fields.get("msgctxt"), fields["msgid"], strs))
    return entries


def test_every_msgid_is_translated():
    entries = _po_entries()
    assert len(entries) > 500
    untranslated = [msgid for _, msgid, strs in entries if not all(s.strip() for s in strs)]
    # "个" is a counting unit shown after KPI numbers: in English it is deliberately a single space.
    assert untranslated == ["个"], untranslated
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_compiled_catalogue_matches_the_po():
    assert MO.exists(), "run manage.py compilemessages and commit locale/en/LC_MESSAGES/django.mo"
    catalogue = gettext.GNUTranslations(MO.open("rb"))
    entries = _po_entries()
    for ctxt, msgid, strs in entries:
        if len(strs) == 1:
            got = catalogue.pgettext(ctxt, msgid) if ctxt else catalogue.gettext(msgid)
            assert got == strs[0], f"django.mo is stale for {msgid!r}: run compilemessages"
    assert catalogue.gettext("已受理") == "Accepted"
    assert catalogue.gettext("委领导") == "Committee leader"


def test_placeholders_survive_translation():
    for _, msgid, strs in _po_entries():
        wanted = sorted(re.findall(r"%\(\w+\)[sd]", msgid))
        for s in strs:
            assert sorted(re.findall(r"%\(\w+\)[sd]", s)) == wanted, msgid
