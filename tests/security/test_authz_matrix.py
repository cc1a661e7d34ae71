"""The authorization matrix (issue 15): every URL pattern (pages, admin, API) × every persona,
against an explicit table of expected statuses, with real ids of objects that belong to enterprise A
(so, to someone else for most personas). A route missing from the table fails; so does a row for a
route that no longer exists.

Personas: anonymous, alice (enterprise A), bob (B), carol (A's commissioner), dave (B's), gary
(carol's group leader), betty (bureau), wendy (working group), adam (approver in stage 1's
departments), ann (approver of another department), leo (leader paired with A), root (admin).

To regenerate the table after adding a route: MATRIX_PRINT=1 pytest tests/security -k print -s,
then read every new row before pasting it: the table is the reviewed decision, not the output.
"""

import os

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from . import world as w
from .expected import ADMIN, EXPECTED, PERSONAS

pytestmark = pytest.mark.django_db


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name or str(entry.pattern)]))
            yield name, prefix + str(entry.pattern), entry


def routes():
    return {name: (pattern, entry) for name, pattern, entry in _walk(get_resolver().url_patterns)}


# --- filling in a route's parameters with real objects -----------------------------------------------

def _variants(name, objects):
    """{case: {kwarg: value}} for a route; several cases where the object's state matters."""
    o = objects
    projects = {"live": o["project"], "draft": o["draft"], "withdrawn_draft": o["withdrawn"],
                "refused": o["refused"]}
    stages = {"live": o["stage"], "draft": o["draft_stage"], "withdrawn_draft": o["withdrawn_stage"],
              "refused": o["refused_stage"]}
    materials = {"live": o["material"], "draft": o["draft_material"],
                 "withdrawn_draft": o["withdrawn_material"]}
    table = {
        "enterprises:profile": {"": {"pk": o["project"].enterprise_id}},
        "commissioners:demand_detail": {"": {"pk": o["demand"].pk}},
        "commissioners:demand_action": {"": {"pk": o["demand"].pk, "action": "accept"}},
        "commissioners:demand_attachment": {"": {"pk": o["attachment"].pk}},
        "commissioners:visit_detail": {"": {"pk": o["visit"].pk}},
        "commissioners:policy_detail": {"": {"pk": o["policy"].pk}},
        "commissioners:policy_file": {"": {"pk": o["policy"].pk}},
        "approvals:project_detail": {k: {"pk": p.pk} for k, p in projects.items()},
        "approvals:project_action": {k: {"pk": p.pk, "action": "withdraw"} for k, p in projects.items()},
        "approvals:stage_detail": {k: {"pk": s.pk} for k, s in stages.items()},
        "approvals:material_upload": {"live": {"pk": o["stage"].pk}},
        "approvals:stage_notice": {k: {"pk": s.pk, "kind": "acceptance"} for k, s in stages.items()},
        "approvals:stage_action": {"live": {"pk": o["stage"].pk, "action": "approve"}},
        "approvals:material_download": {k: {"pk": m.pk} for k, m in materials.items()},
        "notifications:read": {"": {"pk": o["notification"].pk}},
        "notifications:open": {"": {"pk": o["notification"].pk}},
        "notifications:supervise": {"": {"pk": o["escalation"].pk}},
        "notifications:supervise_matter": {"": {"content_type_id": o["stage_type"].pk, "pk": o["stage"].pk}},
        "notifications:supervision_reply": {"": {"pk": o["supervision"].pk}},
        "notifications:supervision_close": {"": {"pk": o["supervision"].pk}},
        "dashboard:report_file": {"": {"pk": o["report"].pk}},
        "accounts:token_revoke": {"": {"pk": o["token"].pk}},
    }
    return table.get(name)


API_OBJECTS = {"projects": "project", "stages": "stage", "materials": "material", "demands": "demand",
               "enterprises": None, "visits": "visit", "policies": "policy", "supervisions": "supervision",
               "notifications": "notification", "tokens": "token"}


def _api_pk(name, objects):
    for resource, key in API_OBJECTS.items():
        if f"-{resource}-" in name or name.startswith(f"api-{resource}") or f"auth-{resource[:-1]}" in name:
            return objects["project"].enterprise_id if key is None else objects[key].pk
    if "notifications" in name:
        return objects["notification"].pk
    if "auth-token" in name:
        return objects["token"].pk
    raise KeyError(name)


