"""走访记录: what a commissioner learned on a visit and which policies were explained."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN, BUREAU, COMMISSIONER, ENTERPRISE, GROUP_LEADER, LEADER
from enterprises.models import Enterprise, EnterpriseMember

from .org import Commissioner
from .policies import Policy


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Commissioners and group leaders: their enterprises'; bureau, leaders, admin: all;
        an enterprise user: the visits to its own enterprise; anyone else: none."""
        if not user.is_authenticated:
            return self.none()
        if user.has_role(BUREAU, LEADER, ADMIN):
            return self
        from ..selectors.org import enterprise_visible_ids

        q = Q(pk__in=[])
        if user.has_role(COMMISSIONER, GROUP_LEADER):
            q |= Q(enterprise__in=enterprise_visible_ids(user)) | Q(commissioner__user=user)
        if user.has_role(ENTERPRISE):
            q |= Q(enterprise__in=EnterpriseMember.objects.filter(user=user).values("enterprise_id"))
        return self.filter(q)


class Visit(models.Model):
    commissioner = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="visits",
                                     verbose_name=_("专员"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="visits",
                                   verbose_name=_("企业"))
    visited_on = models.DateField(_("走访日期"))
    people_met = models.CharField(_("接待人员"), max_length=200, blank=True)
    notes = models.TextField(_("走访情况"), blank=True)
    output_value = models.DecimalField(_("产值(万元)"), max_digits=14, decimal_places=2, null=True,
                                       blank=True)
    employees = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    orders = models.DecimalField(_("在手订单(万元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    policies = models.ManyToManyField(Policy, blank=True, related_name="visits", verbose_name=_("宣讲政策"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "visited_on"], name="visit_enterprise_date")]

    def __str__(self):
        return f"{self.visited_on} {self.enterprise}"
