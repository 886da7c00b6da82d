"""Every rule both ways, through the real engine.

For each service a rule governs, a case whose facts meet every governing rule is Overturned; then, for
each fact criterion, the same case with only that criterion failing (documented as not met, or left
undocumented) gives that criterion's status, and where the criterion is required (every ancestor an
all_of) the item is Upheld with that criterion marked as deciding it. Cases are generated from the
rules by `imr_rules.engine.witness`; the engine's answer is checked, not the generator's.
"""

from __future__ import annotations

from typing import Any

import pytest

from imr_rules import RuleLibrary, evaluate
from imr_rules.engine.evaluation import route
from imr_rules.engine.witness import case_facts, first_witness
from imr_rules.models import AllOf, Criterion, FactCriterion, Rule

from .conftest import bundled_library, make_case


def _leaves(node: Criterion, required: bool = True) -> list[tuple[FactCriterion, bool]]:
    if isinstance(node, FactCriterion):
        return [(node, required)]
    out = []
    for child in node.children:
        out.extend(_leaves(child, required and isinstance(node, AllOf)))
    return out


def _context(library: RuleLibrary, service: str, rule: Rule | None) -> dict[str, Any]:
    """Item facts that route an item of the service to the rule under test (its region, procedure, phase)."""
    env: dict[str, Any] = {}
    definition = library.services[service]
    scoped = [
        r
        for r in library.rules_for_service(service)
        if r.effect == "supports"
        and (r.regions is not None or r.procedures is not None or r.postsurgical is not None or r.phase is not None)
    ]
    if scoped and (rule is None or rule not in scoped):
        rule = scoped[0]  # a rule every item of the service shares: test it where the service's own rule applies
    if rule is not None and rule.regions and definition.region is None:
        env["body_region"] = rule.regions[0]
    if rule is not None and rule.procedures:
        env["primary_procedure"] = rule.procedures[0]
    if rule is not None and rule.postsurgical and not definition.postsurgical:
        env["postsurgical_period"] = True
    if rule is not None and rule.phase is not None:
        env["acute_phase"] = rule.phase == "acute"
    return env


def _met_env(library: RuleLibrary, service: str, rule: Rule | None = None) -> dict[str, Any]:
    env = _context(library, service, rule)
    loaded = _case(library, service, env)
    routed = route(loaded.case, library).rules_by_item.get(0, [])
    for governing in routed:
        if governing.effect != "supports":
            continue
        found = first_witness(governing.criteria, "met", library.facts, env)
        assert found is not None, f"{governing.id}: no fact values meet its criteria together with the others"
        env = found
    return env


def _case(library: RuleLibrary, service: str, env: dict[str, Any]):  # type: ignore[no-untyped-def]
    values = case_facts(env, library.facts)
    case_level = {k: v for k, v in values.items() if library.facts[k].scope == "case"}
    item_level = {k: v for k, v in values.items() if library.facts[k].scope == "item"}
    return make_case(library, [{"item": f"requested {service}", "service": service, "facts": item_level}], case_level)


def _evaluate(library: RuleLibrary, service: str, env: dict[str, Any]):  # type: ignore[no-untyped-def]
    (det,) = evaluate(_case(library, service, env), library).determinations
    return det


CASES = [
    (rule, service, leaf, required)
    for rule in (lr.rule for lr in bundled_library().rules)
    if rule.effect == "supports"
    for service in rule.governs
    for leaf, required in _leaves(rule.criteria)
]


SERVICE_RULES = sorted(
    {(s, lr.rule.id) for lr in bundled_library().rules if lr.rule.effect == "supports" for s in lr.rule.governs}
)
RULES_BY_ID = {lr.rule.id: lr.rule for lr in bundled_library().rules}


@pytest.mark.parametrize(("service", "rule_id"), SERVICE_RULES, ids=[f"{s}@{r}" for s, r in SERVICE_RULES])
def test_all_criteria_met_gives_overturned(service: str, rule_id: str) -> None:
    """Each rule, in the context (region, procedure, phase) that routes an item of the service to it."""
    det = _evaluate(bundled_library(), service, _met_env(bundled_library(), service, RULES_BY_ID[rule_id]))
    assert det.outcome == "Overturned", det.rationale
    assert rule_id in {r.id for r in det.rules}
    assert det.medically_necessary is True
    assert all(r.status == "met" for r in det.rules if r.effect != "excludes")


