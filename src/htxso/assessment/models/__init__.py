"""Assessment tables, one module per part (each owned by one part of the app)."""

from .assessments import (
    Answer,
    Assessment,
    AssessmentStatus,
    DimensionScore,
    DxLead,
    Evidence,
    lead_organisations,
)
from .impact import Cohort, CohortMember  # the impact part
from .plans import *  # noqa: F403  # the plans part (names: models/plans.py)
from .questionnaires import (
    Dimension,
    DimensionFamily,
    LevelBand,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
)

# the impact part adds its tables in ``impact.py`` and lists them here

__all__ = [
    "Answer",
    "Assessment",
    "AssessmentStatus",
    "Cohort",
    "CohortMember",
    "Dimension",
    "DimensionFamily",
    "DimensionScore",
    "DxLead",
    "Evidence",
    "LevelBand",
    "Option",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionnaireStatus",
    "lead_organisations",
]
