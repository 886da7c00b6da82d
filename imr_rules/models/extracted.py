"""What the letter reader returns (`imr_rules.reading.extract`): an `ExtractedLetter`, its case facts and
items each a `ReadFact` with the sentences (`ReadEvidence`) it was read from.

These are the reader's own results, stricter than a case file's models (`imr_rules.models.case`): every
evidence has its offsets and section. `ExtractedLetter.to_data()` is the case file's plain data, in the
order `imr-rules extract` writes it; `Case.model_validate(extracted.to_data())` is the case it makes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from imr_rules.models.case import Decision

DateKey = Literal["injury", "request", "ur_decision", "imr_decision"]
"""The dates a letter states (its header's, else the summary's words), each as an ISO date string."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ReadEvidence(_Frozen):
    """A sentence (or header line) a fact was read from: its text and character offsets in the letter."""

    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    section: str = Field(description="summary, rationale, item_name, item_rationale or header.")

    def to_data(self) -> dict[str, Any]:
        return {"quote": self.quote, "start": self.start, "end": self.end, "section": self.section}


class ReadFact(_Frozen):
    """One fact as read: its value (typed by the library's vocabulary: bool, int, float, str or a list of
    str, so `Any` here; `value_error` checks it when read), its evidence, and whether it is inferred rather
    than stated."""

    value: Any
    evidence: list[ReadEvidence] = Field(default_factory=list)
    inferred: bool = False

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "evidence": [e.to_data() for e in self.evidence]}
        if self.inferred:
            out["inferred"] = True
        return out


class ExtractedItem(_Frozen):
    """One disputed item: its name, its service (None: not classified), the letter's decision, the
    procedure it depends on (a dependent item's), and its facts (in the order they were read)."""

    item: str
    service: str | None = None
    decision: Decision
    primary: str | None = None
    facts: dict[str, ReadFact] = Field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"item": self.item}
        if self.service is not None:
            out["service"] = self.service
        out["decision"] = self.decision
        if self.primary is not None:
            out["primary"] = self.primary
        if self.facts:
            out["facts"] = {name: fact.to_data() for name, fact in self.facts.items()}
        return out


class ExtractionInfo(_Frozen):
    """How the case was read: the tool and pattern version, the letter's digest and layout, the warnings
    (facts left out and why), and the PDF's sha256 when the letter was one."""

    tool: str
    letter_digest: str
    layout: str
    warnings: list[str] = Field(default_factory=list)
    pdf_digest: str | None = None

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "tool": self.tool,
            "letter_digest": self.letter_digest,
            "layout": self.layout,
            "warnings": list(self.warnings),
        }
        if self.pdf_digest is not None:
            out["pdf_digest"] = self.pdf_digest
        return out


class ExtractedLetter(_Frozen):
    """A letter as read: the case id, the letter's path, how it was read, its dates, case facts and items."""

    case: str
    letter: str
    extraction: ExtractionInfo
    dates: dict[DateKey, str] = Field(default_factory=dict)
    facts: dict[str, ReadFact] = Field(default_factory=dict)
    items: list[ExtractedItem] = Field(default_factory=list)

    def to_data(self) -> dict[str, Any]:
        """The case file's plain data (what `imr-rules extract` writes as YAML), keys in its order."""
        return {
            "case": self.case,
            "letter": self.letter,
            "extracted": True,
            "extraction": self.extraction.to_data(),
            "dates": dict(self.dates),
            "facts": {name: fact.to_data() for name, fact in self.facts.items()},
            "items": [item.to_data() for item in self.items],
        }
