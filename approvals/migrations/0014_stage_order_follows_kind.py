from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """A stage's order is its kind's place (STAGE_ORDER): one stage per (project, order) is then one
    per (project, kind), held by a CHECK instead of a second unique index that every stage update
    wrote an entry in (a calendar notice rewrites ~90,000 stages at 1M). The CHECK is added first,
    so neither guarantee is ever missing."""

    dependencies = [
        ('approvals', '0013_stage_green_policy_due'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='approvalstage',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'land_planning'), ('order', 1)), models.Q(('kind', 'engineering'), ('order', 2)), models.Q(('kind', 'construction'), ('order', 3)), models.Q(('kind', 'acceptance'), ('order', 4)), _connector='OR'), name='stage_order_follows_kind'),
        ),
        migrations.RemoveConstraint(
            model_name='approvalstage',
            name='one_stage_per_kind',
        ),
    ]
