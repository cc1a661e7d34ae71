from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .roles import ADMIN, ROLE_LABELS, check_role


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @cached_property
    def role_names(self):
        """The user's roles; one query per request, cached on the instance."""
        if not self.is_authenticated:
            return frozenset()
        names = set(self.groups.filter(name__in=ROLE_LABELS).values_list("name", flat=True))
        if self.is_superuser:
            names.add(ADMIN)
        return frozenset(names)

    def has_role(self, *names):
        """True when the user holds any of the named roles. Unknown names raise."""
        return any(check_role(name) in self.role_names for name in names)

    @property
    def role_labels(self):
        return [ROLE_LABELS[name] for name in ROLE_LABELS if name in self.role_names]


class ApiToken(models.Model):
    """A key another system sends as `Authorization: Token <key>`. Only its SHA-256 is stored: the
    key is shown once, when issued (accounts.tokens.token_issue)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("用户"))
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
