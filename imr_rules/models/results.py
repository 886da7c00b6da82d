"""Models of what evaluation produces: a determination per item, explained criterion by criterion."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .case import Decision, Evidence, Status

Outcome = Literal["Upheld", "Overturned", "Undetermined"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FactUse(_Out):
    """A case fact a criterion tested, with its value and where it was documented."""

    name: str
    value: Any
    evidence: list[Evidence] = Field(default_factory=list)


class CriterionResult(_Out):
    """One criterion node's status for one item, as durable-rules derived it."""

    id: str = Field(description="rule id / criterion id")
    rule: str
    text: str
    status: Status
    decisive: bool = Field(description="True where this status decided its parent (and so the item).")
    depth: int
    kind: str
    cite: str | None = None
    test: str | None = Field(default=None, description="The comparison a fact criterion makes.")
    facts: list[FactUse] = Field(default_factory=list)


class RuleApplied(_Out):
    id: str
    title: str
    citation: str
    edition: str
    source: str
    status: Status


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
