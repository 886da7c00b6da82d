"""Models of the letter-reading patterns in `rules/extraction/`: context triggers, fact patterns,
request classification. Rule authors extend extraction by editing these YAML files, not Python."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from imr_rules.models.rules import BodyRegion

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Section = Literal["summary", "rationale", "item_name", "item_rationale"]


_COMPILED: dict[str, re.Pattern[str]] = {}


def compile_regex(pattern: str) -> re.Pattern[str]:
    """`re.compile(pattern, re.IGNORECASE)`, compiled once per process (the models check every pattern
    when its file loads, and the reader compiles the same patterns again). Raises re.error."""
    found = _COMPILED.get(pattern)
    if found is None:
        if len(_COMPILED) > 50_000:  # many libraries loaded in one process: start afresh
            _COMPILED.clear()
        found = _COMPILED[pattern] = re.compile(pattern, re.IGNORECASE)
    return found


def _compiles(pattern: str) -> str:
    try:
        compile_regex(pattern)
    except re.error as exc:
        raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
    return pattern


Regex = Annotated[str, AfterValidator(_compiles)]
"""A regular expression, checked when its file is loaded (so a bad one is reported at its file and line)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ContextRules(_Strict):
    """NegEx/ConText-style triggers (regular expressions, matched case-insensitively on word bounds)."""

    window_words: int = Field(default=8, ge=1, le=30, description="How far a trigger reaches, in words.")
    negation_before: list[Regex] = Field(description="Before a mention: it is documented as absent.")
    negation_after: list[Regex] = Field(default_factory=list)
    undocumented_before: list[Regex] = Field(
        default_factory=list, description="Before a mention: the records do not document it (not the same as absent)."
    )
    undocumented_after: list[Regex] = Field(default_factory=list)
    evidence_before: list[Regex] = Field(
        default_factory=list,
        description="Before a mention of a `judgement` fact: the reviewer finds no evidence of it in the records "
        "('no evidence of', 'does not show'), so it is not documented; for other facts these read as absent.",
    )
    evidence_after: list[Regex] = Field(
        default_factory=list, description="After a mention of a `judgement` fact ('... was not shown'): not documented."
    )
    uncertain_before: list[Regex] = Field(default_factory=list, description="Possible, suspected, to rule out...")
    uncertain_after: list[Regex] = Field(default_factory=list)
    evidence_span: list[Regex] = Field(
        default_factory=list,
        description="Only for a `judgement` fact: a stretch of a clause in which every mention is not documented "
        "('no functional improvement has been documented'), where the leading 'no' alone would read it as absent.",
    )
    undocumented_span: list[Regex] = Field(
        default_factory=list,
        description="A stretch of a clause in which every mention is undocumented ('neither A nor B is addressed').",
    )
    historical_before: list[Regex] = Field(
        default_factory=list,
        description="Before a mention: a past condition an operation treated ('underwent a carpal tunnel release "
        "in 2012 for median neuropathy'); not a current finding, left out unless the fact is a `history` fact.",
    )
    historical_after: list[Regex] = Field(
        default_factory=list, description="After a mention: it was treated and is past ('..., released in 2012')."
    )
    requested_before: list[Regex] = Field(
        default_factory=list,
        description="Before a mention of a `care_had` fact: it is what is requested, planned or recommended "
        "('the provider requested a lumbar ESI'), not care had; left out.",
    )
    requested_after: list[Regex] = Field(
        default_factory=list, description="After a mention of a `care_had` fact ('... was requested'): the same."
    )
    requested_end: list[Regex] = Field(
        default_factory=list,
        description="Between a request trigger and a mention: the request's reach ends ('because', 'as she had').",
    )
    requested_more: list[Regex] = Field(
        default_factory=list,
        description="In a requested mention's own list item: more of care had is asked for ('a refill of', "
        "'additional'), so the care was had and the mention is read.",
    )
    study_before: list[Regex] = Field(
        default_factory=list,
        description="Before a denied mention of a `clinical` fact, in its clause: a test's result ('EMG/NCS: "
        "normal study, no evidence of median neuropathy'): the test's finding, not the patient's.",
    )
    pseudo: list[Regex] = Field(default_factory=list, description="Look like triggers but are not ('not only').")
    termination: list[Regex] = Field(default_factory=list, description="End a trigger's reach ('but', 'however').")
    guideline_sentence: list[Regex] = Field(
        default_factory=list, description="The sentence restates a guideline or a hypothetical: not a case fact."
    )
    reported_decision: list[Regex] = Field(
        default_factory=list, description="The sentence reports an earlier decision's reasons (UR): not a finding."
    )
    clause_break: list[Regex] = Field(
        default_factory=list,
        description="Where a clause about this case begins inside a sentence ('..., but in this case the worker "
        "...'): a restated guideline or a reported decision covers only its own clause.",
    )
    complaint_before: list[Regex] = Field(
        default_factory=list,
        description="Before a mention: the patient reports it ('she states', 'complains of'); an `observed` "
        "fact (an examination or imaging finding) is not read from it.",
    )
    complaint_end: list[Regex] = Field(
        default_factory=list,
        description="After a complaint trigger: the clinician's own finding begins ('on examination').",
    )
    case_sentence: list[Regex] = Field(
        default_factory=list,
        description="A sentence about this case (the patient, the records, a date): it ends a guideline's list "
        "quoted item by item after a colon ('Criteria ... are: Emergence of a red flag. Failure to progress ...').",
    )


