"""The MTUS Postsurgical Treatment Guidelines' table (8 CCR 9792.24.3) as one data file.

`rules/physical-medicine/postsurgical-table.yaml` holds the table: per body part and condition (one rule
each, `imr_rules.library.postsurgical` expands it), one row per procedure with its general course of
therapy (visits, and the guideline's words for it), its initial course (one half of the general course,
9792.24.3(c)) and its postsurgical physical medicine treatment period in months.

The models check each row alone (known body part, initial course at most the general course, the
general course's words stating its visits, a period given); `PostsurgicalTable.duplicates` finds rows
that would route the same item twice (the loader locates them in the file).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, StrictInt, model_validator

from imr_rules.models.rules import MAX_CHILDREN, BodyRegion, Effective, Identifier, RuleId, _Strict

BodyPart = Literal[
    "Low back",
    "Neck",
    "Shoulder",
    "Elbow",
    "Forearm, wrist and hand",
    "Hip, pelvis and thigh",
    "Knee",
    "Ankle and foot",
]
"""The table's body parts that a body region can route to (the guideline's headings)."""

BODY_PART_REGION: dict[str, BodyRegion] = {
    "Low back": "lumbar",
    "Neck": "cervical",
    "Shoulder": "shoulder",
    "Elbow": "elbow",
    "Forearm, wrist and hand": "wrist_hand",
    "Hip, pelvis and thigh": "hip",
    "Knee": "knee",
    "Ankle and foot": "ankle_foot",
}

# "16 visits over 8 weeks", "3-8 visits over 3-5 weeks": the visits the words give (a range's upper bound)
_VISITS = re.compile(r"^(?:\d+\s*-\s*)?(\d+) visits\b")


class PostsurgicalRow(_Strict):
    """One procedure of the table: the courses of therapy after it and the period they are given in."""

    key: Identifier = Field(description="Prefix of the criterion ids the row becomes (e.g. 'fusion').")
    procedure: str = Field(min_length=1, description="The guideline's words for the procedure, as a heading.")
    after: str | None = Field(
        default=None,
        description="How a sentence names the surgery after 'after' (default: `procedure`, first letter in "
        "lower case).",
    )
    procedures: list[Identifier] = Field(
        min_length=1, description="The primary_procedure values the row covers (routing and its applicability)."
    )
    general_course: str = Field(
        min_length=1, description="The guideline's words for the general course, e.g. '16 visits over 8 weeks'."
    )
    general_visits: StrictInt = Field(ge=1, description="The general course in visits (a range's upper bound).")
    initial_visits: StrictInt = Field(ge=1, description="The initial course in visits: one half of the general course.")
    period_months: StrictInt = Field(ge=1, description="The postsurgical physical medicine treatment period, months.")
    source: str = Field(min_length=1, description="Where the row's numbers come from, with its confidence.")
    notes: str | None = Field(default=None, description="What is uncertain about the row, with the source.")

    @model_validator(mode="after")
    def _consistent(self) -> PostsurgicalRow:
        if self.initial_visits > self.general_visits:
            raise ValueError(
                f"initial course {self.initial_visits} visits is greater than the general course "
                f"{self.general_visits} (9792.24.3: the initial course is one half of the general course)"
            )
        said = _VISITS.match(self.general_course)
        if said is None or int(said.group(1)) != self.general_visits:
            raise ValueError(
                f"general_course '{self.general_course}' does not state {self.general_visits} visits "
                "(write the guideline's words, 'N visits over W weeks')"
            )
        if len(set(self.procedures)) != len(self.procedures):
            raise ValueError("a primary_procedure value is listed twice in 'procedures'")
        return self

    @property
    def surgery(self) -> str:
        """The surgery as a sentence names it after 'after'."""
        if self.after is not None:
            return self.after
        words = self.procedure
        return words if words[1:2].isupper() else words[:1].lower() + words[1:]


class PostsurgicalCondition(_Strict):
    """A body part's condition in the table: one rule, one branch per procedure row."""

    id: RuleId = Field(description="Appended to the table's `rule_prefix` to make the rule id.")
    body_part: BodyPart
    condition: str = Field(min_length=1, description="The guideline's words for the condition (diagnoses).")
    title: str = Field(min_length=1, description="The rule's title after 'Postsurgical physical medicine, '.")
    rows: list[PostsurgicalRow] = Field(min_length=1, max_length=MAX_CHILDREN)
    notes: str | None = None

    @property
    def region(self) -> BodyRegion:
        return BODY_PART_REGION[self.body_part]


class PostsurgicalTable(_Strict):
    """`postsurgical-table.yaml`: the table, the edition it is and the dates it is in force."""

    table: str = Field(min_length=1, description="What the file is, e.g. 'MTUS Postsurgical Treatment Guidelines'.")
    source: Literal["MTUS", "ODG", "other"]
    guideline: str
    citation: str = Field(description="The regulation, e.g. '8 CCR 9792.24.3'.")
    section: str
    edition: str
    effective: Effective
    governs: list[Identifier] = Field(min_length=1, description="Services the rows decide.")
    rule_prefix: RuleId = Field(description="Rule ids are this prefix plus each condition's id.")
    confidence: Literal["V", "K", "I"]
    notes: str = Field(min_length=1, description="What every rule of the table says (9792.24.3(c)).")
    conditions: list[PostsurgicalCondition] = Field(min_length=1)

    def duplicates(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Rows that would decide the same item twice (same body region and primary_procedure value),
        conditions with the same id and row keys repeated in a condition: (path in the file, message)."""
        out: list[tuple[tuple[str | int, ...], str]] = []
        seen_ids: dict[str, int] = {}
        routed: dict[tuple[str, str], tuple[int, int]] = {}
        for i, condition in enumerate(self.conditions):
            if condition.id in seen_ids:
                out.append(
                    (
                        ("conditions", i, "id"),
                        f"duplicate condition id '{condition.id}' (first at conditions[{seen_ids[condition.id]}])",
                    )
                )
            seen_ids.setdefault(condition.id, i)
            keys: set[str] = set()
            for j, row in enumerate(condition.rows):
                if row.key in keys:
                    out.append(
                        (("conditions", i, "rows", j, "key"), f"duplicate row key '{row.key}' in '{condition.id}'")
                    )
                keys.add(row.key)
                for value in row.procedures:
                    first = routed.get((condition.region, value))
                    if first is not None:
                        out.append(
                            (
                                ("conditions", i, "rows", j),
                                f"duplicate row: {condition.body_part} / '{value}' is already the row "
                                f"conditions[{first[0]}].rows[{first[1]}] ({self.conditions[first[0]].id})",
                            )
                        )
                    else:
                        routed[(condition.region, value)] = (i, j)
        return out
