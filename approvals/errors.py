from core.transitions import STALE, TransitionError  # noqa: F401 (STALE re-exported)


class ApprovalError(TransitionError):
    """A refused action of the approvals app (core.transitions.TransitionError: a `code`, a message
    in the user's language, nothing changed)."""