class SinceInjury(_Strict):
    """A boolean fact the injury and request dates decide: true when the days between them are below
    `below_days`, or at least `at_least_days` (exactly one of the two); false otherwise unless `only_true`."""

    below_days: int | None = Field(default=None, gt=0)
    at_least_days: int | None = Field(default=None, gt=0)
    only_true: bool = Field(
        default=False,
        description="The dates only ever document the fact true, never false.",
    )
    predating: bool | None = Field(
        default=None,
        description="The value the letter's words may give against the dates because the complaint began "
        "before the injury ('carpal tunnel symptoms for two years' a month after the date of injury): words "
        "giving it stand, with a warning; words giving the other value against the dates leave the fact out.",
    )
    opposite: Identifier | None = Field(
        default=None,
        description="A boolean case fact whose value read from the letter's words gives this fact the other "
        "value where this fact's own words are silent (pain of three months or more is past the acute phase), "
        "with that fact's sentences as evidence, as words are.",
    )

    @model_validator(mode="after")
    def _one_bound(self) -> SinceInjury:
        if (self.below_days is None) == (self.at_least_days is None):
            raise ValueError("since_injury needs exactly one of 'below_days' and 'at_least_days'")
        return self

    def holds(self, days: int) -> bool:
        """The fact's value for an injury `days` before the request."""
        return days < self.below_days if self.below_days is not None else days >= (self.at_least_days or 0)


