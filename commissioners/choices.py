"""The 护商通 vocabulary: every status, node, urgency, rating and event action of a demand.

The only module where these values are spelled; models, rules, services, views and the sweep
import them from here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemandStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回专员")
    ACCEPTED = "accepted", _("专员已受理")
    REVIEWED = "reviewed", _("小组长已审核")
    DISPATCHED = "dispatched", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已答复待评价")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = [s for s in DemandStatus.values if s != DemandStatus.CLOSED]


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("重大紧急")


class RaisedVia(models.TextChoices):
    BROWSER = "browser", _("企业网上提交")
    VISIT = "visit", _("专员走访收集")


class Node(models.TextChoices):
    ACCEPT = "accept", _("专员受理")
    REVIEW = "review", _("小组长审核")
    DISPATCH = "dispatch", _("经济运行局交办")
    ANSWER = "answer", _("工作组办理")
    RATE = "rate", _("企业评价")


# Who holds a demand at each node, as the enterprise reads it on its follow-up page.
NODE_HOLDERS = {
    Node.ACCEPT: _("营商环境专员"),
    Node.REVIEW: _("专员小组长"),
    Node.DISPATCH: _("经济运行局"),
    Node.ANSWER: _("专业服务工作组"),
    Node.RATE: _("企业(待评价)"),
}


class Rating(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    VERY_UNSATISFIED = "very_unsatisfied", _("非常不满意")
    # Not a level the enterprise picks: the rating window ran out. Counts neither way.
    UNRATED = "unrated", _("未评价")


RATING_LEVELS = [r for r in Rating if r != Rating.UNRATED]
SATISFIED_RATINGS = (Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.BASIC)
UNSATISFIED_RATINGS = (Rating.UNSATISFIED, Rating.VERY_UNSATISFIED)


class DispatchStatus(models.TextChoices):
    PENDING = "pending", _("待签收")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已答复")
    WITHDRAWN = "withdrawn", _("已改派")
    # An answered share the enterprise rated 不满意: kept with its answer as history, while a
    # fresh share of the same group takes over with a new clock (and new warnings).
    SUPERSEDED = "superseded", _("不满意重办")


ENDED_DISPATCH = (DispatchStatus.WITHDRAWN, DispatchStatus.SUPERSEDED)


OPEN_DISPATCH = (DispatchStatus.PENDING, DispatchStatus.IN_PROGRESS)


class DemandAction(models.TextChoices):
    SUBMITTED = "submitted", _("提交诉求")
    URGENT_REPORTED = "urgent_reported", _("重大紧急直报委领导")
    ACCEPTED = "accepted", _("专员受理")
    ANSWERED_FIRST_CONTACT = "answered_first_contact", _("专员首接答复")
    REVIEWED = "reviewed", _("小组长审核通过")
    SENT_BACK = "sent_back", _("小组长退回专员")
    DISPATCHED = "dispatched", _("经济运行局交办")
    REDISPATCHED = "redispatched", _("经济运行局改派")
    STARTED = "started", _("工作组签收")
    GROUP_ANSWERED = "group_answered", _("工作组答复")
    ANSWERED = "answered", _("办理完毕, 待企业评价")
    RATED = "rated", _("企业评价")
    REOPENED = "reopened", _("不满意, 重新办理")
    CLOSED_UNRATED = "closed_unrated", _("逾期未评价, 办结")
    SUPERVISED = "supervised", _("领导督办")
    SUPERVISION_REPLIED = "supervision_replied", _("办理情况回复")
    SUPERVISION_CLOSED = "supervision_closed", _("督办办结")
    SUPERVISION_CONTINUED = "supervision_continued", _("继续督办")


# Nodes whose clock is the demand's own and that go red when overdue. The answer node's clocks
# are the working groups' shares; the rating node never goes red (the demand closes as 未评价).
DEMAND_NODES = (Node.ACCEPT, Node.REVIEW, Node.DISPATCH)
# The events that start a node of the demand's own clock (the latest one started the current node).
NODE_STARTS = (DemandAction.SUBMITTED, DemandAction.SENT_BACK, DemandAction.ACCEPTED, DemandAction.REVIEWED,
               DemandAction.ANSWERED_FIRST_CONTACT, DemandAction.ANSWERED, DemandAction.REOPENED)
