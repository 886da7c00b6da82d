"""Models of the rule library: the fact vocabulary, the service vocabulary and the guideline rules.

These are the shapes of the YAML files under `rules/`; `imr_rules.library.loading` reads the files and
validates them against these models, then checks what one file cannot check alone (that every fact
a rule names is declared, that every service it governs exists).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from imr_rules.library.language import FactType, OperatorSymbol

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=80)]
RuleId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", min_length=1, max_length=120)]

# durable-rules 2.0.28 joins at most 16 facts in one rule (17 fails at run time with error 307), and a
# tree node's rules join its children's statuses; `at_least N of K` becomes an any_of over its C(K, N)
# N-subsets (see compiler.py), so both are held to 16 here.
MAX_CHILDREN = 16


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class FactDefinition(_Strict):
    """One fact a rule may test and a case may state, declared once."""

    type: FactType
    meaning: str = Field(min_length=1, description="What the fact says about the patient or request.")
    unit: str | None = Field(default=None, description="Unit of a numeric fact (years, weeks, visits, days).")
    values: list[Identifier] | None = Field(
        default=None, description="Allowed values of an enum fact, or of the members of a list fact."
    )
    scope: Literal["case", "item"] = Field(
        default="case", description="'case': about the patient; 'item': about one requested item."
    )
    regional: bool = Field(
        default=False,
        description="A case fact about one body region (an examination or imaging finding): an item may state "
        "its own value under its facts, which then overrides the case's for that item (letters whose items "
        "concern several regions). An item fact marked regional (a prior injection of the region) is read "
        "for the item's own regions only.",
    )

    @model_validator(mode="after")
    def _values_match_type(self) -> FactDefinition:
        if self.type in ("enum", "list") and not self.values:
            raise ValueError(f"a fact of type {self.type} needs 'values'")
        if self.type not in ("enum", "list") and self.values is not None:
            raise ValueError(f"'values' is only for enum and list facts, not {self.type}")
        return self


class FactVocabulary(_Strict):
    """`rules/facts.yaml`: every fact, by name."""

    facts: dict[Identifier, FactDefinition]


BodyRegion = Literal[
    "lumbar", "thoracic", "cervical", "shoulder", "elbow", "wrist_hand", "hip", "knee", "ankle_foot", "head"
]
"""The body regions findings and services are scoped by (ACOEM's chapters, ODG's body-part chapters)."""


class ServiceDefinition(_Strict):
    """A kind of requested service the rules know (discectomy, MRI, pre-op labs...)."""

    label: str
    depends_on_primary: StrictBool = Field(
        default=False,
        description="Necessary only if the primary procedure it accompanies is (pre-op labs, inpatient stay...).",
    )
    synonyms: list[str] = Field(default_factory=list, description="Names letters use for it (for extraction).")
    region: BodyRegion | None = Field(
        default=None,
        description="The body region every item of this service concerns (an MRI of the knee); absent when "
        "the region varies by item (physical therapy), which then states it in its `body_region` fact.",
    )
    postsurgical: bool = Field(
        default=False,
        description="Every item of this service is care after a surgery, inside its postsurgical period "
        "(post-operative therapy); items of other services are when their `postsurgical_period` fact says so.",
    )
    notes: str | None = None


class ServiceVocabulary(_Strict):
    """`rules/services.yaml`: every service type, by id."""

    services: dict[Identifier, ServiceDefinition]


class Effective(_Strict):
    """The dates a rule's edition is in force: from inclusive, to exclusive (open-ended if absent)."""

    from_: dt.date = Field(alias="from")
    to: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Effective:
        if self.to is not None and self.to <= self.from_:
            raise ValueError("'to' must be after 'from'")
        return self

    def in_force(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.to is None or day < self.to)


CriterionForm = Literal["fact", "all_of", "any_of", "at_least", "not"]
"""The forms of criterion (each model's `form`; a result's `kind`)."""


