"""Reads of the commissioner organisation. Other apps (approvals, dashboard) ask through here."""

from .org import (  # noqa: F401
    enterprise_leaders,
    enterprise_visible_ids,
    enterprises_visible_to,
    responsible_for,
)
