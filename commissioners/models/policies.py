"""惠企政策: the policy library commissioners explain on visits and enterprises read."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import ENTERPRISE
from enterprises.models import Industry
from enterprises.selectors import enterprise_of


def _policy_file_path(instance, filename):
    return f"policies/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class PolicyQuerySet(models.QuerySet):
    def current(self, today):
        return self.filter(Q(valid_from__lte=today), Q(valid_to__isnull=True) | Q(valid_to__gte=today))

    def for_industry(self, industry_id):
        """Policies naming the industry, or naming none (they apply to every industry)."""
        through = Policy.industries.through.objects
        return self.filter(
            ~Exists(through.filter(policy=OuterRef("pk")))
            | Exists(through.filter(policy=OuterRef("pk"), industry_id=industry_id))
        )

    def visible_to(self, user, today):
        """Officials read the whole library; an enterprise user what applies to it now."""
        if not user.is_authenticated:
            return self.none()
        if user.role_names - {ENTERPRISE}:
            return self
        enterprise = enterprise_of(user)
        if enterprise is None:
            return self.none()
        return self.current(today).for_industry(enterprise.industry_id)


class Policy(models.Model):
    title = models.CharField(_("政策名称"), max_length=200)
    issuing_body = models.CharField(_("发文单位"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    summary = models.TextField(_("政策要点"), blank=True)
    industries = models.ManyToManyField(Industry, blank=True, related_name="policies",
                                        verbose_name=_("适用行业"), help_text=_("不选表示适用全部行业"))
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    link = models.URLField(_("原文链接"), blank=True)
    file = models.FileField(_("政策文件"), upload_to=_policy_file_path, max_length=200, blank=True)
    file_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("录入人"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("惠企政策")
        verbose_name_plural = _("惠企政策")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__isnull=True)
                                   | Q(valid_to__gte=models.F("valid_from")),
                                   name="policy_valid_to_after_from"),
        ]

    def __str__(self):
        return self.title
