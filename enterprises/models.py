from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import normalize_uscc, validate_uscc_format


class Industry(models.Model):
    name = models.CharField(_("行业"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ListStatus(models.TextChoices):
    ABOVE_SCALE = "above_scale", _("四上企业")
    OUTSIDE = "outside", _("名单外企业")
    ATTRACTED = "attracted", _("招商引资企业")


class EnterpriseQuerySet(models.QuerySet):
    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(models.Q(name__icontains=text) | models.Q(credit_code__icontains=text.upper()))


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=200, db_index=True)
    # Format is always enforced; the check character may be overridden by an admin with a
    # recorded reason (some codes in circulation fail it) — see services.enterprise_save.
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc_format]
    )
    check_override_reason = models.CharField(_("校验位豁免原因"), max_length=200, blank=True)
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="enterprises",
                                 verbose_name=_("行业"))
    list_status = models.CharField(_("名单类别"), max_length=20, choices=ListStatus.choices,
                                   default=ListStatus.ABOVE_SCALE)
    is_leading = models.BooleanField(_("龙头企业"), default=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        indexes = [models.Index(fields=["industry", "list_status"])]

    def __str__(self):
        return self.name

    def clean(self):
        self.credit_code = normalize_uscc(self.credit_code)


class EnterpriseMember(models.Model):
    """A user of role enterprise belongs to exactly one enterprise."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="enterprise_membership", verbose_name=_("用户"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="members",
                                   verbose_name=_("企业"))
    title = models.CharField(_("职务"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("企业用户")
        verbose_name_plural = _("企业用户")

    def __str__(self):
        return f"{self.user} @ {self.enterprise}"
