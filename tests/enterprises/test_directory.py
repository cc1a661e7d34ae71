"""The directory's rows: the 名单类别 badge as the snippet drew it, links to each profile, the
filter's choices read without a COUNT and the chosen one kept."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from enterprises.models import Enterprise, ListStatus
from tests import factories as f

# The badge snippet as it was, one include per row, before the tag replaced it.
OLD_BADGE = (
    '{% load i18n %}{% if enterprise.list_status == "above_scale" %}<span class="badge text-bg-primary">'
    '{{ enterprise.get_list_status_display }}</span>{% elif enterprise.list_status == "attracted" %}'
    '<span class="badge text-bg-success">{{ enterprise.get_list_status_display }}</span>{% else %}'
    '<span class="badge text-bg-secondary">{{ enterprise.get_list_status_display }}</span>{% endif %}'
    '{% if enterprise.is_leading %} <span class="badge text-bg-warning">{% translate "龙头企业" %}</span>'
    '{% endif %}'
)
NEW_BADGE = "{% load enterprises_tags %}{% list_status_badge enterprise %}"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("status", [*ListStatus.values, "unknown"])
@pytest.mark.parametrize("leading", [True, False])
def test_badge_is_what_the_snippet_drew(language, status, leading):
    enterprise = Enterprise(name="甲", list_status=status, is_leading=leading)
    with translation.override(language):
        context = Context({"enterprise": enterprise})
        assert Template(NEW_BADGE).render(context) == Template(OLD_BADGE).render(context)


def test_rows_link_to_profiles_and_the_filter_reads_no_counts(client, personas):
    client.force_login(personas.betty)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("enterprises:directory"))
    html = response.content.decode()
    for enterprise in (personas.enterprise_a, personas.enterprise_b):
        assert f'href="{reverse("enterprises:profile", args=[enterprise.pk])}"' in html
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "enterprises_enterprise" in counts[0]  # the page's total only
    assert "龙头企业" in html  # A leads its industry


def test_the_chosen_filter_stays_selected(client, personas):
    other = f.IndustryFactory(name="节能环保")
    client.force_login(personas.betty)
    commissioner = personas.carol.commissioner_profile
    html = client.get(reverse("enterprises:directory"),
                      {"industry": other.pk, "commissioner": commissioner.pk,
                       "list_status": "attracted"}).content.decode()
    assert f'<option value="{other.pk}" selected>节能环保</option>' in html
    assert f'<option value="{commissioner.pk}" selected>' in html
    assert '<option value="attracted" selected>' in html
    form = html[html.index('<form method="get"'):]
    assert form[:form.index("</form>")].count(" selected>") == 3