class _Node(_Strict):
    """What every form of criterion has: its id, its text for reviewers, and its rationale phrases."""

    id: Identifier
    text: str = Field(min_length=1, description="The criterion as a reviewer would read it.")
    cite: str | None = Field(default=None, description="Where the guideline states it (pages, item).")
    # explanation phrases, used in the generated rationale ("In this case, <phrase>.")
    met_text: str | None = None
    not_met_text: str | None = None
    not_documented_text: str | None = None
    notes: str | None = None

    @property
    def children(self) -> list[Criterion]:
        """The criteria below this one, in document order (none for a fact criterion)."""
        return []

    @field_validator("all_of", "any_of", "of", check_fields=False)
    @classmethod
    def _listed(cls, children: list[Any], info: ValidationInfo) -> list[Any]:
        """A group lists 1 to MAX_CHILDREN criteria (the engine joins at most that many facts)."""
        name = info.field_name
        if not children:
            raise ValueError(f"'{name}' must list at least one criterion")
        if len(children) > MAX_CHILDREN:
            raise ValueError(
                f"'{name}' lists {len(children)} criteria; the engine joins at most {MAX_CHILDREN}: nest them"
            )
        return children

    def walk(self) -> list[Criterion]:
        """This node and all below it, depth first, in document order."""
        out: list[Criterion] = [self]  # type: ignore[list-item]  # every subclass is a Criterion form
        for child in self.children:
            out.extend(child.walk())
        return out


class FactCriterion(_Node):
    """A leaf: `fact op value` (see `imr_rules.library.language.OPERATORS`)."""

    form: ClassVar[CriterionForm] = "fact"
    fact: Identifier
    op: OperatorSymbol
    value: Any
    applicability: StrictBool = Field(
        default=False,
        description="This fact criterion says when its branch applies (e.g. the kind of procedure): when it "
        "is not met, the branch did not apply and is left out of the explanation; when it is not documented, "
        "it is the reason given for the branch (whether the branch applies is unknown).",
    )


class AllOf(_Node):
    """Met when every child is met (Kleene and)."""

    form: ClassVar[CriterionForm] = "all_of"
    all_of: list[Criterion]

    @property
    def children(self) -> list[Criterion]:
        return self.all_of


class AnyOf(_Node):
    """Met when a child is met (Kleene or)."""

    form: ClassVar[CriterionForm] = "any_of"
    any_of: list[Criterion]

    @property
    def children(self) -> list[Criterion]:
        return self.any_of


class AtLeast(_Node):
    """Met when at least `at_least` of the children in `of` are met."""

    form: ClassVar[CriterionForm] = "at_least"
    at_least: StrictInt = Field(ge=1)
    of: list[Criterion]

    @property
    def children(self) -> list[Criterion]:
        return self.of

    @model_validator(mode="after")
    def _reachable(self) -> AtLeast:
        if self.at_least > len(self.of):
            raise ValueError(f"at_least {self.at_least} of {len(self.of)} criteria can never be met")
        alternatives = math.comb(len(self.of), self.at_least)
        if 1 < self.at_least < len(self.of) and alternatives > MAX_CHILDREN:
            raise ValueError(
                f"at_least {self.at_least} of {len(self.of)} expands to {alternatives} alternatives in the "
                f"engine (at most {MAX_CHILDREN}): group the criteria into smaller trees"
            )
        return self


class Not(_Node):
    """Met when its one child is not met (Kleene negation)."""

    form: ClassVar[CriterionForm] = "not"
    not_: Criterion = Field(alias="not")

    @property
    def children(self) -> list[Criterion]:
        return [self.not_]


def threshold(node: AllOf | AnyOf | AtLeast) -> int:
    """How many children must be met: all_of = all, any_of = 1, at_least = its number."""
    if isinstance(node, AllOf):
        return len(node.all_of)
    if isinstance(node, AnyOf):
        return 1
    return node.at_least


# The keys that name each form in a rule file (at_least goes with of; `not_` is the Python name of `not`).
_FORM_KEYS = {"fact": ("fact",), "all_of": ("all_of",), "any_of": ("any_of",), "at_least": ("at_least", "of")}
_FORM_KEYS["not"] = ("not", "not_")


def form_tag(form: str) -> str:
    """The union tag of a form; pydantic puts it in an error's location, which `sources` leaves out."""
    return f"<{form}>"


def _forms(data: Any) -> list[str]:
    return [form for form, keys in _FORM_KEYS.items() if any(data.get(k) is not None for k in keys)]


def _one_form(data: Any) -> Any:
    if isinstance(data, dict):
        forms = _forms(data)
        if len(forms) != 1:
            raise PydanticCustomError(
                "criterion_form",
                "a criterion needs exactly one of: fact (with op and value), all_of, any_of, at_least/of, not"
                + (f"; found {', '.join(forms)}" if forms else ""),
            )
    return data


def _form_of(data: Any) -> str:
    if isinstance(data, dict):
        return form_tag(_forms(data)[0])
    return form_tag(str(getattr(data, "form", "")))


