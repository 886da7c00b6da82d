"""A second evaluator of the rule library in plain Python: the reference the durable-rules engine is checked against.

It shares no code with `imr_rules.engine.evaluation`, `compiler` or `engine` (only the validated models and the
library): routing, Kleene logic, exclusion gates and same-case dependencies are written again, as
directly as the README states them, so that a disagreement points at a bug in one of the two. The
benchmark (`bench/run.py`) times it as the cost floor of the same logic without the engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from typing_extensions import assert_never

from imr_rules.engine.evaluation import PROCEDURE_REGION, TREATED_REGION
from imr_rules.library.language import OPERATORS
from imr_rules.library.loading import RuleLibrary
from imr_rules.models import AllOf, AnyOf, AtLeast, Case, CaseItem, Criterion, FactCriterion, FactDefinition, Not, Rule

MET, NOT_MET, UNDOCUMENTED = "met", "not_met", "not_documented"
OUTCOME = {MET: "Overturned", NOT_MET: "Upheld", UNDOCUMENTED: "Upheld"}


@dataclass
class OracleItem:
    """What the oracle decides for one item: its outcome and every criterion's status (`rule/criterion`)."""

    item: str
    outcome: str
    decision: str | None = None
    statuses: dict[str, str] = field(default_factory=dict)
    reason: str | None = None


def case_date(case: Case) -> dt.date | None:
    """The date that selects the edition: UR decision, else request, else IMR decision."""
    d = case.dates
    return d.ur_decision or d.request or d.imr_decision


def in_force(rule: Rule, day: dt.date | None) -> bool:
    if day is None:
        return True
    return rule.effective.from_ <= day and (rule.effective.to is None or day < rule.effective.to)


def governing(library: RuleLibrary, service: str, day: dt.date | None) -> list[Rule]:
    """Rules in force that govern the service; cross-cutting rules join only when the service has its own.

    An excluding rule only ever takes a certification away, so a service whose own rules in force are all
    excluding ones (or none) has nothing that could support a decision: no rule decides its items.
    """
    rules = [lr.rule for lr in library.rules]
    own = [r for r in rules if service in r.governs and in_force(r, day)]
    if not any(r.effect == "supports" for r in own):
        return []
    return own + [r for r in rules if r.governs_every_service and in_force(r, day)]


# which region a treated region or a primary procedure names is data the routing reads (not logic the oracle
# re-implements): one table, in imr_rules.engine.evaluation


def regions_of(item: CaseItem, library: RuleLibrary, by_name: dict[str, CaseItem]) -> set[str]:
    """The regions an item concerns: service region, body_region, treated_regions, primary item's, procedure's."""
    service = library.services.get(item.service or "")
    if service is not None and service.region:
        return {service.region}
    if "body_region" in item.facts:
        return {str(item.facts["body_region"].value)}
    treated = item.facts.get("treated_regions")
    if treated is not None and treated.value:
        return {TREATED_REGION.get(v, v) for v in treated.value}
    primary = by_name.get(item.primary or "")
    if primary is not None and primary is not item:
        return regions_of(primary, library, {})
    procedure = item.facts.get("primary_procedure")
    if procedure is not None and procedure.value in PROCEDURE_REGION:
        return {PROCEDURE_REGION[procedure.value]}
    return set()


def covers(
    rule: Rule,
    item: CaseItem,
    library: RuleLibrary,
    by_name: dict[str, CaseItem],
    case_facts: dict[str, Any],
    any_phase: bool = False,
) -> bool:
    """Whether the rule's regions, procedures and phase (unless `any_phase`) cover the item."""
    if rule.regions is not None:
        regions = regions_of(item, library, by_name)
        if not regions or not regions & set(rule.regions):
            return False
    procedure = item.facts.get("primary_procedure")
    if rule.procedures is not None and (procedure is None or procedure.value not in rule.procedures):
        return False
    service = library.services.get(item.service or "")
    stated = item.facts.get("postsurgical_period")
    postsurgical = bool(service is not None and service.postsurgical) or (stated is not None and stated.value is True)
    if rule.phase is not None and not any_phase:
        phase = case_facts.get("acute_phase")
        if phase is None or rule.phase != ("acute" if phase.value else "chronic"):
            return False
    return rule.postsurgical is None or rule.postsurgical == postsurgical


