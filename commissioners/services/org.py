"""Writes of the organisation: assignments (定点服务), transfers, leader pairing (挂钩服务).

Every function locks what it changes, refuses bad input with a ValidationError (in the user's language) before
touching anything, and records an OrgEvent: the history the profile page shows.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise

from ..models import Assignment, Commissioner, Leader, OrgEvent

__all__ = [
    "assignment_create",
    "assignment_end",
    "assignment_transfer",
    "commissioner_transfer_all",
    "leader_pair",
    "leader_unpair",
]


class Action:
    ASSIGN = "assign"
    END = "end"
    TRANSFER = "transfer"
    TRANSFER_ALL = "transfer_all"
    PAIR = "pair"
    UNPAIR = "unpair"


def _active_commissioner(commissioner, *, label=None):
    label = _("专员") if label is None else label
    if not isinstance(commissioner, Commissioner):
        raise ValidationError(_("%(label)s“%(name)s”不是营商环境专员, 不能承接企业")
                              % {"label": label, "name": commissioner})
    commissioner = Commissioner.objects.select_related("user").get(pk=commissioner.pk)
    if not commissioner.is_active or not commissioner.user.is_active:
        raise ValidationError(_("%(label)s“%(name)s”已不在岗, 不能承接企业")
                              % {"label": label, "name": commissioner})
    return commissioner


def _lock(enterprise):
    # Locking the enterprise row serialises concurrent assignments of the same enterprise; the
    # partial unique constraint is the last line of defence.
    return Enterprise.objects.select_for_update().get(pk=enterprise.pk)


def _current(enterprise):
    return (Assignment.objects.active().select_for_update(of=("self",))
            .filter(enterprise=enterprise, is_primary=True).select_related("commissioner__user").first())


def _event(action, *, actor, enterprise=None, commissioner=None, **detail):
    return OrgEvent(action=action, actor=actor, enterprise=enterprise, commissioner=commissioner,
                    detail=detail)


@transaction.atomic
def assignment_create(*, enterprise, commissioner, actor, started_on=None, reason="", is_primary=True):
    commissioner = _active_commissioner(commissioner)
    enterprise = _lock(enterprise)
    current = _current(enterprise) if is_primary else None
    if current is not None:
        raise ValidationError(
            _("“%(enterprise)s”已有在岗主责专员“%(commissioner)s”(自 %(since)s 起); 更换专员请使用移交")
            % {"enterprise": enterprise, "commissioner": current.commissioner, "since": current.started_on}
        )
    assignment = Assignment.objects.create(
        enterprise=enterprise, commissioner=commissioner, is_primary=is_primary,
        started_on=started_on or timezone.localdate(), reason=reason, created_by=actor,
    )
    _event(Action.ASSIGN, actor=actor, enterprise=enterprise, commissioner=commissioner,
           reason=reason, to=str(commissioner)).save()
    return assignment


@transaction.atomic
def assignment_end(*, assignment, actor, reason, ended_on=None):
    assignment = (Assignment.objects.select_for_update(of=("self",)).select_related("commissioner")
                  .get(pk=assignment.pk))
    if assignment.ended_on is not None:
        raise ValidationError(_("该定点服务已经结束"))
    assignment.ended_on = max(ended_on or timezone.localdate(), assignment.started_on)
    assignment.save(update_fields=["ended_on"])
    OrgEvent.objects.create(action=Action.END, actor=actor, enterprise_id=assignment.enterprise_id,
                            commissioner=assignment.commissioner, detail={"reason": reason})
    return assignment


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写移交原因"))
    return reason


@transaction.atomic
def assignment_transfer(*, enterprise, to_commissioner, actor, reason):
    """End the enterprise's current primary assignment and start one with to_commissioner."""
    reason = _require_reason(reason)
    to_commissioner = _active_commissioner(to_commissioner, label=_("接收人"))
    enterprise = _lock(enterprise)
    current = _current(enterprise)
    if current is not None and current.commissioner_id == to_commissioner.pk:
        raise ValidationError(_("“%(enterprise)s”已由“%(commissioner)s”服务, 无需移交")
                              % {"enterprise": enterprise, "commissioner": to_commissioner})
    today = timezone.localdate()
    if current is not None:
        current.ended_on = max(today, current.started_on)
        current.save(update_fields=["ended_on"])
    new = Assignment.objects.create(enterprise=enterprise, commissioner=to_commissioner, is_primary=True,
                                    started_on=today, reason=reason, created_by=actor)
    OrgEvent.objects.create(**_transfer_event(enterprise, current, to_commissioner, actor, reason))
    return new