class FactPattern(_Strict):
    """How one fact is read: mentions (targets) in the given sections, then context decides the value."""

    fact: Identifier
    sections: list[Section] = Field(default_factory=lambda: list[Section](["summary", "rationale"]))
    targets: list[Regex] = Field(
        default_factory=list,
        description="Regular expressions; a match is a mention of the fact. With `members`: a mention naming "
        "no member ('no prior MRI'), read only when negated, which documents every member absent.",
    )
    members: dict[Identifier, list[Regex]] = Field(
        default_factory=dict,
        description="For a list fact: member value -> regular expressions mentioning it. Members mentioned as "
        "present form the list; if every mention is negated the list is documented as empty.",
    )
    absent_targets: list[Regex] = Field(
        default_factory=list,
        description="Mentions that state the finding as absent in their own words ('have not been ruled out').",
    )
    every_member: bool = Field(
        default=False,
        description="For a boolean fact made of parts (`members`: the opioid safety checks): true when every "
        "member is documented present, false when one is documented absent, else not documented. With "
        "`targets` too, a sentence naming the parts together (or `absent_targets`) decides first.",
    )
    absent_members: dict[Identifier, list[Regex]] = Field(
        default_factory=dict,
        description="With `every_member`: member -> mentions stating it not done in their own words ('the "
        "CURES report was not checked').",
    )
    sign_targets: list[Regex] = Field(
        default_factory=list,
        description="Mentions of one sign of the fact ('a compression fracture' for red flags): present, it "
        "documents the fact; negated, it says nothing of the others ('no compression fracture' is not 'no red "
        "flags'), so it is not read.",
    )
    outcome_targets: list[Regex] = Field(
        default_factory=list,
        description="An outcome stated in a sentence of its own, naming no care ('records indicate no change in "
        "his complaints'): when no target reads the fact and the reviewer does not call it undocumented, a "
        "present (neither negated nor hedged) outcome in the summary, beside a summary sentence matching "
        "`history_targets` (the care had), gives `present`, inferred, with both sentences as evidence.",
    )
    history_targets: list[Regex] = Field(
        default_factory=list,
        description="With `outcome_targets`: the summary's sentence listing the care had ('treatment to date has "
        "included physical therapy, ...').",
    )
    absent_outcome_targets: list[Regex] = Field(
        default_factory=list,
        description="The other way round from `outcome_targets`: an improvement stated in a sentence of its own "
        "('records indicate 70% improvement in pain'), beside the summary's list of care had (`history_targets`), "
        "gives `absent`, inferred, on the same conditions; an outcome of each kind leaves the fact unread.",
    )
    short_trial_targets: list[Regex] = Field(
        default_factory=list,
        description="A judgement fact's reviewer's reason that the care was too little to judge ('as she had "
        "undergone one session of therapy', 'he has not yet had physical therapy'): in the reviewer's sentence "
        "calling the fact undocumented ('there is no indication that she failed conservative care'), after the "
        "mention, or in the rationale's next sentence, it is the reviewer's finding that the fact is not so: "
        "`absent`, with both sentences as evidence, when no target reads the fact.",
    )
    verdict_targets: list[Regex] = Field(
        default_factory=list,
        description="With `any_sign`: the fact named whole, in the guideline's words ('nerve compromise'), read "
        "as `targets`; negated in the reviewer's rationale ('the exam revealed no evidence of nerve compromise') "
        "it is the reviewer's finding that the examination shows none, which a sign read present elsewhere does "
        "not outvote: they disagree and the fact is left out.",
    )
    present: Any = Field(default=True, description="Value when mentioned as present.")
    absent: Any = Field(default=False, description="Value when mentioned as absent (negated); null: ignore.")
    capture: bool = Field(
        default=False, description="Take the value from the target's named group 'value' instead of `present`."
    )
    map: dict[str, Any] = Field(default_factory=dict, description="Captured text (lower case) -> value.")
    unit: Literal["days", "weeks", "months", "years"] | None = Field(
        default=None,
        description="With `capture`: the captured 'value' is a span of time ('nine months', 'half a year'), "
        "converted to this unit (the fact's own).",
    )
    below: float | None = Field(
        default=None,
        description="With `unit`, for a boolean fact: true when the captured span is shorter than this many "
        "units, false otherwise (e.g. the acute phase: under 90 days since the injury).",
    )

    since_injury: SinceInjury | None = Field(
        default=None,
        description="For a boolean case fact: when the letter's words do not state it, the days from the injury "
        "date to the request's (UR's) date decide it, marked inferred, with the lines writing both dates as "
        "evidence (the acute phase: under 90 days; pain of three months: at least 90 days). Words that "
        "contradict the dates leave the fact out with a warning.",
    )

    @model_validator(mode="after")
    def _targets_or_members(self) -> FactPattern:
        if not self.targets and not self.members:
            raise ValueError("a fact pattern needs 'targets' or 'members'")
        if self.every_member and not self.members:
            raise ValueError("'every_member' needs 'members'")
        unknown = sorted(set(self.absent_members) - set(self.members))
        if unknown:
            raise ValueError(f"'absent_members' names no member: {', '.join(unknown)}")
        return self

    requires: list[Identifier] = Field(
        default_factory=list, description="Read only when these facts were read as true (e.g. pain after a fusion)."
    )
    any_sign: bool = Field(
        default=False,
        description="The fact is that any of several signs is present (an objective finding of "
        "radiculopathy): a sign read as present decides it, a sign read as absent ('no Achilles reflex "
        "asymmetry') does not contradict another; false only when every mention is absent.",
    )
    observed: bool = Field(
        default=False,
        description="An examination or imaging finding: a mention the patient reports ('she states her leg is "
        "weak', 'complains of numbness') is a complaint, not this fact, and is not read.",
    )
    history: bool = Field(
        default=False,
        description="A past condition counts (a history of a GI bleed): a mention the context calls historical "
        "(context `historical_before`/`historical_after`: a condition an operation treated) is read.",
    )
    judgement: bool = Field(
        default=False,
        description="A reviewer's judgement over the records (functional improvement, failed conservative care): "
        "'no evidence of it' or 'the records do not show it' (context `evidence_before`/`evidence_after`) leaves "
        "it not documented; only a finding in the reviewer's own words ('the visits were not beneficial', "
        "'there was no functional improvement') reads it as false.",
    )
    clinical: bool = Field(
        default=False,
        description="Documented on history and examination (neuropathic pain): a mention denied in a test's "
        "result (context `study_before`: 'EMG/NCS: normal study, no evidence of median neuropathy') is the "
        "test's finding, not the patient's, and is not read; a present mention is.",
    )
    care_had: bool = Field(
        default=False,
        description="Care had (tried, taken, completed): a mention naming what is requested, planned or "
        "recommended (context `requested_before`/`requested_after`: 'the provider requested an epidural "
        "injection') is the request, not care had, and is not read; asking for more of it ('a refill of "
        "tramadol', 'additional therapy') is read.",
    )
    in_decisions: bool = Field(
        default=False,
        description="Read in sentences that report a decision too: a fact about the request's own wording, "
        "which a decision describes ('the request for three ECGs over an unspecified period of time is not "
        "medically necessary').",
    )
    services: list[Identifier] = Field(
        default_factory=list,
        description="An item fact read only for items of these services (empty: every item): what the item's "
        "name says of a study ('upper_limb_study') is not read from an injection's or a therapy's name.",
    )
    notes: str | None = None