def _admin_url(pattern, name, objects):
    from django.apps import apps

    if "<path:object_id>" in pattern or "<id>" in pattern:
        label = name.removeprefix("admin:").rsplit("_", 1)[0]
        app_label, _, model_name = label.partition("_")
        model = _admin_model(app_label, model_name)
        row = model._default_manager.order_by("pk").first() if model else None
        object_id = row.pk if row else 999999
        pattern = pattern.replace("<path:object_id>", str(object_id)).replace("<id>", str(object_id))
    if "<int:content_type_id>" in pattern:  # the "view on site" shortcut
        pattern = pattern.replace("<int:content_type_id>", str(objects["stage_type"].pk))
    if "(?P<app_label>" in pattern:
        pattern = "admin/accounts/"
    del apps
    return "/" + pattern


def _admin_model(app_label, model_name):
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    if app_label == "auth" and model_name.startswith("user"):  # UserAdmin's own URL names
        return get_user_model()
    for model in admin.site._registry:
        meta = model._meta
        if f"{meta.app_label}_{meta.model_name}" == f"{app_label}_{model_name}":
            return model
    return None


def _api_url(pattern, name, objects):
    url = pattern.replace("<str:version>", "v1").lstrip("^")
    url = url.replace("^", "").replace("$", "")
    if "(?P<pk>[0-9]+)" in url:
        url = url.replace("(?P<pk>[0-9]+)", str(_api_pk(name, objects)))
    if "<int:pk>" in url:
        url = url.replace("<int:pk>", str(_api_pk(name, objects)))
    return "/" + url


def cases(objects):
    """{case key: url} for every route."""
    from django.urls import reverse

    found = {}
    for name, (pattern, _entry) in routes().items():
        if name.startswith("admin:") or pattern.startswith("admin/"):
            found[name] = _admin_url(pattern, name, objects)
        elif pattern.startswith("api/<str:version>/"):
            found[name] = _api_url(pattern, name, objects)
        elif "<" not in pattern:
            found[name] = "/" + pattern
        else:
            for variant, kwargs in (_variants(name, objects) or {}).items():
                found[f"{name}[{variant}]" if variant else name] = reverse(name, kwargs=kwargs)
            if _variants(name, objects) is None:
                found[name] = None  # a new parametrised route: give it real objects above
    return found


# --- the checks ------------------------------------------------------------------------------------------

def _statuses(client, personas, objects, persona, urls):
    user = objects["ann"] if persona == "ann" else getattr(personas, persona, None)
    client.logout()
    if user is not None:
        client.force_login(user)
    return {key: client.get(url).status_code for key, url in urls.items() if url}


def _expected(key, persona):
    row = ADMIN if key.startswith("admin:") and key not in EXPECTED else EXPECTED[key]
    return row[PERSONAS.index(persona)]


def test_every_route_is_in_the_table(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    urls = cases(w.build(personas))
    missing = sorted(key for key, url in urls.items() if url is None or
                     (key not in EXPECTED and not key.startswith("admin:")))
    stale = sorted(key for key in EXPECTED if key not in urls)
    assert missing == [], "routes without a row in tests/security/expected.py"
    assert stale == [], "rows for routes that no longer exist"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_exactly_the_expected_statuses(client, personas, settings, tmp_path, persona):
    settings.MEDIA_ROOT = tmp_path
    objects = w.build(personas)
    urls = {key: url for key, url in cases(objects).items() if key in EXPECTED or key.startswith("admin:")}
    got = _statuses(client, personas, objects, "anon" if persona == "anon" else persona, urls)
    wrong = {key: f"{urls[key]}: expected {_expected(key, persona)}, got {status}"
             for key, status in got.items() if status != _expected(key, persona)}
    assert wrong == {}


@pytest.mark.skipif(not os.environ.get("MATRIX_PRINT"), reason="MATRIX_PRINT=1 prints the observed table")
def test_print_observed_table(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objects = w.build(personas)
    urls = {k: v for k, v in cases(objects).items() if v}
    observed = {persona: _statuses(client, personas, objects, persona, urls) for persona in PERSONAS}
    for key in sorted(urls):
        print(f'    "{key}": ({", ".join(str(observed[p][key]) for p in PERSONAS)}),')
