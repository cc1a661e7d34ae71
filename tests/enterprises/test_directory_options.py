"""The directory's commissioner filter lists its options from one values query: each labelled as
str(commissioner) labels it, in the order of commissioners_visible_to, with the field's empty
label first; the chosen one still validated against the queryset."""

import re
from html import unescape

from django.urls import reverse

from commissioners.selectors.org import commissioners_visible_to
from tests import factories as f


def _commissioner_options(html):
    select = html[html.index('name="commissioner"'):]
    select = select[:select.index("</select>")]
    return [(value, unescape(label)) for value, label in
            re.findall(r'<option value="([^"]*)"(?: selected)?>([^<]*)</option>', select)]


def test_options_are_each_commissioners_own_label_in_order(client, personas):
    named = f.CommissionerFactory(user__username="zed", user__display_name="",
                                  user__first_name="Ann", user__last_name="Lee")
    bare = f.CommissionerFactory(user__username="yan<&>", user__display_name="")
    client.force_login(personas.betty)
    options = _commissioner_options(client.get(reverse("enterprises:directory")).content.decode())
    expected = [(str(c.pk), str(c)) for c in commissioners_visible_to(personas.betty)]
    assert options[0][0] == "" and options[1:] == expected
    assert (str(named.pk), "Ann Lee") in options and (str(bare.pk), "yan<&>") in options


def test_a_chosen_commissioner_filters_and_a_foreign_one_is_refused(client, personas):
    client.force_login(personas.gary)  # a group leader: his group's commissioners only
    mine = personas.carol.commissioner_profile
    foreign = personas.dave.commissioner_profile
    html = client.get(reverse("enterprises:directory"), {"commissioner": mine.pk}).content.decode()
    assert personas.enterprise_a.name in html and personas.enterprise_b.name not in html
    assert [value for value, _label in _commissioner_options(html)] == ["", str(mine.pk)]
    refused = client.get(reverse("enterprises:directory"), {"commissioner": foreign.pk})
    assert refused.status_code == 200 and "commissioner" in refused.context["filter"].errors
