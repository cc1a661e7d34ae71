"""Content-Security-Policy (issue 15): every page works under a policy with no inline script or
style, checked on the templates and in a real browser."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"), "inline <script>"),
    (re.compile(r"<style[\s>]"), "<style> element"),
    (re.compile(r"\sstyle=\""), "style=\"…\" attribute"),
    (re.compile(r"\son[a-z]+=\""), "on…=\"…\" handler"),
    (re.compile(r"javascript:"), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style():
    found = [f"{path.relative_to(TEMPLATES)}:{number}: {what}"
             for path in sorted(TEMPLATES.rglob("*.html"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             for pattern, what in INLINE if pattern.search(line)]
    assert found == []


def test_every_response_carries_the_policy(client, db):
    policy = client.get("/login/")["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                      "object-src 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


# --- in the browser ------------------------------------------------------------------------------

@pytest.fixture
def csp_world(personas, settings, tmp_path):
    from approvals import services as approvals
    from commissioners.models import DemandCategory
    from commissioners.services import demand_submit
    from tests import factories as f
    from tests.approvals import factories as af

    settings.MEDIA_ROOT = tmp_path / "media"
    for department in af.all_departments():
        department.members.add(personas.adam)
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code="A-CSP")
    af.upload_materials(af.stage_of(project, 1), personas.alice)
    approvals.project_submit(project=project, actor=personas.alice)
    stage = approvals.stage_accept(stage=af.stage_of(project, 1), actor=personas.adam)
    category = DemandCategory.objects.filter(is_active=True).order_by("order", "id").first()
    demand = demand_submit(enterprise=personas.enterprise_a, actor=personas.alice, category=category,
                           title="用电增容")
    f.UserFactory  # noqa: B018 - the personas' factories made everyone else
    return {"project": project, "stage": stage, "demand": demand}


def _pages(world, personas):
    p, s, d, e = world["project"].pk, world["stage"].pk, world["demand"].pk, personas.enterprise_a.pk
    return {
        None: ["/login/"],
        "alice": ["/projects/", f"/projects/{p}/", f"/projects/stages/{s}/",
                  f"/projects/stages/{s}/notice/acceptance/", "/service/demands/", f"/service/demands/{d}/",
                  "/calendar/", "/notifications/", "/account/tokens/", "/projects/new/"],
        "adam": ["/projects/queue/", f"/projects/stages/{s}/"],
        "carol": ["/service/my-enterprises/", "/service/visits/new/", f"/enterprises/{e}/",
                  "/service/policies/"],
        "betty": ["/service/demands/queue/", "/enterprises/"],
        "leo": ["/dashboard/", "/notifications/escalations/", "/dashboard/reports/"],
        "root": ["/admin/", "/admin/audit/auditentry/", "/admin/approvals/project/",
                 f"/admin/approvals/project/{p}/change/", "/admin/axes/accessattempt/", "/api/docs/"],
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_raise_no_csp_violation(live_server, page, personas, csp_world):
    from tests.factories import PASSWORD

    violations = []
    page.on("console", lambda msg: violations.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('Content Security Policy violation: ' + e.violatedDirective"
                         " + ' ' + e.blockedURI));")
    visited = 0
    for persona, urls in _pages(csp_world, personas).items():
        page.context.clear_cookies()
        if persona:
            page.goto(f"{live_server.url}/login/")
            page.fill("#id_username", persona)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
        for url in urls:
            response = page.goto(f"{live_server.url}{url}", wait_until="networkidle")
            assert response.status == 200, (persona, url, response.status)
            assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()} or \
                "content-security-policy" in response.headers
            visited += 1
    assert visited > 25
    assert violations == []