def governing_item(
    library: RuleLibrary,
    item: CaseItem,
    day: dt.date | None,
    by_name: dict[str, CaseItem],
    case_facts: dict[str, Any],
) -> list[Rule]:
    """The rules governing one item: in force, covering its region, procedure and phase. With none of the
    item's phase, the rules covering it in any phase when their phase-scoped supporting rules all cover one
    same other phase (the nearest MTUS text)."""
    in_force = governing(library, item.service or "", day)
    specific = [
        r
        for r in in_force
        if r.effect == "supports"
        and (r.regions is not None or r.procedures is not None or r.postsurgical is not None or r.phase is not None)
    ]

    def usable(rules: list[Rule]) -> bool:
        if specific and not any(r in rules for r in specific):
            return False  # the service's own criteria depend on region, procedure or phase, and none covers it
        return not all(r.effect == "excludes" for r in rules)

    regions = regions_of(item, library, by_name)

    def every_region(rules: list[Rule]) -> list[Rule]:
        """An item of several regions is judged region by region: none when a region has no supporting rule."""
        covered: set[str] = set()
        for r in rules:
            if r.effect == "supports":
                covered |= regions if r.regions is None else set(r.regions)
        return rules if regions <= covered else []

    rules = every_region([r for r in in_force if covers(r, item, library, by_name, case_facts)])
    if usable(rules):
        return rules
    nearest = every_region([r for r in in_force if covers(r, item, library, by_name, case_facts, any_phase=True)])
    phases = {r.phase for r in nearest if r.effect == "supports" and r.phase is not None}
    stated = case_facts.get("acute_phase")
    own = None if stated is None else ("acute" if stated.value else "chronic")
    if len(phases) == 1 and own not in phases and usable(nearest):
        return nearest
    return []


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _normal(definition: FactDefinition, value: Any) -> Any:
    if definition.type == "date":
        return _as_date(value)
    if definition.type == "number":
        return float(value)
    return value


def leaf_status(crit: FactCriterion, facts: dict[str, Any], definitions: dict[str, FactDefinition]) -> str:
    """A fact criterion: not documented when the fact is absent, else the comparison's truth (the operator's
    Python form, `imr_rules.library.language`; the engine runs its durable-rules form)."""
    if crit.fact not in facts:
        return UNDOCUMENTED
    definition = definitions[crit.fact]
    op = OPERATORS[crit.op]
    if op.value == "member":  # a list fact's members, and one member
        return MET if op.holds(facts[crit.fact], crit.value) else NOT_MET
    actual = _normal(definition, facts[crit.fact])
    if op.value == "list":
        expected: Any = [_normal(definition, v) for v in crit.value]
    else:
        expected = _normal(definition, crit.value)
    return MET if op.holds(actual, expected) else NOT_MET


def at_least(n: int, children: list[str]) -> str:
    """Kleene: met when n children are met; not met when too many are not met for n to be reached."""
    if children.count(MET) >= n:
        return MET
    if children.count(NOT_MET) > len(children) - n:
        return NOT_MET
    return UNDOCUMENTED


def node_status(
    rule: Rule, crit: Criterion, facts: dict[str, Any], definitions: dict[str, FactDefinition], out: dict[str, str]
) -> str:
    """A criterion's status; every node's status is recorded in `out` under `rule/criterion`."""
    children = [node_status(rule, c, facts, definitions, out) for c in crit.children]
    match crit:
        case FactCriterion():
            status = leaf_status(crit, facts, definitions)
        case Not():
            status = negate(children[0])
        case AllOf():
            status = at_least(len(children), children)
        case AnyOf():
            status = at_least(1, children)
        case AtLeast():
            status = at_least(crit.at_least, children)
        case _:
            assert_never(crit)
    out[f"{rule.id}/{crit.id}"] = status
    return status


def negate(status: str) -> str:
    """Kleene not: met and not met swap, not documented stays."""
    return {MET: NOT_MET, NOT_MET: MET, UNDOCUMENTED: UNDOCUMENTED}[status]


def rule_statuses(
    rules: list[Rule], facts: dict[str, Any], definitions: dict[str, FactDefinition]
) -> tuple[str, dict[str, str]]:
    """The item's decision over the rules governing it (all_of of the supporting rules' roots and of each
    excluding rule's gate: met -> not met, else met), and every criterion's status."""
    statuses: dict[str, str] = {}
    gates = []
    for rule in rules:
        root = node_status(rule, rule.criteria, facts, definitions, statuses)
        gates.append((NOT_MET if root == MET else MET) if rule.effect == "excludes" else root)
    return at_least(len(gates), gates), statuses


def item_facts(case: Case, item: CaseItem) -> dict[str, Any]:
    facts = {name: fv.value for name, fv in case.facts.items()}
    facts.update({name: fv.value for name, fv in item.facts.items()})
    return facts


def evaluate_case(case: Case, library: RuleLibrary) -> list[OracleItem]:
    """Every item's outcome and criterion statuses, primaries first (dependencies are acyclic)."""
    day = case_date(case)
    by_name = {item.item: item for item in case.items}
    done: dict[str, OracleItem] = {}

    def decide(item: CaseItem) -> OracleItem:
        if item.item in done:
            return done[item.item]
        result = _decide(item)
        done[item.item] = result
        return result

    def _decide(item: CaseItem) -> OracleItem:
        if item.service is None:
            return OracleItem(item.item, "Undetermined", reason="no service")
        rules = governing_item(library, item, day, by_name, case.facts)
        if not rules:
            return OracleItem(item.item, "Undetermined", reason="no rule in force")
        facts = item_facts(case, item)
        if item.primary is not None and item.primary in by_name:
            primary = decide(by_name[item.primary])
            if primary.outcome == "Undetermined":
                return OracleItem(item.item, "Undetermined", reason="primary undetermined")
            facts["primary_status"] = "certified" if primary.outcome == "Overturned" else "non_certified"
        decision, statuses = rule_statuses(rules, facts, library.facts)
        return OracleItem(item.item, OUTCOME[decision], decision, statuses)

    return [decide(item) for item in case.items]
