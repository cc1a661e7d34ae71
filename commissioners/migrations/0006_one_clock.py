"""One clock for a demand's node and a working group's share (notifications.clocks.WorkdayClock):
the demand's node_* fields take the share's names. A rename, so every stored value is kept."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("commissioners", "0005_escalated_label")]

    operations = [
        migrations.RenameField("demand", "node_started_on", "started_on"),
        migrations.RenameField("demand", "node_limit_workdays", "limit_workdays"),
        migrations.RenameField("demand", "node_warning_threshold", "warning_threshold"),
        migrations.AlterField("demand", "started_on",
                              models.DateField(blank=True, null=True, verbose_name="计时开始日")),
        migrations.AlterField("demand", "limit_workdays",
                              models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="时限(工作日)")),
        migrations.AlterField("demand", "due_on", models.DateField(blank=True, null=True, verbose_name="到期日")),
        migrations.AlterField("demanddispatch", "started_on",
                              models.DateField(blank=True, null=True, verbose_name="计时开始日")),
        migrations.AlterField("demanddispatch", "limit_workdays",
                              models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="时限(工作日)")),
        migrations.AlterField("demanddispatch", "due_on", models.DateField(blank=True, null=True, verbose_name="到期日")),
    ]
