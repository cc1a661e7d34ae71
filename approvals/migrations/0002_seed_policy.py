"""The reform's defaults: three categories (60/50/24 working days), seven departments, and
per category × stage the budget, the reviewing departments and the checklist. All editable in
the admin afterwards."""

from django.db import migrations

CATEGORIES = [
    # code, name, limit, description, budgets for the four stages (they add up to the limit)
    ("government", "政府投资项目", 60, "政府投资的工程建设项目", (20, 15, 10, 15)),
    ("social", "一般社会投资项目", 50, "一般社会投资的工程建设项目", (15, 12, 8, 15)),
    ("small", "小型社会投资及园区项目", 24,
     "小型社会投资项目、带方案出让地块的社会投资项目、园区内工业、仓储及生产配套项目", (6, 6, 4, 8)),
]
# Warning threshold (remaining working days at which a stage turns yellow), per budget size.
THRESHOLD = {20: 5, 15: 4, 12: 3, 10: 3, 8: 2, 6: 2, 4: 1}

DEPARTMENTS = [
    ("fgw", "发改"), ("zrzy", "自然资源和规划"), ("zj", "住建"), ("sthj", "生态环境"),
    ("yjgl", "应急管理"), ("xf", "消防"), ("rf", "人防"),
]

STAGES = [
    ("land_planning", ["fgw", "zrzy"], [
        ("approval_report", "项目审批(核准、备案)申请文件", True),
        ("land_preexam", "用地预审与选址意见申请表", True),
        ("site_plan", "项目选址红线图", False),
    ]),
    ("engineering", ["zrzy", "sthj", "rf"], [
        ("design_scheme", "建设工程设计方案", True),
        ("eia", "环境影响评价文件", False),
        ("civil_defence", "人防工程设计说明", False),
    ]),
    ("construction", ["zj", "xf", "yjgl"], [
        ("drawing_review", "施工图审查合格书", True),
        ("contract", "施工合同及中标通知书", True),
        ("safety_plan", "安全生产保障措施", False),
    ]),
    ("acceptance", ["zj", "zrzy", "xf", "rf"], [
        ("completion_report", "竣工验收报告", True),
        ("as_built", "竣工图(CAD)", True),
        ("fire_acceptance", "消防验收资料", False),
    ]),
]


def seed(apps, schema_editor):
    Category = apps.get_model("approvals", "ProjectCategory")
    Department = apps.get_model("approvals", "Department")
    Policy = apps.get_model("approvals", "StagePolicy")
    Requirement = apps.get_model("approvals", "MaterialRequirement")
    departments = {}
    for order, (code, name) in enumerate(DEPARTMENTS):
        departments[code], _ = Department.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name, limit, description, budgets) in enumerate(CATEGORIES):
        category, _ = Category.objects.get_or_create(
            code=code, defaults={"name": name, "limit_workdays": limit, "description": description, "order": order})
        for (kind, department_codes, requirements), budget in zip(STAGES, budgets, strict=True):
            policy, created = Policy.objects.get_or_create(
                category=category, kind=kind,
                defaults={"budget_workdays": budget, "warning_threshold_workdays": THRESHOLD[budget]})
            if not created:
                continue
            policy.departments.set([departments[c] for c in department_codes])
            Requirement.objects.bulk_create([
                Requirement(policy=policy, key=key, name=label, is_key=is_key, order=index)
                for index, (key, label, is_key) in enumerate(requirements)
            ])


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
