"""The one transition runner: one error class with a code, one HTTP mapping, and a permission on
every transition of every FSM model. The fixed check order is tested per domain
(tests/approvals/test_runner.py, tests/commissioners/test_demand_runner.py)."""

from django.apps import apps
from django_fsm import FSMFieldMixin

from approvals.errors import ApprovalError
from commissioners.services import DemandError, DemandPermissionError
from core.transitions import HTTP_STATUS, TransitionError


def _fsm_transitions():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FSMFieldMixin):
                for name in dir(model):
                    method = getattr(model, name, None)
                    meta = getattr(method, "_django_fsm", None)
                    if meta is not None and meta.field.name == field.name:
                        yield model, name, meta


def test_every_transition_of_every_fsm_model_declares_a_permission():
    found = list(_fsm_transitions())
    assert {model.__name__ for model, _name, _meta in found} >= {"Project", "ApprovalStage", "Demand"}
    missing = [f"{model.__name__}.{name} ({source})" for model, name, meta in found
               for source, transition in meta.transitions.items() if transition.permission is None]
    assert missing == []


def test_codes_map_to_http_statuses_the_same_way_everywhere():
    assert HTTP_STATUS == {"forbidden": 403, "state": 409, "stale": 409, "condition": 409}
    assert TransitionError("x").http_status == 400
    assert issubclass(ApprovalError, TransitionError) and issubclass(DemandError, TransitionError)
    assert DemandPermissionError("x").code == "forbidden"
