"""Shared factory_boy factories for the organisation. Apps add theirs in tests/<app>/factories.py."""

import datetime as dt

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from commissioners.models import Assignment, Commissioner, CommissionerGroup, Leader, WorkingGroup
from enterprises.models import Enterprise, EnterpriseMember, Industry, ListStatus
from enterprises.validators import make_uscc

PASSWORD = "pass-for-tests-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=role)[0])
        self.__dict__.pop("role_names", None)


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("name",)

    name = factory.Iterator(["新材料", "高端装备制造", "节能环保", "电子信息", "生物医药", "盐及盐化工"])


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.Sequence(lambda n: make_uscc(f"91510100MA{n:07d}"))
    industry = factory.SubFactory(IndustryFactory)
    list_status = ListStatus.ABOVE_SCALE


class EnterpriseMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseMember

    user = factory.SubFactory(UserFactory, roles=["enterprise"])
    enterprise = factory.SubFactory(EnterpriseFactory)


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leader

    user = factory.SubFactory(UserFactory, roles=["leader"])
    title = "管委会副主任"


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"wg{n}")
    name = factory.Sequence(lambda n: f"工作组{n}")
    leader = factory.SubFactory(LeaderFactory)


class CommissionerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissionerGroup

    name = factory.Sequence(lambda n: f"专员第{n}组")
    leader = factory.SubFactory(UserFactory, roles=["group_leader"])


class CommissionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commissioner

    user = factory.SubFactory(UserFactory, roles=["commissioner"])
    group = factory.SubFactory(CommissionerGroupFactory)
    position = "经济运行局科员"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    commissioner = factory.SubFactory(CommissionerFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    started_on = dt.date(2026, 1, 5)
