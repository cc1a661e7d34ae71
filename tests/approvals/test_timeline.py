from django.template import Context, Template

from approvals import selectors, services

from . import factories as af


def test_timeline_items_are_dicts_for_visible_projects(personas, approvers, project_a):
    af.upload_materials(af.stage_of(project_a, 1), personas.alice)
    services.project_submit(project=project_a, actor=personas.alice)
    items = selectors.project_timeline_items(enterprise=personas.enterprise_a, user=personas.carol)
    assert {"date", "kind", "title", "url"} <= set(items[0])
    assert any("提交审批" in item["title"] for item in items)
    assert all(item["url"] == f"/projects/{project_a.pk}/" for item in items)
    assert selectors.project_timeline_items(enterprise=personas.enterprise_a, user=personas.bob) == []


def test_enterprise_projects_tag(personas, approvers, project_a):
    template = Template("{% load approvals_tags %}{% enterprise_projects enterprise user %}")
    html = template.render(Context({"enterprise": personas.enterprise_a, "user": personas.alice}))
    assert project_a.name in html and "工程建设项目" in html
    html = template.render(Context({"enterprise": personas.enterprise_a, "user": personas.carol}))
    assert project_a.name not in html  # a draft is the enterprise's own
