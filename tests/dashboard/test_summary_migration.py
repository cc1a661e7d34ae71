"""dashboard 0008: a summary built before its new families is forgotten on deploy, so the sections
count live until the next refresh instead of reading families the old refresh never wrote."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE, AFTER = ("dashboard", "0007_summary_family_day"), ("dashboard", "0008_summary_refresh_cleared")


@pytest.mark.django_db(transaction=True)
def test_a_refresh_from_before_the_new_families_is_forgotten():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps.get_model("dashboard", "SummaryRefresh")
    old.objects.update_or_create(pk=1, defaults={"as_of": timezone.now(), "cut": dt.date(2026, 12, 1),
                                                 "rows": 9})
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        new = executor.loader.project_state([AFTER]).apps.get_model("dashboard", "SummaryRefresh")
        assert list(new.objects.values_list("as_of", "cut", "rows")) == [(None, None, 9)]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
