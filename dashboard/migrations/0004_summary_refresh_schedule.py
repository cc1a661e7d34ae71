from django.db import migrations

TASK = "dashboard.summary_refresh"

# The overview counts the days since the summary's last refresh live, by finished_on and
# submitted_on: without an index each request would scan the stage or project table. The
# indexes serve the dashboard's reads only, so they are created here (IF NOT EXISTS: the same
# SQL on SQLite and PostgreSQL); approvals may adopt them in its Meta.indexes.
INDEXES = [
    ("dashboard_stage_finished_on", "approvals_approvalstage", "finished_on"),
    ("dashboard_project_submitted_on", "approvals_project", "submitted_on"),
]


def schedule(apps, schema_editor):
    """Every five minutes; editable in the admin (django-celery-beat)."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(name=TASK, defaults={"task": TASK, "interval": every})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0003_summary"),
        ("approvals", "0009_stage_no_default_ordering"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        *[migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column}) WHERE {column} IS NOT NULL",
                            f"DROP INDEX IF EXISTS {name}") for name, table, column in INDEXES],
        migrations.RunPython(schedule, unschedule),
    ]
