"""Approval models: policy (what a category allows), the project, and its four stages.

The choices live in approvals/choices.py and are re-exported here for the callers that read
them beside the models.
"""

from notifications.levels import WarningLevel

from ..choices import EventAction, Opinion, PauseKind, ProjectStatus, StageKind, StageStatus
from .policy import Department, MaterialRequirement, ProjectCategory, StagePolicy
from .project import Project
from .stage import ApprovalStage, ClockPause, Material, StageEvent, StageReview

__all__ = [
    "ApprovalStage", "ClockPause", "Department", "EventAction", "Material", "MaterialRequirement", "Opinion",
    "PauseKind", "Project", "ProjectCategory", "ProjectStatus", "StageEvent", "StageKind",
    "StagePolicy", "StageReview", "StageStatus", "WarningLevel",
]