class RegionTerms(_Strict):
    """Words naming a body part, and the body regions (services.yaml `region`) a finding there can concern."""

    names: list[Regex] = Field(min_length=1, description="Regular expressions (case-insensitive, whole words).")
    regions: list[BodyRegion] = Field(min_length=1)
    body_region: BodyRegion | None = Field(
        default=None,
        description="The region an item named with these words concerns (its `body_region` fact); none for "
        "words that span several regions ('arm', 'leg').",
    )
    case_sensitive: bool = Field(default=False, description="For spinal levels ('L5', 'C6'), not words.")


class Lexicon(_Strict):
    """`rules/extraction/lexicon.yaml`: concept lexicons fact targets use as `@{name}`, and body regions."""

    terms: dict[Identifier, list[Regex]] = Field(
        description="Name -> synonyms (regular expressions); `@{name}` in a target stands for their alternation."
    )
    regions: dict[Identifier, RegionTerms] = Field(default_factory=dict)


class RequestDateTier(_Strict):
    """One kind of sentence that dates the request (facts.yaml `request_dates`): a request for authorization's
    date, a visit that asked for the care, the date of service utilization review referenced, the last visit."""

    kind: str = Field(min_length=1, description="What the tier's sentences date, for people (and warnings).")
    patterns: list[Regex] = Field(min_length=1, description="Regular expressions with a named group 'date'.")


