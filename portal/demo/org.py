"""Seed steps for the organisation: the zone as the 2022 reform describes it.

13 committee leaders, 7 working groups each headed by one, 10 commissioner groups of 10
commissioners, 358 above-scale (四上) enterprises plus 40 outside the list and 18 attracted
investors, each with one commissioner; leaders paired with their industries' leading enterprises.
"""

import datetime as dt

from django.db.models import Q

from accounts import roles
from commissioners.models import Assignment, Commissioner, CommissionerGroup, Leader, OrgEvent, WorkingGroup
from enterprises.models import Enterprise, EnterpriseMember, Industry, ListStatus

from . import names
from .users import ensure_users

# industry → number of above-scale enterprises (adds up to 358)
INDUSTRIES = {
    "新材料": 70,
    "高端装备制造": 60,
    "节能环保": 40,
    "电子信息": 50,
    "生物医药": 35,
    "盐及盐化工": 45,
    "现代物流": 30,
    "食品饮料": 28,
}
OUTSIDE, ATTRACTED, LEADING_PER_INDUSTRY = 40, 18, 5
LEADER_TITLES = [
    "党工委书记、管委会主任",
    "党工委副书记",
    "管委会常务副主任",
    "党工委委员、管委会副主任",
    "管委会副主任",
    "管委会副主任",
    "管委会副主任",
    "管委会副主任",
    "党工委委员、组织部部长",
    "党工委委员、纪工委书记",
    "党工委委员、宣传部部长",
    "管委会副主任",
    "党工委委员",
]
WORKING_GROUPS = [  # code, name, leader index, duties
    ("talent", "人才服务工作组", 3, "人才引进、培养与安居保障, 企业用工"),
    ("finance_tax", "财政金融与税务工作组", 4, "惠企资金兑现、融资对接、税收政策辅导"),
    ("legal", "法律与稳定工作组", 5, "涉企法律服务、矛盾纠纷化解、治安环境"),
    ("land_planning", "土地与规划工作组", 6, "用地保障、规划许可、不动产登记"),
    ("safety_env", "安全与环保工作组", 7, "安全生产与环保审批、执法服务"),
    ("factors", "生产要素保障工作组", 8, "水电气讯保障、物流运输"),
    ("approval", "行政审批工作组", 2, "工程建设项目审批、并联审批协调"),
]
DEPARTMENTS = (
    "经济运行局",
    "财政金融局",
    "规划建设局",
    "自然资源分局",
    "生态环境分局",
    "应急管理局",
    "社会事务局",
    "党政办公室",
    "组织人事部",
    "投资促进局",
    "市场监管分局",
    "行政审批局",
    "科技创新局",
)
RANKS = ("主办", "主办", "副科长", "科长", "副局长")
GROUPS, PER_GROUP = 10, 10
CHINESE_NUMBERS = "一二三四五六七八九十"
STARTED_ON = dt.date(2022, 6, 1)
ASSIGN_REASON = "营商环境专员进企业“1317”行动定点服务"


def industries(*, rng, progress):
    for order, name in enumerate(INDUSTRIES, start=1):
        industry, _ = Industry.objects.get_or_create(name=name, defaults={"order": order})
        if industry.order != order:
            Industry.objects.filter(pk=industry.pk).update(order=order)
    progress("行业", len(INDUSTRIES), len(INDUSTRIES))


def leader_username(i):
    return "demo_leader" if i == 0 else f"ld{i + 1:02d}"


def leaders(*, rng, progress):
    used = set()
    users = ensure_users(
        [
            {
                "username": leader_username(i),
                "display_name": names.person_name(rng, used),
                "roles": [roles.LEADER],
                "phone": names.mobile(rng),
            }
            for i in range(len(LEADER_TITLES))
        ]
    )
    by_name = {i.name: i for i in Industry.objects.all()}
    industry_names = list(INDUSTRIES)
    for i, title in enumerate(LEADER_TITLES):
        leader, created = Leader.objects.get_or_create(
            user=users[leader_username(i)], defaults={"title": title, "order": i + 1}
        )
        if not created and (leader.title, leader.order) != (title, i + 1):
            leader.title, leader.order = title, i + 1
            leader.save(update_fields=["title", "order"])
        leader.industries.set([by_name[industry_names[i % len(industry_names)]]])
        progress("委领导", i + 1, len(LEADER_TITLES))


