"""Seed step for the 护商通 procedure: ~20 policies, visits, and demands at every node.

Demands are walked through the real services with the real actors (the enterprise's
commissioner, their group leader, a bureau user, a working-group member), so the demo's
history is what the product would have recorded. Keyed by natural keys (policy title; visit
enterprise + notes; demand enterprise + title): a second run creates nothing.
"""

import datetime as dt

from django.db.models import F
from django.utils import timezone

from accounts import roles
from accounts.models import User
from commissioners import services
from commissioners.choices import DemandStatus, RaisedVia, Rating, Urgency
from commissioners.models import Demand, DemandCategory, DemandEvent, Policy, Visit, WorkingGroup
from commissioners.selectors.org import responsible_for
from enterprises.models import Enterprise, EnterpriseMember, Industry
from workdays import add_workdays

POLICIES = [  # title, issuing body, industries (empty: all), summary
    ("高新区支持工业企业技术改造十条措施", "高新区管委会", [],
     "对设备投资额 500 万元以上的技改项目按投资额 8% 给予补助。"),
    ("关于促进新材料产业高质量发展的若干政策", "高新区管委会", ["新材料"],
     "新材料首批次应用保险补偿、研发平台建设奖励。"),
    ("高端装备首台(套)认定奖励办法", "高新区经济运行局", ["高端装备制造"],
     "获评首台(套)重大技术装备的给予一次性奖励。"),
    ("节能环保产业园入驻企业租金减免办法", "高新区管委会", ["节能环保"],
     "入驻前三年厂房租金减免 50%。"),
    ("电子信息产业链招商引资优惠政策", "高新区投资促进局", ["电子信息"],
     "按设备投资给予补助, 按税收贡献给予奖励。"),
    ("生物医药研发创新扶持办法", "高新区科技创新局", ["生物医药"],
     "临床试验、一致性评价分阶段给予资助。"),
    ("盐及盐化工产业转型升级专项资金管理办法", "高新区财政金融局", ["盐及盐化工"],
     "支持盐化工企业安全环保改造与产品升级。"),
    ("高新区人才安居实施细则", "高新区人才工作领导小组", [],
     "引进人才享受购房补贴、人才公寓。"),
    ("企业研发费用后补助实施办法", "高新区科技创新局", [],
     "按研发投入增量的 10% 给予后补助。"),
    ("中小微企业融资担保费补贴办法", "高新区财政金融局", [],
     "担保费率超过 1% 的部分给予补贴。"),
    ("稳岗扩岗补贴申领指南", "高新区社会事业局", [],
     "企业新招用高校毕业生的给予一次性扩岗补助。"),
    ("规上工业企业首次入库奖励办法", "高新区经济运行局", [],
     "首次纳入规模以上工业统计的给予一次性奖励。"),
    ("工程建设项目审批“拿地即开工”服务指南", "高新区行政审批局", [],
     "带方案出让地块的项目 24 个工作日内办结审批。"),
    ("企业用电增容与电费优惠政策解读", "国网自贡供电公司", [],
     "工业企业增容免收高可靠性供电费。"),
    ("现代物流企业运输补贴办法", "高新区经济运行局", ["现代物流"],
     "对多式联运、冷链运输给予运费补贴。"),
    ("食品饮料企业品牌建设奖励办法", "高新区经济运行局", ["食品饮料"],
     "获得驰名商标、地理标志的给予奖励。"),
    ("高新技术企业认定奖励办法", "高新区科技创新局", [],
     "首次认定的高新技术企业给予 20 万元奖励。"),
    ("安全生产标准化达标奖励办法", "高新区应急管理局", [],
     "达到二级以上安全生产标准化的给予奖励。"),
    ("2025 年度惠企资金兑现公告(已截止)", "高新区财政金融局", [],
     "2025 年度各项惠企资金集中兑现。"),
    ("外贸企业出口信用保险保费补贴", "高新区投资促进局", [],
     "出口信用保险保费按 50% 给予补贴。"),
]