class FactPatterns(_Strict):
    """`rules/extraction/facts.yaml`."""

    facts: list[FactPattern]
    fragments: dict[Identifier, str] = Field(
        default_factory=dict,
        description="Named pieces of patterns, written `{{name}}` in any pattern of facts.yaml or requests.yaml.",
    )
    dates: dict[Literal["injury", "request", "ur_decision", "imr_decision"], list[Regex]] = Field(
        default_factory=dict, description="Regular expressions with a named group 'date' (letters without a header)."
    )
    request_dates: list[RequestDateTier] = Field(
        default_factory=list,
        description="The request's date (the visit or request for authorization that made the disputed request), "
        "tier by tier: the first tier that finds a date in the summary between the injury and utilization "
        "review's decision gives the latest it finds; none found: UR's decision date stands for it.",
    )


class ServicePattern(_Strict):
    service: Identifier
    patterns: list[Regex] = Field(min_length=1)


class ProcedurePattern(_Strict):
    value: Identifier = Field(description="A value of the primary_procedure fact.")
    patterns: list[Regex] = Field(min_length=1)


class QuantityPattern(_Strict):
    regex: Regex
    value: str = Field(
        description="A named group, or a product of named groups ('a*b'), or a number; with `days`, the named "
        "group holding a span of time ('two (2) weeks', 'a month'), counted in days."
    )
    days: bool = Field(default=False, description="The group named by `value` is a span of time, in days.")


class Quantity(_Strict):
    fact: Identifier
    services: list[Identifier]
    patterns: list[QuantityPattern] = Field(min_length=1)


class StatusPattern(_Strict):
    value: Literal["certified", "non_certified", "not_established"]
    patterns: list[Regex] = Field(min_length=1)


class PrimaryRules(_Strict):
    """How a dependent item's primary procedure and its status are read."""

    services: list[Identifier] = Field(description="Services that can be the primary of a dependent item.")
    by_service: dict[Identifier, list[Identifier]] = Field(
        default_factory=dict,
        description="Dependent service -> the services that can be its primary (default: `services`), e.g. a "
        "PPI's primary is the NSAID it protects, never a surgery.",
    )
    mention: list[Regex] = Field(description="Words that name a procedure in a sentence about its status.")
    mention_by_service: dict[Identifier, list[Regex]] = Field(
        default_factory=dict,
        description="Dependent service -> the words that name its primary (default: `mention`), e.g. a PPI's "
        "primary is named by NSAID words, a surgery's dependents never are.",
    )
    planned: list[Regex] = Field(
        default_factory=list, description="A sentence announcing a planned procedure (requested, recommended...)."
    )
    performed: list[Regex] = Field(
        default_factory=list,
        description="Words before a procedure already done ('underwent', 'status post'): the primary of an "
        "item of `after_surgery`, certified (it was done), read as inferred.",
    )
    performed_after: list[Regex] = Field(
        default_factory=list, description="Words after a procedure already done ('was performed on')."
    )
    not_performed: list[Regex] = Field(
        default_factory=list,
        description="Words that keep a clause from saying a procedure was done (a negation, a plan, a request).",
    )
    not_performed_after: list[Regex] = Field(
        default_factory=list,
        description="The procedure's own predicate right after it saying it is not done ('... is planned', "
        "'... was requested'), matched at the start of the words after the procedure.",
    )
    after_surgery: list[Identifier] = Field(
        default_factory=list,
        description="Dependent services given after their surgery (post-operative therapy): their primary may "
        "be a procedure the letter says was done; a pre-operative test's never is.",
    )
    statuses: list[StatusPattern] = Field(description="In order: the first that matches a sentence wins.")


