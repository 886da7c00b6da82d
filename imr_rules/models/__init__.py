"""All pydantic models in one place: rule library, case files, results (and letters)."""

from typing import TYPE_CHECKING

from imr_rules.lazy import lazy_getattr

if TYPE_CHECKING:
    from imr_rules.models.case import Case, CaseDates, CaseItem, Decision, Evidence, Expectation, FactValue, Status
    from imr_rules.models.gold import GoldFact, GoldItem, GoldLetter
    from imr_rules.models.letter import Citation, ItemDecision, Layout, Letter, LetterHeader, Reviewer, Span
    from imr_rules.models.results import (
        CheckSummary,
        CriterionResult,
        Determination,
        Evaluation,
        FactUse,
        Finding,
        ItemCheck,
        LetterCheck,
        Outcome,
        Provenance,
        RuleApplied,
    )
    from imr_rules.models.rules import (
        AllOf,
        AnyOf,
        AtLeast,
        Criterion,
        Effective,
        FactCriterion,
        FactDefinition,
        FactVocabulary,
        Not,
        Rationale,
        Rule,
        ServiceDefinition,
        ServiceVocabulary,
    )

# Imported when first used (PEP 562): building pydantic classes is much of a cold start, and a command
# needs only some of them (`evaluate` no letter or gold models).
_WHERE = {
    "Case": ".case",
    "CaseDates": ".case",
    "CaseItem": ".case",
    "Decision": ".case",
    "Evidence": ".case",
    "Expectation": ".case",
    "FactValue": ".case",
    "Status": ".case",
    "GoldFact": ".gold",
    "GoldItem": ".gold",
    "GoldLetter": ".gold",
    "Citation": ".letter",
    "ItemDecision": ".letter",
    "Layout": ".letter",
    "Letter": ".letter",
    "LetterHeader": ".letter",
    "Reviewer": ".letter",
    "Span": ".letter",
    "CheckSummary": ".results",
    "CriterionResult": ".results",
    "Determination": ".results",
    "Evaluation": ".results",
    "FactUse": ".results",
    "Finding": ".results",
    "ItemCheck": ".results",
    "LetterCheck": ".results",
    "Outcome": ".results",
    "Provenance": ".results",
    "RuleApplied": ".results",
    "AllOf": ".rules",
    "AnyOf": ".rules",
    "AtLeast": ".rules",
    "Criterion": ".rules",
    "FactCriterion": ".rules",
    "Not": ".rules",
    "Effective": ".rules",
    "FactDefinition": ".rules",
    "FactVocabulary": ".rules",
    "Rationale": ".rules",
    "Rule": ".rules",
    "ServiceDefinition": ".rules",
    "ServiceVocabulary": ".rules",
}


FILE_KINDS = ("rules", "case", "facts", "services", "postsurgical-table")
"""The kinds of file a user writes, each validated by a model here (`imr_rules.library.schema` gives their JSON
Schemas; `imr-rules schema KIND`). Defined here, where importing costs nothing, so the CLI can offer them."""


__getattr__ = lazy_getattr(__name__, _WHERE)


__all__ = [
    "FILE_KINDS",
    "AllOf",
    "AnyOf",
    "AtLeast",
    "Case",
    "CaseDates",
    "CaseItem",
    "CheckSummary",
    "Citation",
    "Criterion",
    "CriterionResult",
    "Decision",
    "Determination",
    "Effective",
    "Evaluation",
    "Evidence",
    "Expectation",
    "FactCriterion",
    "FactDefinition",
    "FactUse",
    "FactValue",
    "FactVocabulary",
    "Finding",
    "GoldFact",
    "GoldItem",
    "GoldLetter",
    "ItemCheck",
    "ItemDecision",
    "Layout",
    "Letter",
    "LetterCheck",
    "LetterHeader",
    "Not",
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
