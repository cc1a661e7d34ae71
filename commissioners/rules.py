"""Who may run a demand transition (permission=) and when it may run (conditions=).

Permissions are callables (demand, user) -> bool that deny by default. Conditions are named
predicates of the demand alone. Each carries the sentence its refusal reads (core.transitions.guard);
the runner asks them in a fixed order: permission, status, conditions. This module reads only
the demand and its relations, so the models may import it.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.roles import ADMIN, BUREAU, COMMISSIONER, ENTERPRISE, GROUP_LEADER, WORKING_GROUP
from core.transitions import Wording, guard

from .choices import DispatchStatus

# How the runner words a demand refusal (the pages and the API show these).
WORDING = Wording(forbidden="%(reason)s", state=gettext_noop("诉求当前为“%(status)s”, 不能跳过环节办理"),
                  condition="%(reason)s")


def _authenticated(user):
    return user is not None and user.is_authenticated


def _memo(demand, key, compute):
    cache = demand.__dict__.setdefault("_permission_cache", {})
    if key not in cache:
        cache[key] = bool(compute())
    return cache[key]


# --- permissions -------------------------------------------------------------------------------

@guard(_("只有该企业的营商环境专员可以办理这一步"))
def is_commissioner_of(demand, user):
    return _authenticated(user) and user.has_role(COMMISSIONER) and _memo(
        demand, ("commissioner", user.pk),
        lambda: demand.enterprise.assignments.active().filter(
            commissioner__user=user, commissioner__is_active=True).exists())


@guard(_("只有该企业服务专员所在小组的小组长可以办理这一步"))
def is_group_leader_of(demand, user):
    return _authenticated(user) and user.has_role(GROUP_LEADER) and _memo(
        demand, ("group_leader", user.pk),
        lambda: demand.enterprise.assignments.active().filter(commissioner__group__leader=user).exists())


@guard(_("只有经济运行局可以交办或改派诉求"))
def is_bureau(demand, user):
    return _authenticated(user) and user.has_role(BUREAU)


@guard(_("只有承办该诉求的专业服务工作组成员可以办理这一步"))
def is_dispatched_member(demand, user):
    return _authenticated(user) and user.has_role(WORKING_GROUP) and _memo(
        demand, ("member", user.pk),
        lambda: demand.pk is not None
        and demand.dispatches.open_or_answered().filter(working_group__members=user).exists())


@guard(_("只能评价本企业的诉求"))
def is_enterprise_member(demand, user):
    if not (_authenticated(user) and user.has_role(ENTERPRISE)):
        return False
    membership = getattr(user, "enterprise_membership", None)  # cached by Django once read
    return membership is not None and membership.enterprise_id == demand.enterprise_id


@guard(_("只有系统或管理员可以将诉求按未评价办结"))
def is_system(demand, user):
    """The sweep (no user) or an administrator closing an unrated demand."""
    return user is None or (_authenticated(user) and user.has_role(ADMIN))


# --- conditions --------------------------------------------------------------------------------

@guard(_("请填写诉求标题"))
def has_title(demand):
    return bool((demand.title or "").strip())


@guard(_("诉求被评价为不满意后须按完整流程办理, 不能再首接答复"))
def never_reopened(demand):
    # After an unsatisfied rating the matter takes the full route; a second quick answer by the
    # commissioner would bypass the working groups the enterprise was unhappy to be spared.
    return demand.reopen_count == 0


@guard(_("请至少选择一个专业服务工作组"))
def has_open_dispatch(demand):
    return demand.dispatches.open().exists()


@guard(_("还有工作组尚未答复"))
def every_dispatch_answered(demand):
    live = demand.dispatches.open_or_answered()
    return live.exists() and not live.exclude(status=DispatchStatus.ANSWERED).exists()


@guard(_("评价期限未满, 不能按未评价办结"))
def rating_window_over(demand):
    # as_of: the service's today, set by the runner (no condition reads the wall clock).
    return demand.due_on is not None and demand.as_of > demand.due_on
