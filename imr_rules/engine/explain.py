"""Turn the statuses durable-rules derived into determinations a reviewer can read.

A child "decided" its parent when it carries the parent's status (inverted under `not`): for an
all_of that is not met, the unmet children; for one not documented, the undocumented ones; for a
met any_of, the met children. Only decisive nodes feed the rationale, so the explanation points at
what decided the item; the others are listed with their status and marked as not decisive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from typing_extensions import assert_never

from imr_rules.engine.compiler import CompiledRuleset
from imr_rules.library.language import NEGATED, OPERATORS
from imr_rules.models import (
    AllOf,
    AnyOf,
    AtLeast,
    Case,
    CaseItem,
    Criterion,
    CriterionResult,
    Determination,
    Evidence,
    FactCriterion,
    FactValue,
    Not,
    Rule,
)

OUTCOME = {"met": "Overturned", "not_met": "Upheld", "not_documented": "Upheld"}


def undetermined(item: CaseItem, reason: str) -> Determination:
    return Determination(
        item=item.item,
        service=item.service,
        outcome="Undetermined",
        medically_necessary=None,
        rule=None,
        rationale=f"Undetermined: {reason}.",
        reason=reason,
        primary=item.primary,
        letter_decision=item.decision,
        agrees_with_letter=None,
    )


def derived_primary_status(primary: CaseItem, status: str) -> FactValue:
    """The primary_status the engine's link rules derived from a same-case primary's decision."""
    decided = "Overturned" if status == "certified" else "Upheld"
    return FactValue(
        value=status,
        evidence=[Evidence(quote=f"derived: '{primary.item}' is {decided} by these rules", section="derived")],
    )


@dataclass(frozen=True)
class _Step:
    """One criterion node of a rule, in document order, with what explaining it needs precomputed."""

    key: str  # "rule/criterion", the compiled node's key
    node: Criterion
    depth: int
    parent: int  # index of the parent step, -1 for the root
    test: str | None  # the comparison a fact criterion makes, as shown to readers
    gated_by: tuple[int, ...]  # for a tree node: its applicability children (all must be met to decide)
    fact: str | None  # the fact a fact criterion tests
    fields: dict[str, Any]  # the CriterionResult fields that are the same for every item


@dataclass(frozen=True)
class _Plan:
    rule: Rule
    citation: str
    steps: tuple[_Step, ...]
    applied: dict[str, Any]  # the RuleApplied fields that are the same for every item (all but status)


# Plans by rule object: built once per rule, they make explaining an item a flat loop (it used to be a
# recursive walk rebuilding strings, citations and lookups for every item; a quarter of evaluation time).
_PLANS: dict[int, _Plan] = {}


def _plan(rule: Rule) -> _Plan:
    found = _PLANS.get(id(rule))
    if found is not None and found.rule is rule:
        return found
    steps: list[_Step] = []

    def add(node: Criterion, depth: int, parent: int) -> None:
        index = len(steps)
        test = None
        fact = None
        if isinstance(node, FactCriterion):
            test = f"{node.fact} {OPERATORS[node.op].test} {_show(node.value)}"
            fact = node.fact
        key = f"{rule.id}/{node.id}"
        fields = {
            "id": key,
            "rule": rule.id,
            "text": node.text,
            "depth": depth,
            "kind": node.form,
            "cite": node.cite,
            "test": test,
            "fact": fact,
        }
        steps.append(_Step(key, node, depth, parent, test, (), fact, fields))
        gated: list[int] = []
        for child in node.children:
            if isinstance(child, FactCriterion) and child.applicability:
                gated.append(len(steps))
            add(child, depth + 1, index)
        if gated:
            steps[index] = _Step(key, node, depth, parent, test, tuple(gated), fact, fields)

    add(rule.criteria, 0, -1)
    if len(_PLANS) > 4096:  # libraries reloaded many times in one process (tests): start afresh
        _PLANS.clear()
    citation = rule.citation()
    applied = {
        "id": rule.id,
        "title": rule.title,
        "citation": citation,
        "edition": rule.edition,
        "source": rule.source,
        "effect": rule.effect,
    }
    plan = _PLANS[id(rule)] = _Plan(rule, citation, tuple(steps), applied)
    return plan


def determination(
    case: Case,
    item: CaseItem,
    index: int,
    decision: str,
    governing: list[Rule],
    compiled: CompiledRuleset,
    statuses: dict[tuple[str, int], str],
    derived: dict[str, FactValue] | None = None,
    basis: str | None = None,
) -> Determination:
    """One item's determination from the statuses the engine derived.

    `derived` holds facts the engine derived for this item rather than read from the case (the
    primary_status of a dependent whose primary is an item of the case), shown like documented facts;
    `basis` is the determination's `basis` (why its guideline governs, when its phase chose it).

    The determination is built as plain data and validated once (`Determination.model_validate`): one
    call into pydantic's core for the item's ~30 criteria, rules and facts, where a model built per
    criterion cost about as much again as the rest of the explanation (see bench/RESULTS.md, issue 19).
    """
    outcome = OUTCOME[decision]
    applied: list[dict[str, Any]] = []
    criteria: list[dict[str, Any]] = []
    deciding: Rule | None = None
    reasons: list[str] = []
    plans = [_plan(rule) for rule in governing]
    for plan in plans:
        rule = plan.rule
        root_status = statuses.get((compiled.roots[rule.id], index), "not_documented")
        applied.append({**plan.applied, "status": root_status})
        if rule.effect == "excludes":
            rule_decisive = root_status == "met" and decision != "met"
        else:
            rule_decisive = root_status == decision
        if rule_decisive and deciding is None:
            deciding = rule
        results = _criteria(plan, index, statuses, rule_decisive, case, item, derived or {})
        criteria.extend(results)
        if rule_decisive:  # each reason once: two decisive rules may share a criterion's wording
            reasons.extend(p for p in _phrases(plan, results, item) if p not in reasons)
    deciding = deciding or governing[0]
    rationale = _rationale(deciding, outcome, reasons, item)
    agrees = None if item.decision is None else item.decision == outcome
    return Determination.model_validate(
        {
            "item": item.item,
            "service": item.service,
            "outcome": outcome,
            "medically_necessary": outcome == "Overturned",
            "rule": deciding.id,
            "rules": applied,
            "criteria": criteria,
            "citations": [plan.citation for plan in plans],
            "editions": sorted({r.edition for r in governing}),
            "rationale": rationale,
            "basis": basis,
            "primary": item.primary,
            "letter_decision": item.decision,
            "agrees_with_letter": agrees,
        }
    )


def _criteria(
    plan: _Plan,
    index: int,
    statuses: dict[tuple[str, int], str],
    decisive: bool,
    case: Case,
    item: CaseItem,
    derived: dict[str, FactValue],
) -> list[dict[str, Any]]:
    """Every criterion of a rule, parents before children, each with its status and whether it decided:
    the fields of a CriterionResult (its `facts` those of FactUse), as data."""
    steps = plan.steps
    status = [statuses.get((step.key, index), "not_documented") for step in steps]
    # decides[j]: this node's status helped decide the item; a parent passes it to the children that
    # carried its status, and only when its applicability conditions (if any) are met
    decides: list[bool] = []
    out: list[dict[str, Any]] = []
    item_facts, case_facts = item.facts, case.facts
    for j, step in enumerate(steps):
        if step.parent < 0:
            here = decisive
        elif not decides[step.parent]:
            here = False
        else:
            parent = steps[step.parent]
            applies = not parent.gated_by or all(status[g] == "met" for g in parent.gated_by)
            here = (applies and _decided(parent.node, status[step.parent], status[j])) or (
                # an undocumented applicability criterion is why its branch could not decide: it explains
                j in parent.gated_by and status[j] == "not_documented"
            )
        decides.append(here)
        facts: list[dict[str, Any]] = []
        name = step.fact
        if name is not None:
            fact = item_facts.get(name) or case_facts.get(name) or derived.get(name)
            if fact is not None:
                facts.append({"name": name, "value": fact.value, "evidence": fact.evidence, "inferred": fact.inferred})
        out.append({**step.fields, "status": status[j], "decisive": here, "facts": facts})
    return out


def _decided(node: Criterion, status: str, child_status: str) -> bool:
    """Did a child with this status help give its parent its status?"""
    match node:
        case Not():
            return child_status == NEGATED[status]
        case AnyOf() | AtLeast() if status == "not_documented":
            # an any_of / at_least left undocumented: its unmet children failed to carry it too
            return child_status in ("not_documented", "not_met")
        case AllOf() | AnyOf() | AtLeast() | FactCriterion():
            return child_status == status
        case _:
            assert_never(node)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def _phrases(plan: _Plan, results: list[dict[str, Any]], item: CaseItem) -> list[str]:
    """The decisive leaves' phrases for the rationale, in document order (`results` as `_criteria` gives
    them)."""
    phrases: list[str] = []
    for step, result in zip(plan.steps, results, strict=True):
        node = step.node
        if not result["decisive"] or node.children:
            continue
        status = result["status"]
        template = {
            "met": node.met_text,
            "not_met": node.not_met_text,
            "not_documented": node.not_documented_text,
        }[status]
        if template is None:
            template = _default_phrase(node.text, status)
        value = result["facts"][0]["value"] if result["facts"] else None
        phrase = _fill(template, item=item.item, primary=item.primary or "the primary procedure", value=value)
        if phrase not in phrases:
            phrases.append(phrase)
    return phrases


def _default_phrase(text: str, status: str) -> str:
    """The rationale's phrase for a decisive criterion whose rule gives none of its own (`met_text`,
    `not_met_text`, `not_documented_text`): the criterion's text quoted, then its status. Criterion texts are
    clauses ("The NSAID is not already in use") or noun phrases ("High-dose or multiple NSAIDs"), so the text
    is quoted rather than built into a clause: "that ..." on a noun phrase, or "it is not the case that" on a
    negated clause, made sentences a reader could not parse."""
    statement = text.rstrip(". ")
    shown = {"met": "met", "not_met": "not met"}.get(status, "not documented")
    return f'the criterion "{statement}" is {shown}'


def _fill(template: str, **values: Any) -> str:
    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        value = values.get(key)
        return match.group(0) if value is None else _show(value)

    return re.sub(r"\{(\w+)\}", sub, template)


def _rationale(rule: Rule, outcome: str, reasons: list[str], item: CaseItem) -> str:
    summary = rule.rationale.summary.strip()
    closing = rule.rationale.met if outcome == "Overturned" else rule.rationale.not_met
    closing = _fill(closing, item=item.item, primary=item.primary or "the primary procedure")
    if reasons:
        joined = reasons[0] if len(reasons) == 1 else "; ".join(reasons[:-1]) + "; and " + reasons[-1]
        middle = f" In this case, {joined}."
    else:
        middle = ""
    return f"{summary}{middle} {closing}".strip()


def deciding_criteria(det: Determination) -> list[CriterionResult]:
    """What decided an item, as the --explain tree shows it, most telling first: for each rule that
    decided it (`det.rules` order), the criteria that stand in its way or carry it.

    From a deciding rule's root, follow the decisive children that carry the node's own status: every
    one of them under an all_of not met or not documented (each stands in the way); the one under an
    any_of / at_least when it alone decided (else the group itself: its alternatives decided together);
    none under an all_of met or a `not` (the node itself: a `not`'s child has the opposite status). An
    excluding rule is named only when it applies (met), as the tree's "applies: excludes the item". Empty
    for an Undetermined item. Shapes: `det.criteria` is flat, parents first, `depth` giving the tree."""
    chosen: list[CriterionResult] = []
    criteria = det.criteria
    for applied in det.rules:
        indices = [j for j, c in enumerate(criteria) if c.rule == applied.id]
        if not indices or not criteria[indices[0]].decisive:
            continue
        chosen.extend(criteria[j] for j in _carriers(criteria, indices, indices[0]))
    return chosen


def telling_criteria(det: Determination) -> list[CriterionResult]:
    """`deciding_criteria` in the order the one-line view names them: for an Upheld item, a criterion
    documented NOT MET that decided comes first, also from inside a criterion or group of alternatives
    left undocumented ("a first course within the six-visit trial, or further visits ..." undocumented,
    its "at most six visits are requested" NOT MET), since the records contradict it; the rest follow,
    each once. Not named that way: a branch NOT MET only because it does not apply (its applicability
    condition not met: an initial trial for a drug already in use), an alternative that only says which
    branch the case takes (`_path_not_taken`) and a `not` saying what the request is ("no lidocaine
    patch"). Shapes as `deciding_criteria`."""
    deciding = deciding_criteria(det)
    if det.outcome != "Upheld" or all(c.status != "not_documented" for c in deciding):
        return deciding
    criteria = det.criteria
    first: list[int] = []
    for crit in deciding:
        at = criteria.index(crit)
        indices = [j for j, c in enumerate(criteria) if c.rule == crit.rule]
        for j in _not_met_within(criteria, indices, at):
            if j not in first:
                first.append(j)
    # a group whose alternatives but one are NOT MET (not applying): named by the one left
    left = [criteria[_alternative_left(criteria, criteria.index(c))] for c in deciding]
    if not first:
        return left
    named = [criteria[j] for j in first]
    return named + [c for c, was in zip(left, deciding, strict=True) if all(was is not n for n in named)]


def _alternative_left(criteria: list[CriterionResult], at: int) -> int:
    """For a group of alternatives left undocumented whose other alternatives are all NOT MET (an initial
    trial, for a drug already in use), the one alternative left, followed down while that holds
    ("Continuing: on-going review documented, ..." rather than "An initial trial ..., or continuation
    ..."); else `at` itself."""
    node = criteria[at]
    if node.status != "not_documented" or node.kind != "any_of":
        return at
    indices = [j for j, c in enumerate(criteria) if c.rule == node.rule]
    children = _children(criteria, indices, at)
    left = [j for j in children if criteria[j].status != "not_met"]
    if len(children) < 2 or len(left) != 1:
        return at
    return _alternative_left(criteria, left[0])


def _not_met_within(criteria: list[CriterionResult], indices: list[int], at: int) -> list[int]:
    """The criteria documented NOT MET that decided at or under criteria[at], most specific first."""
    node = criteria[at]
    children = _children(criteria, indices, at)
    if node.status == "not_met":
        decisive = [j for j in children if criteria[j].decisive]
        if children and not decisive and node.kind == "all_of":
            return []  # gated by an applicability condition not met: the branch does not apply
        carriers = _status_carriers(criteria, indices, at)
        if all(criteria[k].kind == "not" for k in carriers):
            return []  # "no lidocaine patch" NOT MET says what the request is, not what the records lack
        return carriers
    if node.kind in ("fact", "not"):
        return []
    found: list[int] = []
    for j in children:
        if criteria[j].decisive and not _path_not_taken(criteria, indices, j, children):
            found.extend(_not_met_within(criteria, indices, j))
    return found


def _path_not_taken(criteria: list[CriterionResult], indices: list[int], at: int, siblings: list[int]) -> bool:
    """Whether criteria[at], a NOT MET fact among alternatives, only says which alternative the case
    takes: a sibling branch tests the same fact and meets it ("the NSAID is not already in use", a first
    prescription, NOT MET where the sibling "continued use" meets "the NSAID is already in use"). A looser
    bound met beside (at most 24 visits, for CRPS) does not: it says the number is over this limit, not
    which branch the case takes, so "[NOT MET] At most 10 visits are requested" is still named."""
    node = criteria[at]
    if node.kind != "fact" or node.status != "not_met" or node.fact is None:
        return False
    if _is_bound(node.test):
        return False
    for sibling in siblings:
        if sibling == at:
            continue
        end = next((k for k in indices if k > sibling and criteria[k].depth <= criteria[sibling].depth), None)
        for k in indices[indices.index(sibling) : indices.index(end) if end is not None else len(indices)]:
            if criteria[k].fact == node.fact and criteria[k].status == "met":
                return True
    return False


_BOUND = re.compile(r" (<=|>=|<|>) ")


def _is_bound(test: str | None) -> bool:
    """Whether a fact criterion's test is a numeric bound ("requested_visits <= 10")."""
    return bool(test and _BOUND.search(test))


def _status_carriers(criteria: list[CriterionResult], indices: list[int], at: int) -> list[int]:
    """Under a NOT MET criterion, the NOT MET criteria that make it so: an all_of's NOT MET children (also
    those an undocumented applicability condition kept from deciding: "a first injection" NOT MET for
    radiculopathy not found on examination, whether it is a first injection undocumented), down to a fact,
    a `not` or a group whose alternatives failed together."""
    node = criteria[at]
    below = [j for j in _children(criteria, indices, at) if criteria[j].status == "not_met"]
    if node.kind != "all_of" or not below:
        return [at]
    decisive = [j for j in below if criteria[j].decisive]
    return [k for j in (decisive or below) for k in _status_carriers(criteria, indices, j)]


def _carriers(criteria: list[CriterionResult], indices: list[int], at: int) -> list[int]:
    node = criteria[at]
    children = _children(criteria, indices, at)
    same = [j for j in children if criteria[j].decisive and criteria[j].status == node.status]
    if not same or node.kind in ("fact", "not"):
        return [at]
    if node.kind == "all_of":
        if node.status == "met":
            return [at]
        return [k for j in same for k in _carriers(criteria, indices, j)]
    decisive = [j for j in children if criteria[j].decisive]
    if decisive == same and len(same) == 1:  # any_of / at_least: the one alternative that decided it
        return _carriers(criteria, indices, same[0])
    return [at]  # alternatives decided it together (none met; or some not met, some not documented)


def _children(criteria: list[CriterionResult], indices: list[int], at: int) -> list[int]:
    """The direct children of criteria[at] among one rule's criteria (`indices`, parents first)."""
    depth = criteria[at].depth
    out: list[int] = []
    for j in indices[indices.index(at) + 1 :]:
        if criteria[j].depth <= depth:
            break
        if criteria[j].depth == depth + 1:
            out.append(j)
    return out
