import random
from decimal import Decimal

from django.db.models import Sum

from approvals.models import Project
from enterprises.models import ListStatus
from portal.demo import approvals as demo
from tests import factories as f


def test_demo_step_seeds_18_major_projects_worth_5_4_billion_and_is_idempotent(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for n in range(20):
        f.EnterpriseFactory(list_status=ListStatus.ATTRACTED if n < 18 else ListStatus.ABOVE_SCALE)
    calls = []
    demo.step(rng=random.Random("2026:approvals"), progress=lambda *args: calls.append(args))
    assert Project.objects.count() == len(demo.MAJOR) + len(demo.ORDINARY)
    majors = Project.objects.filter(is_major=True)
    assert majors.count() == 18
    assert majors.aggregate(total=Sum("signed_amount"))["total"] == Decimal("5400000000")
    statuses = set(Project.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "in_approval", "completed", "rejected", "withdrawn"} <= statuses
    assert calls[-1] == ("工程建设项目", 30, 30)
    before = Project.objects.count()
    demo.step(rng=random.Random("2026:approvals"), progress=lambda *args: None)
    assert Project.objects.count() == before