def working_groups(*, rng, progress):
    used = set()
    members = ensure_users(
        [
            {
                "username": _member_username(code, n),
                "display_name": names.person_name(rng, used),
                "roles": [roles.WORKING_GROUP],
                "phone": names.mobile(rng),
            }
            for code, *_ in WORKING_GROUPS
            for n in (1, 2)
        ]
    )
    leaders_by_order = {leader.order: leader for leader in Leader.objects.all()}
    for order, (code, name, leader_index, duties) in enumerate(WORKING_GROUPS, start=1):
        values = {
            "name": name,
            "leader": leaders_by_order[leader_index + 1],
            "order": order,
            "description": duties,
        }
        group, created = WorkingGroup.objects.get_or_create(code=code, defaults=values)
        if not created and any(getattr(group, k) != v for k, v in values.items()):
            WorkingGroup.objects.filter(pk=group.pk).update(**values)
        group.members.add(*(members[_member_username(code, n)] for n in (1, 2)))
        progress("专业服务工作组", order, len(WORKING_GROUPS))


def _member_username(code, n):
    return "demo_working_group" if (code, n) == ("approval", 1) else f"wg_{code}_{n}"


def group_leader_username(g):
    return "demo_group_leader" if g == 0 else f"zz{g + 1:02d}"


def commissioner_username(i):
    return "demo_commissioner" if i == 0 else f"zy{i + 1:03d}"


def commissioners(*, rng, progress):
    used = set()
    specs = [
        {
            "username": group_leader_username(g),
            "display_name": names.person_name(rng, used),
            "roles": [roles.GROUP_LEADER],
            "phone": names.mobile(rng),
        }
        for g in range(GROUPS)
    ]
    specs += [
        {
            "username": commissioner_username(i),
            "display_name": names.person_name(rng, used),
            "roles": [roles.COMMISSIONER],
            "phone": names.mobile(rng),
        }
        for i in range(GROUPS * PER_GROUP)
    ]
    users = ensure_users(specs)
    groups = {}
    for g in range(GROUPS):
        group, _ = CommissionerGroup.objects.get_or_create(
            name=f"专员第{CHINESE_NUMBERS[g]}组", defaults={"leader": users[group_leader_username(g)]}
        )
        groups[g] = group
    positions = [f"{rng.choice(DEPARTMENTS)}{rng.choice(RANKS)}" for _ in range(GROUPS * PER_GROUP)]
    existing = {c.user_id: c for c in Commissioner.objects.filter(user__in=users.values())}
    Commissioner.objects.bulk_create(
        [
            Commissioner(
                user=users[commissioner_username(i)], group=groups[i // PER_GROUP], position=positions[i]
            )
            for i in range(GROUPS * PER_GROUP)
            if users[commissioner_username(i)].pk not in existing
        ]
    )
    progress("营商环境专员", GROUPS * PER_GROUP, GROUPS * PER_GROUP)


def _enterprise_specs(rng):
    """Every demo enterprise, in a fixed order; the first is demo_enterprise's."""
    used_names, used_codes, used_people = set(), set(), set()
    plan = [
        (industry, ListStatus.ABOVE_SCALE, n < LEADING_PER_INDUSTRY)
        for industry, count in INDUSTRIES.items()
        for n in range(count)
    ]
    plan += [(rng.choice(list(INDUSTRIES)), ListStatus.OUTSIDE, False) for _ in range(OUTSIDE)]
    plan += [
        (rng.choice(["新材料", "高端装备制造", "电子信息", "节能环保"]), ListStatus.ATTRACTED, False)
        for _ in range(ATTRACTED)
    ]
    return [
        {
            "name": names.company_name(rng, industry, used_names),
            "credit_code": names.credit_code(rng, used_codes),
            "industry": industry,
            "list_status": str(status),
            "is_leading": leading,
            "address": names.address(rng),
            "contact_name": names.person_name(rng, used_people),
            "contact_phone": names.mobile(rng),
        }
        for industry, status, leading in plan
    ]


def enterprises(*, rng, progress):
    specs = _enterprise_specs(rng)
    by_code = _upsert_enterprises(specs, progress)
    ordered = [by_code[s["credit_code"]] for s in specs]
    _assign(ordered, progress)
    _pair_leaders(ordered)
    _enterprise_users(ordered, rng)


def _upsert_enterprises(specs, progress):
    industry_ids = dict(Industry.objects.values_list("name", "pk"))
    rows = [{**s, "industry_id": industry_ids[s["industry"]]} for s in specs]
    for row in rows:
        del row["industry"]
    existing = {
        e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=[r["credit_code"] for r in rows])
    }
    Enterprise.objects.bulk_create(
        [Enterprise(**r) for r in rows if r["credit_code"] not in existing], batch_size=500
    )
    stale = []
    for row in rows:
        enterprise = existing.get(row["credit_code"])
        if enterprise and any(getattr(enterprise, k) != v for k, v in row.items()):
            for k, v in row.items():
                setattr(enterprise, k, v)
            stale.append(enterprise)
    if stale:
        Enterprise.objects.bulk_update(stale, [k for k in rows[0] if k != "credit_code"], batch_size=500)
    progress("企业", len(rows), len(rows))
    return {
        e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=[r["credit_code"] for r in rows])
    }


