from django.db import migrations, models


class Migration(migrations.Migration):
    """The sweep's yellow steps read the green clocks one due_on range per stored threshold, and
    the thresholds themselves with a loose index scan (commissioners.sweep._sweep)."""

    dependencies = [
        ('commissioners', '0009_answer_attachments'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='demand',
            index=models.Index(condition=models.Q(models.Q(('status', 'closed'), _negated=True), ('current_node__in', ['accept', 'review', 'dispatch', 'rate']), ('warning_level', 'green')), fields=['warning_threshold', 'due_on'], name='demand_green_threshold'),
        ),
        migrations.AddIndex(
            model_name='demanddispatch',
            index=models.Index(condition=models.Q(('status__in', ('pending', 'in_progress')), ('warning_level', 'green')), fields=['warning_threshold', 'due_on'], name='dispatch_green_threshold'),
        ),
    ]
