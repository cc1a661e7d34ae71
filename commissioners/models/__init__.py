"""The commissioner organisation (org.py) and the 护商通 procedure (demands.py, visits.py)."""

from .org import (  # noqa: F401
    Assignment,
    Commissioner,
    CommissionerGroup,
    Leader,
    OrgEvent,
    WorkingGroup,
)
