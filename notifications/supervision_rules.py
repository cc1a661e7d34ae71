"""Who may act on a 督办 (permissions) and the wording of a refusal; see core.transitions."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.roles import ADMIN, LEADER
from core.transitions import Wording, guard

WORDING = Wording(forbidden="%(reason)s", state=gettext_noop("督办当前为“%(status)s”, 不能%(verb)s"),
                  condition="%(reason)s")


def _authenticated(user):
    return user is not None and user.is_authenticated


def can_supervise(user):
    return _authenticated(user) and user.has_role(LEADER, ADMIN)


@guard(_("只有督办对象可以回复办理情况"))
def is_addressee(supervision, user):
    if not _authenticated(user) or supervision.pk is None:
        return False
    cache = supervision.__dict__.setdefault("_addressee_cache", {})
    if user.pk not in cache:
        cache[user.pk] = supervision.addressees.filter(pk=user.pk).exists()
    return cache[user.pk]


@guard(_("只有督办的领导可以办结或继续督办"))
def is_supervising_leader(supervision, user):
    return _authenticated(user) and (supervision.leader_id == user.pk or user.has_role(ADMIN))
