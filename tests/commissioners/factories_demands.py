"""Factories for the 护商通 procedure: demands, visits and policies."""

import datetime as dt

import factory

from commissioners.models import Demand, DemandCategory, Policy, Visit
from tests import factories as f


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Policy
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"惠企政策第{n}号")
    issuing_body = "高新区管委会"
    summary = "对符合条件的企业给予补贴。"
    valid_from = dt.date(2026, 1, 1)
    link = "https://example.gov.cn/policy"

    @factory.post_generation
    def industries(self, create, extracted, **kwargs):
        if create and extracted:
            self.industries.set(extracted)


class DemandFactory(factory.django.DjangoModelFactory):
    """A demand as submitted, without its clock: tests that need clocks go through services."""

    class Meta:
        model = Demand

    enterprise = factory.SubFactory(f.EnterpriseFactory)
    category = factory.LazyFunction(lambda: DemandCategory.objects.get(code="approval"))
    title = factory.Sequence(lambda n: f"诉求{n}")
    description = "请协调解决。"
    due_on = dt.date(2026, 10, 8)
    current_node = "accept"


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    commissioner = factory.SubFactory(f.CommissionerFactory)
    enterprise = factory.SubFactory(f.EnterpriseFactory)
    visited_on = dt.date(2026, 9, 1)
    people_met = "总经理"
    notes = "生产经营正常。"