# How far a demand goes: the status it is left at, or one of these demo scenarios (not statuses).
FIRST_CONTACT = "first_contact"  # answered by the commissioner on first contact (首接答复)
REOPENED = "reopened"  # answered, rated 不满意 and reopened
URGENT = "urgent"  # submitted as 重大紧急 and left there
D = DemandStatus

DEMANDS = [  # category code, title, how far it goes
    ("approval", "厂房扩建项目施工许可办理咨询", D.SUBMITTED),
    ("factors", "新生产线用电增容 2000 千伏安", D.ACCEPTED),
    ("talent", "高级技工招聘困难, 请求对接职业院校", D.REVIEWED),
    ("finance_tax", "研发费用加计扣除政策适用问题", FIRST_CONTACT),
    ("land_planning", "二期用地指标落实", D.DISPATCHED),
    ("approval", "竣工联合验收时间协调", D.DISPATCHED),
    ("approval", "施工图审查意见答复", D.IN_PROGRESS),
    ("safety_env", "环评批复变更办理", D.IN_PROGRESS),
    ("finance_tax", "流动资金贷款贴息申请", D.ANSWERED),
    ("legal", "与供应商合同纠纷, 请求法律指导", D.CLOSED),
    ("factors", "园区道路货车限行影响物流", REOPENED),
    ("approval", "消防验收预约时间过长", URGENT),
]

NOTE = "[演示] 生产经营总体平稳, 订单充足, 反映了用工和要素保障方面的困难。"


def step(*, rng, progress):
    policies = _policies(rng)
    progress("惠企政策", len(policies), len(POLICIES))
    enterprises = _served_enterprises()
    _visits(rng, enterprises[:30], policies, progress)
    _demands(rng, enterprises, progress)


demands = step  # the name seed_demo's STEPS may use: "portal.demo.demands.demands"


def _policies(rng):
    industries = {i.name: i for i in Industry.objects.all()}
    today = timezone.localdate()
    result = []
    for n, (title, body, names, summary) in enumerate(POLICIES):
        expired = "已截止" in title
        policy, created = Policy.objects.get_or_create(title=title, defaults={
            "issuing_body": body, "summary": summary,
            "document_number": f"自高新发〔{today.year - 1}〕{n + 3}号",
            "valid_from": dt.date(today.year - 1, 1 + n % 12, 1),
            "valid_to": dt.date(today.year - 1, 12, 31) if expired else dt.date(today.year + 2, 12, 31),
            "link": f"https://www.zggxq.gov.cn/zcwj/demo-{n + 1}.html"})
        if created:
            policy.industries.set([industries[name] for name in names if name in industries])
        result.append(policy)
    rng.shuffle(result)
    return result


def _served_enterprises():
    """Enterprises with a primary commissioner, the demo log-in's enterprise first."""
    member = (EnterpriseMember.objects.filter(user__username="demo_enterprise")
              .select_related("enterprise").first())
    qs = (Enterprise.objects.filter(assignments__ended_on__isnull=True, assignments__is_primary=True)
          .select_related("industry").order_by("credit_code").distinct())
    ordered = list(qs)
    if member is not None and member.enterprise in ordered:
        ordered.remove(member.enterprise)
        ordered.insert(0, member.enterprise)
    return ordered


def _visits(rng, enterprises, policies, progress):
    today = timezone.localdate()
    done = set(Visit.objects.filter(notes=NOTE).values_list("enterprise_id", flat=True))
    for n, enterprise in enumerate(enterprises, start=1):
        # Every draw happens for every enterprise, created or not, so a rerun draws the same.
        offset, picks = rng.randint(1, 60), rng.sample(policies, 2)
        numbers = {"output_value": rng.randint(2000, 90000), "employees": rng.randint(30, 1200),
                   "orders": rng.randint(500, 30000)}
        if enterprise.pk in done:
            continue
        commissioner = responsible_for(enterprise).commissioner_user
        services.visit_record(
            actor=commissioner, enterprise=enterprise, visited_on=today - dt.timedelta(days=offset),
            people_met="总经理、行政部经理", notes=NOTE, policies=picks, **numbers)
        progress("走访记录", n, len(enterprises))


