"""The topic catalog (`rules/catalog.yaml`): every topic of the MTUS and of the ODG sections reviewers cite.

Each topic is a section of a guideline (a Chronic Pain guideline section, an Opioid Treatment Guidelines
section, a Postsurgical Treatment Guidelines body part and procedure, an ACOEM 2004 chapter's
recommendation, an ODG section) with its source citation, and either the rule ids that encode it or the
reason it is not encoded. `imr_rules.library.catalog` checks it against the rule library.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from imr_rules.models.rules import RuleId

TopicId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", min_length=1, max_length=120)]
# Why a topic has no rule. The words are the page's; keep them few so the page can count them.
NotEncoded = Literal[
    "not yet encoded",
    "no objective criterion in the text",
    "covered by another topic's rule",
    "outside workers' compensation IMR",
    "no copy of the text to encode from",
]
Edition = Literal["2007", "2009", "2016"]


class CatalogGroup(BaseModel):
    """One guideline (or part of one) whose topics are listed together, in the page's order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: TopicId
    title: str = Field(min_length=1, description="Heading on the page, e.g. 'MTUS Chronic Pain ...'.")
    source: str = Field(min_length=1, description="The regulation or publication, e.g. '8 CCR 9792.24.2'.")
    note: str | None = Field(default=None, description="One sentence shown under the heading.")


class CatalogTopic(BaseModel):
    """One topic: a guideline section with its citation, and the rules encoding it or why none does."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: TopicId
    group: TopicId = Field(description="The id of the group (guideline) the topic belongs to.")
    topic: str = Field(min_length=1, description="The section's name as the guideline gives it.")
    citation: str = Field(min_length=1, description="Where the text is: guideline, chapter or section, pages.")
    editions: list[Edition] = Field(
        default_factory=list, description="Editions of the guideline that carry the section (CPMTG 2009, 2016)."
    )
    rules: list[RuleId] = Field(default_factory=list, description="Ids of the rules that encode the topic.")
    not_encoded: NotEncoded | None = Field(default=None, description="Why no rule encodes it (when `rules` is empty).")
    partial: str | None = Field(
        default=None, description="What of the section the rules leave out, when they encode only part of it."
    )
    note: str | None = Field(default=None, description="Anything a reader of the page needs (the text's words).")

    @model_validator(mode="after")
    def _rules_or_reason(self) -> CatalogTopic:
        if self.rules and self.not_encoded is not None:
            raise ValueError("a topic names rules or says why it is not encoded (not_encoded), not both")
        if not self.rules and self.not_encoded is None:
            raise ValueError("a topic without rules must say why it is not encoded (not_encoded)")
        if len(set(self.rules)) != len(self.rules):
            raise ValueError("a rule id is named twice")
        return self


class Catalog(BaseModel):
    """The whole catalog file: the groups in page order, then every topic."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    groups: list[CatalogGroup] = Field(min_length=1)
    topics: list[CatalogTopic] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> Catalog:
        groups = [g.id for g in self.groups]
        if len(set(groups)) != len(groups):
            raise ValueError("a group id is used twice")
        seen: set[str] = set()
        for topic in self.topics:
            if topic.id in seen:
                raise ValueError(f"topic id '{topic.id}' is used twice")
            seen.add(topic.id)
            if topic.group not in groups:
                raise ValueError(f"topic '{topic.id}' names group '{topic.group}', which is not in groups")
        return self
