"""Seeded policy, and the rule that a category's four stage budgets add up to its limit."""

import pytest
from django.urls import reverse

from approvals import services
from approvals.errors import ApprovalError
from approvals.models import Department, ProjectCategory, StageKind, StagePolicy


def test_seeded_categories_and_departments(db):
    limits = dict(ProjectCategory.objects.values_list("code", "limit_workdays"))
    assert limits == {"government": 60, "social": 50, "small": 24}
    budgets = {
        code: [StagePolicy.objects.get(category__code=code,
                                       kind=kind).budget_workdays for kind in StageKind.values]
        for code in limits
    }
    assert budgets == {"government": [20, 15, 10, 15], "social": [15, 12, 8, 15], "small": [6, 6, 4, 8]}
    assert set(Department.objects.values_list("name", flat=True)) == {
        "发改", "自然资源和规划", "住建", "生态环境", "应急管理", "消防", "人防"}
    assert all(policy.departments.exists() and policy.requirements.filter(is_key=True).exists()
               for policy in StagePolicy.objects.all())


def test_budgets_that_do_not_add_up_are_refused(db):
    # The admin's category page saves through this check (test_admin_refuses_... below); the
    # uncalled category_update_budgets service that also used it is gone.
    with pytest.raises(ApprovalError, match="四个阶段时限之和为 25 个工作日, 应等于类别时限 24 个工作日"):
        services.check_category_budgets(limit=24, budgets=[7, 6, 6, 6])
    with pytest.raises(ApprovalError, match="须为四个审批阶段各设一条审批规则"):
        services.check_category_budgets(limit=24, budgets=[12, 12])
    services.check_category_budgets(limit=25, budgets=[7, 6, 6, 6])


def _admin_post(category):
    data = {"name": category.name, "code": category.code, "limit_workdays": category.limit_workdays,
            "supervision_reply_workdays": category.supervision_reply_workdays,
            "description": category.description, "order": category.order,
            "policies-TOTAL_FORMS": "4", "policies-INITIAL_FORMS": "4", "policies-MIN_NUM_FORMS": "0",
            "policies-MAX_NUM_FORMS": "4"}
    for index, policy in enumerate(category.policies.order_by("id")):
        data.update({
            f"policies-{index}-id": policy.pk, f"policies-{index}-category": category.pk,
            f"policies-{index}-kind": policy.kind,
            f"policies-{index}-budget_workdays": policy.budget_workdays,
            f"policies-{index}-warning_threshold_workdays": policy.warning_threshold_workdays,
            f"policies-{index}-departments": [d.pk for d in policy.departments.all()],
        })
    return data


def test_admin_refuses_a_category_whose_budgets_do_not_add_up(client, personas):
    client.force_login(personas.root)
    category = ProjectCategory.objects.get(code="government")
    url = reverse("admin:approvals_projectcategory_change", args=[category.pk])
    data = _admin_post(category)
    data["limit_workdays"] = 55
    response = client.post(url, data)
    assert response.status_code == 200
    assert "四个阶段时限之和为 60 个工作日, 应等于类别时限 55 个工作日" in response.content.decode()
    assert ProjectCategory.objects.get(pk=category.pk).limit_workdays == 60
    data["limit_workdays"] = 60
    assert client.post(url, data).status_code == 302


def test_admin_pages_open(client, personas, project_a):
    client.force_login(personas.root)
    for name in ("projectcategory", "department", "project", "stagepolicy", "stageevent", "clockpause"):
        assert client.get(reverse(f"admin:approvals_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:approvals_project_change", args=[project_a.pk])).status_code == 200


def test_admin_action_withdraws_through_the_service(client, personas, project_a):
    client.force_login(personas.root)
    client.post(reverse("admin:approvals_project_changelist"),
                {"action": "withdraw_projects", "_selected_action": [project_a.pk]})
    project_a.refresh_from_db()
    assert project_a.status == "withdrawn"
    assert project_a.events.filter(action="project_withdrawn").exists()