class Derived(_Strict):
    """An item fact computed from others once they are read (e.g. visits done + visits requested)."""

    fact: Identifier
    sum: list[Identifier] = Field(min_length=2)
    zero_when_false: dict[Identifier, Identifier] = Field(
        default_factory=dict,
        description="Part -> a boolean fact: the part counts as 0 when it is not read and that fact is false "
        "(no visits completed when no prior course was had).",
    )


class VisitWords(_Strict):
    """The parts the visit-count patterns name: `{had}`, `{unit}`, `{visits_of_therapy}` (which may use
    `{unit}` and `{therapy}`, the service's therapy words)."""

    had: str = Field(description="A verb of having had the visits ('has attended', 'completed').")
    unit: str = Field(description="What a visit is called ('sessions', 'visits', 'treatments').")
    visits_of_therapy: str = Field(description="A unit of visits of the therapy ('sessions of PT', 'PT visits').")
    same_request: str = Field(
        default="", description="Read after a count: the visits are part of this request ('through this request')."
    )


class HistoryRules(_Strict):
    """How a treatment-history list documents a prior course of a therapy, or (inferred) its absence, and
    how many visits of it were had."""

    lists: list[Regex] = Field(description="A sentence that lists the treatments had so far.")
    therapies: dict[Identifier, list[Regex]] = Field(description="Service -> words naming that therapy.")
    past_words: list[Regex] = Field(
        default_factory=list,
        description="Outside a list, a sentence naming the therapy with one of these states whether it was had.",
    )
    unclear: list[Regex] = Field(
        default_factory=list, description="Words that may name the therapy without saying which ('therapy')."
    )
    any_therapy: list[Regex] = Field(
        default_factory=list,
        description="Words naming any course of treatment ('therapy of any kind'): negated, no course of any "
        "therapy was had.",
    )
    unclear_for: dict[Identifier, list[Regex]] = Field(
        default_factory=dict,
        description="Service -> more words that may name that service's therapy without saying which "
        "('physical therapy' for a post-operative course, which it may or may not have been).",
    )
    request_words: list[Regex] = Field(
        default_factory=list, description="A sentence with one of these is about the request, not the history."
    )
    outcome_words: list[Regex] = Field(
        default_factory=list,
        description="With the therapy, a course's outcome: no first course is inferred (even in a decision).",
    )
    first_course: list[Regex] = Field(
        default_factory=list,
        description="Words just before the therapy's name that make the request its first course ('would be "
        "her first'): prior_course_completed false, read in a request's sentence too.",
    )
    other_therapies: dict[Identifier, list[Identifier]] = Field(
        default_factory=dict,
        description="Service -> the services (keys of `therapies`) whose words name another therapy than it: a "
        "count of visits the item's own patterns read in a sentence naming only those is another course's.",
    )
    other_therapy_words: list[Regex] = Field(
        default_factory=list,
        description="Words naming a therapy that is none of `therapies` ('aquatic therapy', 'massage').",
    )
    visits: list[QuantityPattern] = Field(
        default_factory=list,
        description="A count of the therapy's visits had, with its cue (`{had}`, `{therapy}`, ... placeholders).",
    )
    listed_visits: list[QuantityPattern] = Field(
        default_factory=list, description="A count of the therapy's visits, read after a history list's head."
    )
    visit_totals: list[QuantityPattern] = Field(
        default_factory=list,
        description="The total of counts a sentence sums ('18 visits in 2016 and 6 more, 24 in all'): where one "
        "matches, it is the sentence's only count (its parts do not disagree with it).",
    )
    follow_visits: list[QuantityPattern] = Field(
        default_factory=list,
        description="A count of visits had that names no therapy ('He has completed 12 sessions'), read in the "
        "summary from the sentence right after one naming the item's therapy and no other.",
    )
    visit_words: VisitWords | None = None


class DrugClass(_Strict):
    """A medication service's drug class, as regular expressions."""

    nouns: list[str] = Field(description="Words naming the class ('muscle relaxants', 'opioids').")
    members: list[str] = Field(default_factory=list, description="The class's drugs, generic and brand names.")
    continues: bool = Field(
        default=True,
        description="Whether another drug of the class already taken continues it (false for a class of unlike "
        "products, topical analgesics: only its never being taken is read from the class).",
    )


