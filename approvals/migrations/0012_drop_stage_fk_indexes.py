import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Two indexes no read uses, written on every stage update that is not HOT (a calendar notice
# rewrites ~100,000 stages at 1M, each touching every index): the FK indexes on policy (the queue
# reads stage_queue_policy) and accepted_by (nothing looks stages up by who accepted them). Only
# the indexes are dropped: the foreign keys stay, so no constraint is dropped and re-validated
# over every row. Deleting a policy (PROTECT) or a user (SET NULL) now scans the stages.
INDEXES = {
    "approvals_approvalstage_accepted_by_id_45101427": "accepted_by_id",
    "approvals_approvalstage_policy_id_66fc5bcd": "policy_id",
}


class Migration(migrations.Migration):

    dependencies = [
        ('approvals', '0011_queue_rank_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"',
                                  f'CREATE INDEX "{name}" ON "approvals_approvalstage" ("{column}")')
                for name, column in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='approvalstage',
                    name='accepted_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='受理人'),
                ),
                migrations.AlterField(
                    model_name='approvalstage',
                    name='policy',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='stages', to='approvals.stagepolicy', verbose_name='审批规则'),
                ),
            ],
        ),
    ]