Criterion = Annotated[
    Annotated[FactCriterion, Tag(form_tag("fact"))]
    | Annotated[AllOf, Tag(form_tag("all_of"))]
    | Annotated[AnyOf, Tag(form_tag("any_of"))]
    | Annotated[AtLeast, Tag(form_tag("at_least"))]
    | Annotated[Not, Tag(form_tag("not"))],
    Discriminator(_form_of),
    BeforeValidator(_one_form),
]
"""A node of a rule's criteria tree: one of the five forms, told apart by the keys it has.

Statuses are three-valued (met, not met, not documented) and combine as Kleene logic does
(`imr_rules.library.language`). Code that handles criteria matches on the form (`match node: case FactCriterion()`)
and ends with `assert_never`, so mypy checks that every form is handled.
"""
CRITERION_FORMS = (FactCriterion, AllOf, AnyOf, AtLeast, Not)


class Rationale(_Strict):
    """Templates for the generated rationale, in the letters' own style."""

    summary: str = Field(description="What the guideline recommends (the rationale's opening).")
    met: str = Field(default="The guideline criteria are met. Therefore, the request is medically necessary.")
    not_met: str = Field(default="Therefore, the request is not medically necessary.")


class Rule(_Strict):
    """One guideline section as executable criteria (one file under rules/)."""

    id: RuleId
    title: str
    source: Literal["MTUS", "ODG", "other"] = Field(description="MTUS (incl. MTUS ACOEM) or a non-MTUS source.")
    guideline: str = Field(description="The guideline as letters name it, e.g. 'ACOEM Practice Guidelines'.")
    chapter: str | None = None
    section: str | None = None
    pages: str | None = None
    edition: str = Field(description="The edition whose text this rule encodes.")
    effective: Effective
    governs: list[Identifier] = Field(default_factory=list, description="Service ids this rule decides.")
    governs_every_service: StrictBool = Field(
        default=False,
        description="A cross-cutting rule: it applies to every item that another rule governs.",
    )
    regions: list[BodyRegion] | None = Field(
        default=None,
        description="The body regions the source covers: the rule governs an item only when every region "
        "the item concerns (its service's region, else its body_region or treated_regions fact, else its "
        "primary procedure's region) is listed. Absent: every region.",
    )
    procedures: list[Identifier] | None = Field(
        default=None,
        description="The primary procedures (primary_procedure values) the source gives criteria for: the "
        "rule governs an item only when its primary_procedure is listed. Absent: any.",
    )
    postsurgical: bool | None = Field(
        default=None,
        description="true: the rule governs only items inside a postsurgical period (the Postsurgical "
        "Treatment Guidelines); false: only items not documented as inside one (the Chronic Pain "
        "guideline); absent: both.",
    )
    phase: Literal["acute", "chronic"] | None = Field(
        default=None,
        description="The phase of the complaint the source covers, read from the case's acute_phase fact: "
        "chronic: only items whose pain has lasted three months or more (the Chronic Pain guideline, 8 CCR "
        "9792.20); acute: only items under three months (the acute and subacute period); absent: any "
        "phase. An item whose phase is not documented is governed by no phase-scoped rule.",
    )
    effect: Literal["supports", "excludes"] = Field(
        default="supports",
        description="supports: the item is medically necessary only if the criteria are met. excludes: when "
        "the criteria are met the item is not medically necessary whatever other rules say; when they are "
        "not met or not documented the rule does not apply.",
    )
    confidence: Literal["V", "K", "I"] = Field(
        description="V: wording confirmed in a public copy; K: as letters quote it; I: reviewers' convention."
    )
    criteria: Criterion
    rationale: Rationale
    notes: str | None = None

    @field_validator("governs")
    @classmethod
    def _unique_services(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a service is listed twice")
        return value

    @model_validator(mode="after")
    def _governs_something(self) -> Rule:
        if not self.governs and not self.governs_every_service:
            raise ValueError("a rule needs 'governs' (service ids) or 'governs_every_service: true'")
        if self.governs and self.governs_every_service:
            raise ValueError("'governs' and 'governs_every_service' exclude each other")
        if self.governs_every_service and self.effect != "excludes":
            raise ValueError("only an 'excludes' rule can govern every service")
        return self

    def citation(self) -> str:
        """The citation as a letter would write it."""
        parts = [("MTUS " if self.source == "MTUS" else "") + self.guideline]
        if self.chapter:
            parts.append(self.chapter)
        if self.section:
            parts.append(self.section)
        text = ", ".join(parts)
        if self.pages:
            text += f", page(s) {self.pages}"
        return f"{text} ({self.edition})"
