import datetime

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    """The sweep's yellow step reads, per policy, the green running stages due within its
    threshold (approvals.sweep._yellow_due), not every running stage of the warning window."""

    dependencies = [
        ('approvals', '0012_drop_stage_fk_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='approvalstage',
            index=models.Index(models.F('policy'), django.db.models.functions.comparison.Coalesce('due_on', models.Value(datetime.date(9999, 12, 31))), condition=models.Q(('status__in', ['accepted', 'in_review']), ('warning_level', 'green')), name='stage_green_policy_due'),
        ),
    ]
