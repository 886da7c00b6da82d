"""All pydantic models in one place: rule library, case files, results (and letters)."""

from .case import Case, CaseDates, CaseItem, Decision, Evidence, Expectation, FactValue, Status
from .letter import Citation, ItemDecision, Layout, Letter, LetterHeader, Reviewer, Span
from .results import CriterionResult, Determination, Evaluation, FactUse, Outcome, Provenance, RuleApplied
from .rules import (
    Criterion,
    Effective,
    FactDefinition,
    FactVocabulary,
    Rationale,
    Rule,
    ServiceDefinition,
    ServiceVocabulary,
)

__all__ = [
    "Case",
    "CaseDates",
    "CaseItem",
    "Citation",
    "Criterion",
    "CriterionResult",
    "Decision",
    "Determination",
    "Effective",
    "Evaluation",
    "Evidence",
    "Expectation",
    "FactDefinition",
    "FactUse",
    "FactValue",
    "FactVocabulary",
    "ItemDecision",
    "Layout",
    "Letter",
    "LetterHeader",
    "Outcome",
    "Provenance",
    "Rationale",
    "Reviewer",
    "Rule",
    "RuleApplied",
    "ServiceDefinition",
    "ServiceVocabulary",
    "Span",
    "Status",
]
