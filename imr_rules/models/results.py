"""Models of what evaluation produces: a determination per item, explained criterion by criterion."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from imr_rules.models.case import Decision, Evidence, Status
from imr_rules.models.rules import CriterionForm

Outcome = Literal["Upheld", "Overturned", "Undetermined"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FactUse(_Out):
    """A case fact a criterion tested, with its value and where it was documented."""

    name: str
    value: Any
    evidence: list[Evidence] = Field(default_factory=list)
    inferred: bool = Field(default=False, description="The value is inferred, not stated (see case FactValue).")


class CriterionResult(_Out):
    """One criterion node's status for one item, as durable-rules derived it."""

    id: str = Field(description="rule id / criterion id")
    rule: str
    text: str
    status: Status
    decisive: bool = Field(description="True where this status decided its parent (and so the item).")
    depth: int
    kind: CriterionForm
    cite: str | None = None
    test: str | None = Field(default=None, description="The comparison a fact criterion makes.")
    fact: str | None = Field(default=None, description="The fact a fact criterion tests.")
    facts: list[FactUse] = Field(default_factory=list)


class RuleApplied(_Out):
    id: str
    title: str
    citation: str
    edition: str
    source: str
    status: Status
    effect: str = Field(default="supports", description="supports, or excludes (decides only when met).")


class Determination(_Out):
    item: str
    service: str | None
    outcome: Outcome
    medically_necessary: bool | None
    rule: str | None = Field(description="The rule that decided the item (the first unmet, else the first).")
    rules: list[RuleApplied] = Field(default_factory=list)
    criteria: list[CriterionResult] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    editions: list[str] = Field(default_factory=list)
    rationale: str
    reason: str | None = Field(default=None, description="Why the item is Undetermined, if it is.")
    basis: str | None = Field(
        default=None,
        description="Which guideline governs the item and why, when its phase chose it (8 CCR 9792.21.1: the "
        "MTUS first; where it does not address the phase, ACOEM 2004 in the MTUS, then ODG).",
    )
    primary: str | None = None
    letter_decision: Decision | None = None
    agrees_with_letter: bool | None = None


class Provenance(_Out):
    imr_rules_version: str
    rules_digest: str
    case_digest: str
    case_date: dt.date | None
    rules_in_force: list[str]


class Evaluation(_Out):
    case: str
    source: str | None
    determinations: list[Determination]
    provenance: Provenance


Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
"""Most severe first. error: the letter's own documented facts, rules or words contradict its decision;
warning: something a quality reviewer should look at (a criterion the rationale leaves undocumented, a
citation that does not govern, letter checks skipped); info: a note (no rule decides the item)."""


def worst(severities: list[Severity]) -> Severity | None:
    """The most severe of these, or None for none."""
    return next((s for s in SEVERITIES if s in severities), None)


class Finding(_Out):
    """One inconsistency (or note) the check found; `code` is stable for scripts."""

    code: str
    severity: Severity
    item: str | None
    message: str
    evidence: list[Evidence] = Field(default_factory=list)


Verdict = Literal["consistent", "warnings", "inconsistent", "not_checked"]
"""A check's verdict, stable for scripts: `inconsistent` (an error finding), `not_checked` (no error, and
the engine decides no item it could compare: Undetermined, or no decision in the letter, so the check
neither confirms nor contradicts the letter's decision), `warnings` (a warning finding), `consistent`."""


def verdict_of(severity: Severity | None, checked: bool) -> Verdict:
    """The verdict from the most severe finding and whether the decision could be compared at all."""
    if severity == "error":
        return "inconsistent"
    if not checked:
        return "not_checked"
    return "warnings" if severity == "warning" else "consistent"


class ItemCheck(_Out):
    item: str
    service: str | None
    letter_decision: Decision | None
    engine_decision: Outcome
    consistent: bool = Field(description="False only when a finding of severity error concerns the item.")
    verdict: Verdict = Field(
        default="consistent",
        description="inconsistent (an error), not_checked (the engine is Undetermined or the letter gives no "
        "decision: the letter's decision is neither confirmed nor contradicted), warnings, or consistent.",
    )
    severity: Severity | None = Field(default=None, description="The most severe finding's severity.")
    findings: list[Finding] = Field(default_factory=list)
    primary: str | None = Field(default=None, description="The primary procedure, for a dependent item.")
    primary_letter_decision: Decision | None = Field(
        default=None, description="The primary as this letter decided it: what the dependent is judged against."
    )
    primary_engine_decision: Outcome | None = Field(
        default=None, description="The primary as the engine decides it from the documented facts."
    )
    determination: Determination


class LetterCheck(_Out):
    source: str
    case: str
    consistent: bool = Field(description="True unless a finding of severity error was made.")
    verdict: Verdict = Field(
        default="consistent",
        description="inconsistent (an error), not_checked (no item's decision could be compared: the engine "
        "decides none of them), warnings, or consistent.",
    )
    severity: Severity | None = Field(default=None, description="The most severe finding's severity.")
    summary: str | None = Field(default=None, description="The letter's clinical summary, as written.")
    summary_start: int = Field(default=0, description="Offset of the summary in the letter (for evidence spans).")
    items: list[ItemCheck]
    findings: list[Finding]
    evaluation: Evaluation


class CheckSummary(_Out):
    """Figures over many letters: coverage, agreement, and Overturned recall/precision."""

    letters: int
    failed: int
    items: int
    governed: int
    agree: int
    letter_overturned: int
    engine_overturned: int
    overturned_both: int
    findings_by_code: dict[str, int]
    findings_by_severity: dict[str, int] = Field(default_factory=dict)
    letters_with_error: list[str] = Field(default_factory=list, description="Sources with an error finding.")

    @property
    def coverage(self) -> float:
        return self.governed / self.items if self.items else 0.0

    @property
    def agreement(self) -> float:
        return self.agree / self.governed if self.governed else 0.0

    @property
    def overturned_recall(self) -> float | None:
        return self.overturned_both / self.letter_overturned if self.letter_overturned else None

    @property
    def overturned_precision(self) -> float | None:
        return self.overturned_both / self.engine_overturned if self.engine_overturned else None
