"""Gold annotations: the decisive facts a person read in a letter, to measure the letter reader.

One YAML file per letter under `eval/gold/<split>/<case>.yaml`, written by an annotator who writes no
reading patterns. Evidence is given as character offsets into the letter (never copied text), so the
project holds no letter text and the phrasing of held-out letters does not reach pattern authors.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from imr_rules.models.case import FactName


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldFact(_Strict):
    """One fact the letter documents: its value (typed as `rules/facts.yaml` declares) and where."""

    fact: FactName
    value: Any = Field(description="Typed as the vocabulary declares; a list fact lists its members.")
    span: tuple[int, int] = Field(description="[start, end) character offsets of the evidence sentence.")
    section: Literal["summary", "rationale", "header", "item"] = "summary"
    region: str | None = Field(default=None, description="Body region the finding concerns, where it has one.")
    note: str | None = Field(default=None, description="Why, in the annotator's words (never letter text).")


class GoldItem(_Strict):
    """One disputed item: its service and the item-scope facts, plus what the rules read but is absent."""

    item: str = Field(min_length=1, description="The item's name as dwc-items.csv gives it.")
    service: FactName | None = Field(description="Service id from rules/services.yaml; null if none fits.")
    decision: Literal["Upheld", "Overturned"]
    facts: list[GoldFact] = Field(default_factory=list)
    undocumented: list[FactName] = Field(
        default_factory=list, description="Facts the governing rules read that the letter does not document."
    )
    vocabulary_gaps: list[str] = Field(
        default_factory=list, description="Decisive criteria the vocabulary cannot express (own words)."
    )


class GoldLetter(_Strict):
    """The gold annotation of one letter."""

    case: str = Field(min_length=1)
    letter_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    annotator: str
    facts: list[GoldFact] = Field(default_factory=list, description="Case-scope facts.")
    items: list[GoldItem] = Field(min_length=1)
