"""Seed the demand categories (one per working group, plus 其他) and the node time limits.

Limits are the reform's suggested defaults, in working days: the commissioner accepts in 1,
the group leader reviews in 1, the bureau dispatches in 1, the working group answers in 5
(urgent: 2), the enterprise rates in 3. Admins edit them in DemandPolicy.
"""

from django.db import migrations

CATEGORIES = [
    ("talent", "人才服务", "talent"),
    ("finance_tax", "财税金融", "finance_tax"),
    ("legal", "法律稳定", "legal"),
    ("land_planning", "土地规划", "land_planning"),
    ("safety_env", "安全环保", "safety_env"),
    ("factors", "生产要素保障(水电气、物流、用工)", "factors"),
    ("approval", "行政审批", "approval"),
    ("other", "其他", ""),
]

# node: (limit, warning threshold) for normal, then urgent
LIMITS = {
    "accept": ((1, 0), (1, 0)),
    "review": ((1, 0), (1, 0)),
    "dispatch": ((1, 0), (1, 0)),
    "answer": ((5, 2), (2, 1)),
    "rate": ((3, 1), (3, 1)),
}


def seed(apps, schema_editor):
    DemandCategory = apps.get_model("commissioners", "DemandCategory")
    DemandPolicy = apps.get_model("commissioners", "DemandPolicy")
    for order, (code, name, group_code) in enumerate(CATEGORIES):
        DemandCategory.objects.get_or_create(
            code=code, defaults={"name": name, "working_group_code": group_code, "order": order})
    for node, (normal, urgent) in LIMITS.items():
        for urgency, (limit, threshold) in (("normal", normal), ("urgent", urgent)):
            DemandPolicy.objects.get_or_create(
                node=node, urgency=urgency, defaults={"limit_workdays": limit, "warning_threshold": threshold})


class Migration(migrations.Migration):
    dependencies = [("commissioners", "0002_demands_visits_policies")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