def _actors(enterprise):
    responsible = responsible_for(enterprise)
    bureau = User.objects.filter(groups__name=roles.BUREAU).order_by("username").first()
    member = EnterpriseMember.objects.filter(enterprise=enterprise).select_related("user").first()
    user = member.user if member else None
    return responsible.commissioner_user, responsible.group_leader_user, bureau, user


def _demands(rng, enterprises, progress):
    categories = {c.code: c for c in DemandCategory.objects.all()}
    groups = list(WorkingGroup.objects.order_by("order", "id"))
    targets = enterprises[:1] * len(DEMANDS) + enterprises[1:25]
    for n, enterprise in enumerate(targets, start=1):
        code, title, goal = DEMANDS[(n - 1) % len(DEMANDS)] if n <= len(DEMANDS) else rng.choice(DEMANDS)
        lag = rng.randint(0, 4)
        if not Demand.objects.filter(enterprise=enterprise, title=title).exists():
            _walk(enterprise, categories[code], title, goal, groups, lag)
        progress("诉求", n, len(targets))


def _walk(enterprise, category, title, goal, groups, lag):
    commissioner, group_leader, bureau, user = _actors(enterprise)
    urgent = goal == URGENT
    if user is not None:
        demand = services.demand_submit(enterprise=enterprise, actor=user, category=category, title=title,
                                        urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
                                        description="[演示] " + title)
    else:
        demand = services.demand_submit(enterprise=enterprise, actor=commissioner, category=category,
                                        title=title, description="[演示] 走访时企业反映。",
                                        via=RaisedVia.VISIT)
    steps = [D.SUBMITTED, D.ACCEPTED, D.REVIEWED, D.DISPATCHED, D.IN_PROGRESS, D.ANSWERED, D.CLOSED,
             REOPENED]
    reach = steps.index(goal) if goal in steps else (0 if urgent else None)
    if goal == FIRST_CONTACT:
        services.demand_answer_first_contact(demand=demand, actor=commissioner,
                                             answer="已当面解答, 并提供办理指南。")
        return _age(demand, lag)
    if reach >= 1:
        services.demand_accept(demand=demand, actor=commissioner)
    if reach >= 2:
        services.demand_review(demand=demand, actor=group_leader)
    if reach >= 3:
        group = category.working_group() or groups[0]
        demand = services.demand_dispatch(demand=demand, actor=bureau, working_groups=[group])
    if reach >= 4:
        dispatch = demand.dispatches.get()
        member = dispatch.working_group.members.order_by("username").first()
        services.demand_start(dispatch=dispatch, actor=member)
    if reach >= 5:
        demand = services.demand_answer(dispatch=dispatch, actor=member, answer="已协调相关部门办理完毕。")
    if reach >= 6 and user is not None:
        level = Rating.UNSATISFIED if goal == REOPENED else Rating.SATISFIED
        services.demand_rate(demand=demand, actor=user, level=level, comment="[演示]")
    return _age(demand, lag)


def _age(demand, lag):
    """Backdate an open node's clock by `lag` calendar days so the demo shows yellow and red badges.

    Demo data only: the due date is still counted in working days from the (earlier) start.
    """
    demand.refresh_from_db()
    if not lag or demand.started_on is None:
        return demand
    shift = dt.timedelta(days=lag)
    start = demand.started_on - shift
    due = add_workdays(start, demand.limit_workdays)
    Demand.objects.filter(pk=demand.pk).update(started_on=start, due_on=due,
                                               created_at=F("created_at") - shift)
    demand.dispatches.open().update(started_on=start, due_on=due)
    # Its history moves back with its clock, so that nothing happened after "today".
    demand.dispatches.update(dispatched_at=F("dispatched_at") - shift)
    DemandEvent.objects.filter(demand=demand).update(created_at=F("created_at") - shift)
    return demand