def _assign(ordered, progress):
    """Enterprise i → commissioner (37·i mod 100): 4–5 each, spread over all groups.

    Enterprises that already have an active primary commissioner keep theirs (a demo user may
    have transferred them).
    """
    by_username = {c.user.username: c for c in Commissioner.objects.select_related("user")}
    served = set(Assignment.objects.active().filter(is_primary=True).values_list("enterprise_id", flat=True))
    new = [
        Assignment(
            enterprise=e,
            commissioner=by_username[commissioner_username(37 * i % 100)],
            started_on=STARTED_ON,
            reason=ASSIGN_REASON,
        )
        for i, e in enumerate(ordered)
        if e.pk not in served
    ]
    Assignment.objects.bulk_create(new, batch_size=500)
    OrgEvent.objects.bulk_create(
        [
            OrgEvent(
                action="assign",
                enterprise=a.enterprise,
                commissioner=a.commissioner,
                detail={"reason": ASSIGN_REASON, "to": str(a.commissioner), "source": "seed_demo"},
            )
            for a in new
        ],
        batch_size=500,
    )
    progress("定点服务", len(ordered), len(ordered))


def _pair_leaders(ordered):
    """Each leading enterprise is paired with one leader of its industry, in turn."""
    leaders_by_industry = {}
    all_leaders = Leader.objects.select_related("user").prefetch_related("industries").order_by("order")
    names_by_pk = {}
    for leader in all_leaders:
        names_by_pk[leader.pk] = str(leader)
        for industry in leader.industries.all():
            leaders_by_industry.setdefault(industry.pk, []).append(leader)
    through = Leader.paired_enterprises.through
    have = set(through.objects.values_list("leader_id", "enterprise_id"))
    seen = {}
    wanted = []
    for enterprise in (e for e in ordered if e.is_leading):
        candidates = leaders_by_industry.get(enterprise.industry_id, [])
        if candidates:
            n = seen.get(enterprise.industry_id, 0)
            seen[enterprise.industry_id] = n + 1
            wanted.append((candidates[n % len(candidates)].pk, enterprise.pk))
    new = [pair for pair in wanted if pair not in have]
    through.objects.bulk_create([through(leader_id=leader, enterprise_id=e) for leader, e in new])
    OrgEvent.objects.bulk_create(
        [
            OrgEvent(
                action="pair",
                enterprise_id=e,
                detail={"leader": names_by_pk[leader], "leader_id": leader, "source": "seed_demo"},
            )
            for leader, e in new
        ]
    )


def _enterprise_users(ordered, rng):
    """demo_enterprise works for the first enterprise, demo_enterprise2 for the second."""
    used = set()
    users = ensure_users(
        [
            {
                "username": username,
                "display_name": names.person_name(rng, used),
                "roles": [roles.ENTERPRISE],
                "phone": names.mobile(rng),
            }
            for username in ("demo_enterprise", "demo_enterprise2")
        ]
    )
    for username, enterprise in zip(("demo_enterprise", "demo_enterprise2"), ordered, strict=False):
        EnterpriseMember.objects.get_or_create(
            user=users[username], defaults={"enterprise": enterprise, "title": "综合部经理"}
        )


def staff(*, rng, progress):
    """The Economic Operation Bureau, approvers and the administrator."""
    used = set()
    specs = [
        {
            "username": u,
            "display_name": names.person_name(rng, used),
            "roles": [roles.BUREAU],
            "phone": names.mobile(rng),
        }
        for u in ("demo_bureau", "jy02", "jy03")
    ]
    specs += [
        {
            "username": u,
            "display_name": names.person_name(rng, used),
            "roles": [roles.APPROVER],
            "phone": names.mobile(rng),
        }
        for u in ("demo_approver", "sp02", "sp03", "sp04")
    ]
    specs.append(
        {
            "username": "demo_admin",
            "display_name": "系统管理员",
            "roles": [roles.ADMIN],
            "is_staff": True,
            "is_superuser": True,
        }
    )
    ensure_users(specs)
    progress("经济运行局、审批人员、管理员", len(specs), len(specs))


def counts():
    """What the organisation looks like now (printed at the end of seed_demo)."""
    return {
        "委领导": Leader.objects.count(),
        "专业服务工作组": WorkingGroup.objects.count(),
        "专员小组": CommissionerGroup.objects.count(),
        "营商环境专员": Commissioner.objects.count(),
        "四上企业": Enterprise.objects.filter(list_status=ListStatus.ABOVE_SCALE).count(),
        "名单外企业": Enterprise.objects.filter(list_status=ListStatus.OUTSIDE).count(),
        "招商引资企业": Enterprise.objects.filter(list_status=ListStatus.ATTRACTED).count(),
        "未分配专员的企业": Enterprise.objects.exclude(
            pk__in=Assignment.objects.active().filter(Q(is_primary=True)).values("enterprise_id")
        ).count(),
    }
