# A summary built before 0006 has no node-span, answer, approved-stage or finished-project rows
# (nor the SummaryWorkday calendar), yet its refresh row would tell the command centre's sections
# to read them: 诉求办理's node table and 同等对待's answer times would show nothing and 承诺兑现
# count only the days since the old cut, until the next refresh (five minutes with beat running,
# never without). The refresh is forgotten here, so every figure is counted live until the beat's
# next summary_refresh() builds the summary with its new families.

from django.db import migrations


def forget_refresh(apps, schema_editor):
    apps.get_model("dashboard", "SummaryRefresh").objects.update(as_of=None, cut=None)


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0007_summary_family_day'),
    ]

    operations = [
        migrations.RunPython(forget_refresh, migrations.RunPython.noop),
    ]
