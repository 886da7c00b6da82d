"""What would certify an Upheld item: the criteria whose documentation would change the outcome."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Requirement(_Out):
    """One criterion that would have to be documented (or documented otherwise), in plain words."""

    criterion: str = Field(description="rule id / criterion id")
    text: str = Field(description="The criterion as a reviewer would read it (negated criteria say so).")
    citation: str = Field(description="The guideline citation of the rule, with the criterion's own cite if any.")
    fact: str
    value: object = Field(description="A fact value that would satisfy it (an example, not a diagnosis).")
    documented: object = Field(default=None, description="The value the letter documents, where it documents one.")


class Alternative(_Out):
    """One way to satisfy a rule: every requirement listed must hold together."""

    requirements: list[Requirement]


class RuleChange(_Out):
    """What one rule in force needs before the item could be certified."""

    rule: str
    title: str
    citation: str
    status: str = Field(description="The rule's status now: not_met, not_documented (or met, for an exclusion).")
    effect: str
    correction_needed: bool = Field(
        description="True when documenting more cannot satisfy the rule: a criterion is documented the other way."
    )
    paths: list[Alternative] = Field(description="Alternative ways, fewest requirements first (at most three).")


class Certification(_Out):
    """For an Upheld item: the rules that stand in the way and what each would need."""

    item: str
    changes: list[RuleChange]
