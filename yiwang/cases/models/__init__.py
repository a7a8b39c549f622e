"""Case models: the lifecycle (`lifecycle`) and the reform procedures (`procedures`)."""

from yiwang.cases.models.lifecycle import (
    Case,
    CaseMaterial,
    CaseNumberSequence,
    Channel,
    CorrectionNotice,
    Level,
    Notification,
    Procedure,
    StaffAlert,
    StoredFile,
    Suspension,
    TimelineEntry,
    Visit,
)
from yiwang.cases.models.procedures import (
    Bundle,
    BundleApplication,
    CommitmentCheck,
    EmergencyListing,
    GreenMark,
    PreReview,
    PreReviewMaterial,
)

__all__ = [
    "Bundle",
    "BundleApplication",
    "Case",
    "CaseMaterial",
    "CaseNumberSequence",
    "Channel",
    "CommitmentCheck",
    "CorrectionNotice",
    "EmergencyListing",
    "GreenMark",
    "Level",
    "Notification",
    "PreReview",
    "PreReviewMaterial",
    "Procedure",
    "StaffAlert",
    "StoredFile",
    "Suspension",
    "TimelineEntry",
    "Visit",
]