class MedicationRules(_Strict):
    """How a medication item's status (new or continuing) is read from the summary for its drug."""

    services: list[Identifier] = Field(description="Medication services whose items are read.")
    same_drug: list[list[str]] = Field(
        default_factory=list, description="Names of one drug (generic and brands), matched as words, any case."
    )
    continuing: list[Regex] = Field(description="Patterns with {drug}: the drug is already taken.")
    new: list[Regex] = Field(
        description="Patterns with {drug}: the drug is started now (a first prescription or trial)."
    )
    prescribed_on: list[Regex] = Field(
        default_factory=list,
        description="Patterns with {drug} and a `date` group: the drug prescribed or started on a day; on the "
        "request's day, with the drug named nowhere else, it is new (false, inferred).",
    )
    never: list[Regex] = Field(
        default_factory=list,
        description="Patterns stating the drug (with {drug}, which also names its class) or any drug (without "
        "it) was never taken: the negation is the pattern's own, so a negated match is read (false).",
    )
    classes: dict[Identifier, DrugClass] = Field(
        default_factory=dict,
        description="Service -> its drug class: the requested drug 'or one of its class' already taken "
        "continues the class (continuing patterns), and the class never taken is the drug never taken.",
    )
    lists: list[Regex] = Field(
        default_factory=list,
        description="The head of a current medication list; a list not naming the drug infers a new drug.",
    )
    unclear: list[Regex] = Field(
        default_factory=list, description="Words in a list that may cover the drug unnamed (a class, 'others')."
    )
    decision_words: list[Regex] = Field(
        default_factory=list, description="A sentence with one of these is about the request or its review."
    )
    not_in_lists: list[Identifier] = Field(
        default_factory=list,
        description="Boolean case facts whose targets (facts.yaml) name drugs (gi_risk_medications): a current "
        "medication list naming drugs but none of these nor a class that could cover them, the drugs named "
        "nowhere else, makes the fact false, inferred, when no words state it.",
    )
    own_drug_facts: list[Identifier] = Field(
        default_factory=list,
        description="Item facts about the item's own drug (the relief it gives, the improvement it brought): for "
        "a medication item whose name gives one drug, a sentence naming the drug of another item of the letter "
        "(with its `same_drug` names) and not this one is that item's evidence, not this item's.",
    )


class NotAService(_Strict):
    """Item names that resemble a service but ask for another thing (a drug pump's refill is neither the
    drug's prescription nor the pump's implantation): left unclassified, with the reason."""

    reason: str = Field(min_length=1, description="Why, as the unclassified item's warning says it.")
    patterns: list[Regex] = Field(min_length=1)


class RequestPatterns(_Strict):
    """`rules/extraction/requests.yaml`: classify items, read quantities, link dependents to primaries."""

    not_services: list[NotAService] = Field(
        default_factory=list, description="Tried before `services`: a name matching one is not classified."
    )
    services: list[ServicePattern] = Field(description="In order: the first service whose pattern matches wins.")
    procedures: list[ProcedurePattern] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    derived: list[Derived] = Field(default_factory=list)
    primary: PrimaryRules
    history: HistoryRules | None = None
    medication: MedicationRules | None = None


class CitationScope(_Strict):
    pattern: Regex
    services: list[Identifier]


class Conclusion(_Strict):
    not_necessary: list[Regex]
    necessary: list[Regex]


class Region(_Strict):
    names: list[Regex]
    levels: list[Regex]


class CheckPatterns(_Strict):
    """`rules/extraction/check.yaml`: what the consistency check reads besides facts."""

    citations: list[CitationScope]
    conclusion: Conclusion
    dependency_reason: list[Regex]
    regions: dict[Identifier, Region]
    imaging_words: Regex
