"""The weekly report the leaders' committee reads before it meets (one per ISO week)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    week = models.CharField(_("周次"), max_length=8, unique=True, help_text=_("ISO 周, 如 2026-W48"))
    start = models.DateField(_("起始日"))
    end = models.DateField(_("截止日"))
    file = models.FileField(_("报表文件"), upload_to="reports/", max_length=200)
    built_at = models.DateTimeField(_("生成时间"), auto_now=True)

    class Meta:
        verbose_name = _("周报")
        verbose_name_plural = _("周报")
        ordering = ["-start"]

    def __str__(self):
        return f"周报 {self.week}"


class SummaryRow(models.Model):
    """The overview's figures counted ahead (dashboard.summary.summary_refresh), one row per day ×
    dimensions × key: the flows of every day before the refresh's day, and the states as they
    stood at the refresh (day empty). Rebuilt whole, set-based; nothing else writes it.

    A row counts under one value of each dimension. An enterprise served by two commissioner
    groups, or a demand belonging to two working groups, has a row under each, besides the row
    under 0 / "" (every group), which the figures without that filter read.
    """

    family = models.CharField(max_length=12)  # project, stage, demand, share, stage_now, demand_now, node
    month = models.BooleanField(default=False)  # a whole month's rows summed, `day` its first day
    day = models.DateField(null=True)
    category = models.CharField(max_length=30, blank=True)  # ProjectCategory.code
    industry_id = models.IntegerField(null=True)  # the enterprise's; no foreign key: a snapshot
    list_status = models.CharField(max_length=20, blank=True)
    commissioner_group = models.IntegerField(default=0)  # CommissionerGroup pk, 0: every group
    working_group = models.CharField(max_length=30, blank=True)  # WorkingGroup.code, "": every group
    share_group = models.CharField(max_length=30, blank=True)  # a share's WorkingGroup.code (shares only)
    key = models.CharField(max_length=30)  # a status, a stage kind, a warning level, a node
    # The working days a row's items took, for the families whose median is read from their
    # distribution (node: a demand node's span); 0 for the others.
    spread = models.IntegerField(default=0)
    n = models.IntegerField(default=0)
    major = models.IntegerField(default=0)
    amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    used = models.BigIntegerField(default=0)
    budget = models.BigIntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    unsatisfied = models.IntegerField(default=0)
    unrated = models.IntegerField(default=0)
    urgent = models.IntegerField(default=0)
    attention = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["commissioner_group", "working_group", "month", "day"],
                                name="summary_group_day"),
                   # a section reads its own families (thousands of rows of working days used)
                   models.Index(fields=["family", "commissioner_group", "working_group", "month", "day"],
                                name="summary_family_day")]

    def __str__(self):
        return f"{self.family} {self.day or '当前'} {self.key}: {self.n}"


class SummaryRefresh(models.Model):
    """When SummaryRow was last rebuilt (one row, pk 1): the flows of the days before `cut` and
    the states as of `as_of` come from the summary, the days from `cut` on are counted live."""

    as_of = models.DateTimeField(null=True)
    cut = models.DateField(null=True)
    rows = models.IntegerField(default=0)
    seconds = models.FloatField(default=0)

    def __str__(self):
        return f"统计汇总截至 {self.as_of}"


class SummaryWorkday(models.Model):
    """The working-day calendar as a table the summary's SQL joins (rebuilt with it, from
    workdays, so it counts as the clocks count): `through` is the working days from the first
    day stored up to `day`, `next_through` the same for the first working day on or after `day`.

    workdays_between(a, b) = through(b) - through(a); b <= add_workdays(a, n) exactly when
    next_through(b) - through(a) <= n."""

    day = models.DateField(primary_key=True)
    through = models.IntegerField()
    next_through = models.IntegerField()

    def __str__(self):
        return f"{self.day}: {self.through}"