@pytest.mark.parametrize(
    ("rule", "service", "leaf", "required"),
    CASES,
    ids=[f"{r.id}/{leaf.id}@{s}" for r, s, leaf, _ in CASES],
)
def test_each_criterion_failing(rule: Rule, service: str, leaf: FactCriterion, required: bool) -> None:
    env = _met_env(bundled_library(), service, rule)
    definition = bundled_library().facts[leaf.fact]
    if definition.type == "list":
        have = env.get(leaf.fact, {"has": set(), "not": set()})
        env = {**env, leaf.fact: {"has": have["has"] - {leaf.value}, "not": have["not"] | {leaf.value}}}
    else:
        without = {k: v for k, v in env.items() if k != leaf.fact}
        failed = first_witness(leaf, "not_met", bundled_library().facts, without)
        assert failed is not None
        env = failed
    det = _evaluate(bundled_library(), service, env)
    criteria = {c.id: c for c in det.criteria}
    if f"{rule.id}/{leaf.id}" not in criteria:  # a procedure outside the rule's: routed elsewhere, or nowhere
        assert leaf.fact == "primary_procedure" and rule.procedures is not None
        assert rule.id not in {r.id for r in det.rules}
        return
    result = criteria[f"{rule.id}/{leaf.id}"]
    assert result.status == "not_met"
    if required:
        assert det.outcome == "Upheld"
        assert result.decisive, f"{leaf.id} failed but is not shown as deciding"
        if leaf.not_met_text and "{" not in leaf.not_met_text:
            assert leaf.not_met_text in det.rationale


@pytest.mark.parametrize(
    ("rule", "service", "leaf", "required"),
    [c for c in CASES if c[3] and bundled_library().facts[c[2].fact or ""].type != "list"],
    ids=[
        f"{r.id}/{leaf.id}@{s}"
        for r, s, leaf, req in CASES
        if req and bundled_library().facts[leaf.fact or ""].type != "list"
    ],
)
def test_each_required_criterion_undocumented(rule: Rule, service: str, leaf: Criterion, required: bool) -> None:
    env = {k: v for k, v in _met_env(bundled_library(), service, rule).items() if k != leaf.fact}
    det = _evaluate(bundled_library(), service, env)
    criteria = {c.id: c for c in det.criteria}
    if f"{rule.id}/{leaf.id}" not in criteria:  # the procedure left undocumented: no rule covers the item
        assert leaf.fact == "primary_procedure" and rule.procedures is not None
        assert det.outcome == "Undetermined"
        return
    result = criteria[f"{rule.id}/{leaf.id}"]
    assert result.status == "not_documented"
    assert det.outcome == "Upheld"
    assert result.decisive
    assert result.facts == []


def test_exclusion_decides_only_when_documented() -> None:
    env = _met_env(bundled_library(), "office_visit")
    vague = {**env, "request_unspecified": True}
    det = _evaluate(bundled_library(), "office_visit", vague)
    assert det.outcome == "Upheld" and det.rule == "imr-unspecified-request"
    clear = {**env, "request_unspecified": False}
    assert _evaluate(bundled_library(), "office_visit", clear).outcome == "Overturned"
    assert _evaluate(bundled_library(), "office_visit", env).outcome == "Overturned"


@pytest.mark.parametrize(
    ("service", "region"), [("mri_lumbar", "low_back"), ("mri_thoracic", "thoracic"), ("mri_cervical", "neck")]
)
def test_repeat_mri_excluded_only_when_a_prior_mri_and_no_change_are_documented(service: str, region: str) -> None:
    env = _met_env(bundled_library(), service)
    region_facts = {"treated_regions": {"has": {region}, "not": set()}}
    prior = {"prior_mri_regions": {"has": {region}, "not": set()}}
    repeat = {**env, **region_facts, **prior, "significant_change_since_prior_mri": False}
    det = _evaluate(bundled_library(), service, repeat)
    assert det.outcome == "Upheld" and det.rule == "odg-repeat-mri", det.rationale
    assert "not routinely recommended" in det.rationale
    # a change since the prior MRI, or a change left undocumented, or no prior MRI: the rule does not apply
    changed = {**repeat, "significant_change_since_prior_mri": True}
    assert _evaluate(bundled_library(), service, changed).outcome == "Overturned"
    undocumented = {k: v for k, v in repeat.items() if k != "significant_change_since_prior_mri"}
    assert _evaluate(bundled_library(), service, undocumented).outcome == "Overturned"
    other = {**repeat, "prior_mri_regions": {"has": {"low_back", "neck", "thoracic"} - {region}, "not": set()}}
    assert _evaluate(bundled_library(), service, other).outcome == "Overturned"
    # the item's own name or rationale ("repeat MRI") documents the prior study without naming a region
    named = {**env, "prior_same_region_mri": True, "significant_change_since_prior_mri": False}
    assert _evaluate(bundled_library(), service, named).outcome == "Upheld"
