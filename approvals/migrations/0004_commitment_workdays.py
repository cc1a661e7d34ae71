from django.db import migrations, models


def backfill(apps, schema_editor):
    """Stages accepted with a commitment before the field existed: the days granted are the
    working days from acceptance to the stored date, counted with the calendar as stored now."""
    from workdays import workdays_between

    ApprovalStage = apps.get_model("approvals", "ApprovalStage")
    stages = ApprovalStage.objects.filter(commitment_due_on__isnull=False, accepted_on__isnull=False)
    for stage in stages.only("pk", "accepted_on", "commitment_due_on"):
        stage.commitment_workdays = max(workdays_between(stage.accepted_on, stage.commitment_due_on), 1)
        stage.save(update_fields=["commitment_workdays"])


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0003_escalated_label"),
        ("workdays", "0002_notice_load"),
    ]

    operations = [
        migrations.AddField(
            model_name="approvalstage",
            name="commitment_workdays",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="容缺承诺期限(工作日)"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
