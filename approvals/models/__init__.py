"""Approval models: policy (what a category allows), the project, and its four stages."""

from .policy import Department, MaterialRequirement, ProjectCategory, StageKind, StagePolicy
from .project import Project, ProjectStatus
from .stage import (
    ApprovalStage,
    ClockPause,
    EventAction,
    Material,
    Opinion,
    PauseKind,
    StageEvent,
    StageReview,
    StageStatus,
    WarningLevel,
)

__all__ = [
    "ApprovalStage", "ClockPause", "Department", "EventAction", "Material", "MaterialRequirement", "Opinion",
    "PauseKind", "Project", "ProjectCategory", "ProjectStatus", "StageEvent", "StageKind",
    "StagePolicy", "StageReview", "StageStatus", "WarningLevel",
]