def _transfer_event(enterprise, current, to_commissioner, actor, reason, **extra):
    return {
        "action": Action.TRANSFER, "actor": actor, "enterprise": enterprise, "commissioner": to_commissioner,
        "detail": {"reason": reason, "to": str(to_commissioner),
                   "from": str(current.commissioner) if current else None,
                   "from_id": current.commissioner_id if current else None, **extra},
    }


@transaction.atomic
def commissioner_transfer_all(*, from_commissioner, to_commissioner, actor, reason):
    """Move every active assignment of one commissioner to another, keeping the history.

    Used when a commissioner leaves or is reassigned. All or nothing.
    """
    reason = _require_reason(reason)
    if not isinstance(from_commissioner, Commissioner):
        raise ValidationError(_("“%(name)s”不是营商环境专员") % {"name": from_commissioner})
    to_commissioner = _active_commissioner(to_commissioner, label=_("接收人"))
    if to_commissioner.pk == from_commissioner.pk:
        raise ValidationError(_("移交人与接收人不能是同一名专员"))
    current = list(Assignment.objects.active().select_for_update(of=("self",))
                   .filter(commissioner=from_commissioner).select_related("enterprise", "commissioner"))
    if not current:
        raise ValidationError(_("“%(name)s”当前没有服务中的企业") % {"name": from_commissioner})
    today = timezone.localdate()
    for assignment in current:
        assignment.ended_on = max(today, assignment.started_on)
    Assignment.objects.bulk_update(current, ["ended_on"])
    created = Assignment.objects.bulk_create([
        Assignment(enterprise=a.enterprise, commissioner=to_commissioner, is_primary=a.is_primary,
                   started_on=today, reason=reason, created_by=actor) for a in current
    ])
    OrgEvent.objects.bulk_create(
        [OrgEvent(**_transfer_event(a.enterprise, a, to_commissioner, actor, reason, bulk=True))
         for a in current]
        + [_event(Action.TRANSFER_ALL, actor=actor, commissioner=to_commissioner, reason=reason,
                  count=len(current), **{"from": str(from_commissioner), "from_id": from_commissioner.pk,
                                         "to": str(to_commissioner)})]
    )
    return created


@transaction.atomic
def leader_pair(*, leader, enterprises, actor):
    """Pair a committee leader with enterprises (挂钩服务); already paired ones are left alone."""
    if not isinstance(leader, Leader):
        raise ValidationError(_("“%(name)s”不是委领导") % {"name": leader})
    already = set(leader.paired_enterprises.values_list("pk", flat=True))
    new = [e for e in enterprises if e.pk not in already]
    leader.paired_enterprises.add(*new)
    OrgEvent.objects.bulk_create([
        _event(Action.PAIR, actor=actor, enterprise=e, leader=str(leader), leader_id=leader.pk) for e in new
    ])
    return new


@transaction.atomic
def leader_unpair(*, leader, enterprises, actor):
    paired = set(leader.paired_enterprises.values_list("pk", flat=True))
    gone = [e for e in enterprises if e.pk in paired]
    leader.paired_enterprises.remove(*gone)
    OrgEvent.objects.bulk_create([
        _event(Action.UNPAIR, actor=actor, enterprise=e, leader=str(leader), leader_id=leader.pk)
        for e in gone
    ])
    return gone
