"""The structure of an IMR final determination letter, as read by `imr_rules.reading.letter`.

These models hold what a letter says about its disputed items (names, decisions, citations,
rationales) and where each part sits in the text, but no clinical facts: turning a rationale into
facts is a separate step, and keeping the spans lets that step (and error messages) point back into
the original letter.
"""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from imr_rules.models.case import Decision

Layout = Literal["imr", "dwc", "maximus-2013"]


class Span(BaseModel):
    """Character offsets [start, end) into the original letter text."""

    model_config = ConfigDict(extra="forbid")

    start: int
    end: int


class Citation(BaseModel):
    """One guideline a decision was based on, or the statement that none was cited.

    `mtus` is None when the letter does not say whether the source is part of the MTUS (for
    instance when no evidence was cited at all).
    """

    model_config = ConfigDict(extra="forbid")

    text: str
    mtus: bool | None = None
    no_evidence: bool = False
    guideline: str | None = None
    edition: str | None = None
    chapter: str | None = None
    section: str | None = None
    pages: str | None = None


class ItemDecision(BaseModel):
    """One disputed item/service and the reviewer's decision on it.

    For an item Utilization Review modified, `item` is the IMR-eligible remaining portion the
    decision is about; `original_request` and `authorized` keep the rest of the story.
    """

    model_config = ConfigDict(extra="forbid")

    item: str
    decision: Decision
    original_request: str | None = None
    authorized: str | None = None
    claims_administrator_citations: list[Citation] = []
    reviewer_citations: list[Citation] = []
    rationale: str = ""
    heading_span: Span
    rationale_span: Span


class LetterHeader(BaseModel):
    """The case header block that published (DWC) letters carry above the body."""

    model_config = ConfigDict(extra="forbid")

    case_number: str | None = None
    date_assigned: datetime.date | None = None
    decision_date: datetime.date | None = None
    date_of_injury: datetime.date | None = None
    ur_denial_date: datetime.date | None = None
    priority: str | None = None
    application_received: datetime.date | None = None


class Reviewer(BaseModel):
    """The expert reviewer's stated board certification(s)/specialties and states of licensure."""

    model_config = ConfigDict(extra="forbid")

    specialties: list[str] = []
    licensure: list[str] = []


class Letter(BaseModel):
    """A whole determination letter; `text_digest` ties it to the exact text it was read from."""

    model_config = ConfigDict(extra="forbid")

    source: str
    layout: Layout
    header: LetterHeader | None = None
    reviewer: Reviewer
    summary: str
    summary_span: Span
    items: list[ItemDecision]
    text_digest: str
