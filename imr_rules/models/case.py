"""Models of a case file: the facts a letter documents and the items it decides.

A case is what the engine evaluates. It is written by hand or by `imr-rules extract`; every fact
carries the sentence it was read from, so a determination can show its evidence.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

Decision = Literal["Upheld", "Overturned"]
Status = Literal["met", "not_met", "not_documented"]
FactName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Strict):
    """Where a fact was read: the quoted sentence, and its offsets in the letter when known."""

    quote: str
    start: StrictInt | None = Field(default=None, ge=0)
    end: StrictInt | None = Field(default=None, ge=0)
    section: str | None = Field(default=None, description="summary, rationale, header, item...")


class FactValue(_Strict):
    """A documented fact. `value` is typed by the vocabulary; absent facts are simply not listed."""

    value: Any
    evidence: list[Evidence] = Field(default_factory=list)
    inferred: bool = Field(
        default=False,
        description="True when the value is inferred rather than stated: e.g. a therapy a treatment-history "
        "list does not name read as not had. The evidence is the sentence it was inferred from; a person "
        "should confirm or overrule it.",
    )

    @field_validator("evidence", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if isinstance(value, (str, dict)):
            return [value]
        return value


def _coerce_fact(value: Any) -> Any:
    """Facts may be written short (`age: 39`) or long (`age: {value: 39, evidence: "..."}`)."""
    if isinstance(value, dict) and "value" in value:
        ev = value.get("evidence")
        if isinstance(ev, str):
            value = {**value, "evidence": [{"quote": ev}]}
        elif isinstance(ev, list):
            value = {**value, "evidence": [{"quote": e} if isinstance(e, str) else e for e in ev]}
        return value
    return {"value": value}


Facts = dict[FactName, FactValue]


class CaseItem(_Strict):
    """One disputed item, named as the letter names it."""

    item: str = Field(min_length=1)
    service: FactName | None = Field(default=None, description="Service id from rules/services.yaml.")
    primary: str | None = Field(
        default=None,
        description="The procedure this item depends on: another item's name in this case, or a "
        "procedure decided elsewhere (then state its primary_status among the item's facts).",
    )
    decision: Decision | None = Field(default=None, description="The letter's decision, when known.")
    facts: Facts = Field(default_factory=dict)

    @field_validator("facts", mode="before")
    @classmethod
    def _facts(cls, value: Any) -> Any:
        return {k: _coerce_fact(v) for k, v in value.items()} if isinstance(value, dict) else value


class CaseDates(_Strict):
    injury: dt.date | None = None
    request: dt.date | None = None
    ur_decision: dt.date | None = None
    imr_decision: dt.date | None = None

    def case_date(self) -> dt.date | None:
        """The date that selects the guideline edition: the UR decision, else the request, else IMR's."""
        return self.ur_decision or self.request or self.imr_decision


class Expectation(_Strict):
    """What a test expects for one item (used by `imr-rules test`)."""

    item: str
    outcome: Literal["Upheld", "Overturned", "Undetermined"]
    criteria: dict[str, Status] = Field(default_factory=dict)


class Extraction(_Strict):
    """How an extracted case was made, so a reviewer knows what to check."""

    tool: str
    letter_digest: str = Field(description="sha256 of the letter's text as given (a PDF's: as extracted).")
    pdf_digest: str | None = Field(default=None, description="sha256 of the PDF file, when the letter was one.")
    layout: str
    warnings: list[str] = Field(default_factory=list)


class Case(_Strict):
    """A case file."""

    case: str = Field(min_length=1, description="Case id, usually the letter file's stem.")
    letter: str | None = Field(default=None, description="The letter this case was taken from.")
    extracted: StrictBool = Field(default=False, description="True when written by `imr-rules extract`.")
    extraction: Extraction | None = None
    dates: CaseDates = Field(default_factory=CaseDates)
    facts: Facts = Field(default_factory=dict)
    items: list[CaseItem] = Field(min_length=1)
    expect: list[Expectation] = Field(default_factory=list)
    notes: str | None = None

    @field_validator("facts", mode="before")
    @classmethod
    def _facts(cls, value: Any) -> Any:
        return {k: _coerce_fact(v) for k, v in value.items()} if isinstance(value, dict) else value
