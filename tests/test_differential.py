"""Differential test: durable-rules (through `imr_rules.engine.evaluation`) against the plain-Python oracle.

Hypothesis generates cases (random subsets of the declared facts with valid values near the rules'
thresholds or anywhere in range, 1-6 items of random services, some depending on others of the same
case, random case dates around the editions' boundaries) and every item's outcome and every criterion's
status must agree. Two libraries: the bundled `rules/` (what users run), and a synthetic one that uses
every operator, fact type and tree form (`not`, `at_least`, `!=`, `not_in`, dates, exclusions) the
bundled rules do not. Derandomized for CI; `IMR_DIFF_EXAMPLES=5000` runs a larger sample.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import textwrap
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imr_rules import RuleLibrary, evaluate, load_rules
from imr_rules.engine.witness import case_facts, witnesses
from imr_rules.models import AllOf, Criterion, FactCriterion, FactDefinition
from imr_rules.reading.casefile import case_from_data
from imr_rules.sources import number_error

from .conftest import bundled_library, write_library
from .oracle import evaluate_case

EXAMPLES = int(os.environ.get("IMR_DIFF_EXAMPLES", "0"))
SETTINGS = settings(
    max_examples=EXAMPLES or 400,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
COMPARED: Counter[str] = Counter()


# -- generating cases ----------------------------------------------------------------------------------
def _criteria(library: RuleLibrary) -> Iterator[Criterion]:
    for loaded in library.rules:
        yield from loaded.rule.criteria.walk()


def thresholds(library: RuleLibrary) -> dict[str, list[Any]]:
    """Per fact, the values rules compare it with and their neighbours: where off-by-one bugs live."""
    out: dict[str, list[Any]] = {}
    for crit in _criteria(library):
        if not isinstance(crit, FactCriterion):
            continue
        definition = library.facts[crit.fact]
        values = crit.value if isinstance(crit.value, list) else [crit.value]
        near = out.setdefault(crit.fact, [])
        for v in values:
            if definition.type == "integer":
                near += [v - 1, v, v + 1]
            elif definition.type == "number":
                near += [v - 1, v - 0.5, v, float(v), v + 0.5, v + 1]
            elif definition.type == "date":
                day = dt.date.fromisoformat(str(v))
                near += [(day + dt.timedelta(days=d)).isoformat() for d in (-1, 0, 1)]
    return out


def value_strategy(definition: FactDefinition, near: list[Any]) -> st.SearchStrategy[Any]:
    """Valid values of one fact (the reader refuses numbers the engine cannot take, so they are skipped)."""
    kind = definition.type
    close = [st.sampled_from(near)] if near else []
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.one_of(*close, st.integers(-50, 50), st.integers(-(10**15) + 1, 10**15 - 1))
    if kind == "number":
        floats = st.floats(-1e6, 1e6, allow_nan=False).filter(lambda x: number_error(x) is None)
        return st.one_of(*close, st.integers(-50, 50), floats)
    if kind == "date":
        days = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
        return st.one_of(*close, days.map(dt.date.isoformat), days)
    if kind in ("enum", "list"):
        members = st.sampled_from(definition.values or [])
        if kind == "enum":
            return members
        return st.lists(members, max_size=len(definition.values or []) + 1)
    return st.text(max_size=20)


def edition_days(library: RuleLibrary) -> list[dt.date]:
    """The days around every rule's effective boundaries (an edition ends the day before `to`)."""
    days: set[dt.date] = set()
    for loaded in library.rules:
        for bound in (loaded.rule.effective.from_, loaded.rule.effective.to):
            if bound is not None:
                days.update(bound + dt.timedelta(days=d) for d in (-1, 0, 1))
    return sorted(days)


def witness_facts(library: RuleLibrary, service: str) -> list[tuple[dict[str, Any], set[str]]]:
    """Fact values that make the service's whole decision met (mostly), not met or not documented.

    Random values almost never meet every rule of a service at once (that needs many facts together),
    so some items are seeded with these: (values to set, facts to leave undocumented).
    """
    parts = [
        {"id": f"r{n}", "text": "t", "not": rule.criteria} if rule.effect == "excludes" else rule.criteria
        for n, rule in enumerate(library.governing(service, None))
    ]
    decision = AllOf.model_validate({"id": "decision", "text": "t", "all_of": parts})
    out: list[tuple[dict[str, Any], set[str]]] = []
    for target, count in (("met", 12), ("not_met", 4), ("not_documented", 4)):
        for found in itertools.islice(witnesses(decision, target, library.facts), count):
            present = case_facts(found, library.facts)
            out.append((present, set(found) - set(present)))
    return out


def case_strategy(library: RuleLibrary) -> st.SearchStrategy[dict[str, Any]]:
    """Case data as a case file would hold it: facts, 1-6 items, dependencies, dates."""
    near = thresholds(library)
    values = {name: value_strategy(d, near.get(name, [])) for name, d in library.facts.items()}
    case_facts_ = sorted(n for n, d in library.facts.items() if d.scope == "case")
    item_facts = sorted(n for n, d in library.facts.items() if d.scope == "item")
    governed = sorted(s for s in library.services if library.rules_for_service(s))
    services: list[str | None] = [*governed * 3, *sorted(set(library.services) - set(governed)), None]
    seeds = {s: witness_facts(library, s) for s in governed}
    days = edition_days(library)
    a_date = st.one_of(
        st.none(),
        st.sampled_from(days),
        st.dates(dt.date(2009, 7, 18), dt.date(2017, 11, 30)),  # when most bundled editions are in force
        st.dates(dt.date(2009, 7, 18), dt.date(2017, 11, 30)),
        st.dates(dt.date(2000, 1, 1), dt.date(2020, 12, 31)),
    )

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        facts = {n: draw(values[n]) for n in case_facts_ if draw(st.booleans())}
        items: list[dict[str, Any]] = []
        for i in range(draw(st.integers(1, 6))):
            service = draw(st.sampled_from(services))
            item: dict[str, Any] = {"item": f"item {i}", "service": service}
            own = {n: draw(values[n]) for n in item_facts if draw(st.booleans())}
            if service in seeds and len(seeds[service]) > 0 and draw(st.booleans()):
                present, absent = draw(st.sampled_from(seeds[service]))
                for name, value in present.items():
                    (own if library.facts[name].scope == "item" else facts)[name] = value
                for name in absent:
                    own.pop(name, None)
                    facts.pop(name, None)
            link = draw(st.sampled_from(["none", "none", "case", "case", "external"] if i else ["none", "external"]))
            if link == "case":
                item["primary"] = f"item {draw(st.integers(0, i - 1))}"  # an earlier item: never a cycle
                own.pop("primary_status", None)  # the engine derives it
            elif link == "external":
                item["primary"] = "a procedure decided elsewhere"
            item["facts"] = own
            items.append(item)
        dates = {k: draw(a_date) for k in ("request", "ur_decision", "imr_decision")}
        return {
            "case": "generated",
            "dates": {k: v for k, v in dates.items() if v is not None},
            "facts": facts,
            "items": items,
        }

    return build()


# -- comparing -----------------------------------------------------------------------------------------
def assert_agree(data: dict[str, Any], library: RuleLibrary) -> None:
    loaded = case_from_data(data, library)
    engine = evaluate(loaded, library).determinations
    oracle = evaluate_case(loaded.case, library)
    assert len(engine) == len(oracle)
    names = {item.item for item in loaded.case.items}
    COMPARED["cases"] += 1
    for det, ref in zip(engine, oracle, strict=True):
        COMPARED["items"] += 1
        COMPARED[det.outcome] += 1
        assert det.outcome == ref.outcome, (det.item, det.reason, ref.reason)
        if det.outcome == "Undetermined":
            COMPARED[f"undetermined: {ref.reason}"] += 1
            continue
        if det.primary in names:
            COMPARED["decided after a same-case primary"] += 1
        got = {c.id: c.status for c in det.criteria}
        assert got == ref.statuses, det.item
        COMPARED["criteria"] += len(got)


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    print(f"\ndifferential: {dict(COMPARED)}")


@SETTINGS
@given(data=case_strategy(bundled_library()))
def test_engine_agrees_with_oracle_on_bundled_rules(data: dict[str, Any]) -> None:
    assert_agree(data, bundled_library())


# -- a library exercising every operator, fact type and tree form ---------------------------------------
FACTS = """
facts:
  flag_a: {type: boolean, meaning: a}
  flag_b: {type: boolean, meaning: b}
  count: {type: integer, meaning: a count}
  score: {type: number, meaning: a score}
  onset: {type: date, meaning: a date}
  grade: {type: enum, values: [low, mid, high], meaning: a grade}
  tried: {type: list, values: [x, y, z], meaning: things tried}
  note: {type: text, meaning: free text}
  visits: {type: integer, scope: item, meaning: visits requested}
  kind: {type: enum, values: [p, q], scope: item, meaning: the kind of primary}
  vague: {type: boolean, scope: item, meaning: the request is vague}
  primary_status: {type: enum, values: [certified, non_certified, not_established], scope: item, meaning: primary}
"""
SERVICES = """
services:
  alpha: {label: Alpha}
  beta: {label: Beta}
  gamma: {label: Gamma, depends_on_primary: true}
  delta: {label: Delta, notes: no rule governs it}
  epsilon: {label: Epsilon, notes: its only rule has expired}
"""
HEAD = "source: other\nguideline: Test\nedition: test\nconfidence: I\nrationale: {summary: test}\n"
RULE_FILES = {
    "alpha.yaml": HEAD
    + """
id: r-alpha
title: Alpha and beta
effective: {from: 2005-01-01}
governs: [alpha, beta]
criteria:
  id: root
  text: root
  all_of:
    - id: first
      text: any
      any_of:
        - {id: a_true, text: a, fact: flag_a, op: "==", value: true}
        - {id: count_gt, text: c, fact: count, op: ">", value: 3}
        - {id: score_le, text: s, fact: score, op: "<=", value: 2.5}
    - id: two_of_four
      text: two of four
      at_least: 2
      of:
        - {id: b_not_false, text: b, fact: flag_b, op: "!=", value: false}
        - {id: grade_in, text: g, fact: grade, op: in, value: [mid, high]}
        - {id: tried_y, text: t, fact: tried, op: contains, value: y}
        - {id: onset_lt, text: o, fact: onset, op: "<", value: 2012-06-01}
    - id: not_high_score
      text: not a high score
      not: {id: score_ge, text: s, fact: score, op: ">=", value: 10.0}
    - id: last
      text: any
      any_of:
        - {id: count_not_in, text: c, fact: count, op: not_in, value: [1, 2]}
        - {id: grade_low, text: g, fact: grade, op: "==", value: low}
        - {id: onset_ge, text: o, fact: onset, op: ">=", value: 2015-01-01}
        - {id: count_lt, text: c, fact: count, op: "<", value: -5}
        - {id: onset_ne, text: o, fact: onset, op: "!=", value: 2010-03-04}
""",
    "beta-old.yaml": HEAD
    + """
id: r-beta-old
title: Beta, an old edition
effective: {from: 2000-01-01, to: 2012-01-01}
governs: [beta]
criteria:
  id: root
  text: root
  all_of:
    - id: one_of_two
      text: one of two
      at_least: 1
      of:
        - {id: tried_x, text: x, fact: tried, op: contains, value: x}
        - {id: count_le, text: c, fact: count, op: "<=", value: 0}
    - id: all_of_two
      text: two of two
      at_least: 2
      of:
        - {id: score_gt, text: s, fact: score, op: ">", value: -1.25}
        - {id: onset_le, text: o, fact: onset, op: "<=", value: 2011-12-31}
    - id: double_not
      text: not not
      not: {id: inner, text: i, not: {id: tried_z, text: z, fact: tried, op: contains, value: z}}
""",
    "gamma.yaml": HEAD
    + """
id: r-gamma
title: Gamma follows its primary
effective: {from: 2005-01-01}
governs: [gamma]
criteria:
  id: root
  text: root
  all_of:
    - {id: certified, text: p, fact: primary_status, op: "==", value: certified}
    - {id: visits_le, text: v, fact: visits, op: "<=", value: 10}
    - id: kind_or_not_a
      text: k
      any_of:
        - {id: kind_p, text: k, fact: kind, op: "==", value: p}
        - {id: not_a, text: n, not: {id: a_inner, text: a, fact: flag_a, op: "==", value: true}}
""",
    "gamma-more.yaml": HEAD
    + """
id: r-gamma-more
title: Gamma, a second rule
effective: {from: 2005-01-01}
governs: [gamma]
criteria: {id: status_in, text: s, fact: primary_status, op: in, value: [certified, not_established]}
""",
    "epsilon.yaml": HEAD
    + """
id: r-epsilon
title: Epsilon, expired
effective: {from: 2000-01-01, to: 2005-01-01}
governs: [epsilon]
criteria: {id: a_true, text: a, fact: flag_a, op: "==", value: true}
""",
    "vague.yaml": HEAD
    + """
id: r-vague
title: A vague request (excludes)
effective: {from: 2010-01-01}
governs_every_service: true
effect: excludes
criteria: {id: vague, text: v, fact: vague, op: "==", value: true}
""",
    "alpha-excl.yaml": HEAD
    + """
id: r-alpha-excl
title: Alpha excluded (a service's own excluding rule)
effective: {from: 2005-01-01}
governs: [alpha]
effect: excludes
criteria:
  id: both
  text: both
  all_of:
    - {id: a_true, text: a, fact: flag_a, op: "==", value: true}
    - {id: score_big, text: s, fact: score, op: ">", value: 100}
""",
}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> RuleLibrary:
    root: Path = tmp_path_factory.mktemp("synthetic")
    files = {name: textwrap.dedent(body) for name, body in RULE_FILES.items()}
    return load_rules(write_library(root, FACTS, SERVICES, files))


_STRATEGIES: dict[int, st.SearchStrategy[dict[str, Any]]] = {}


@SETTINGS
@given(data=st.data())
def test_engine_agrees_with_oracle_on_every_operator(synthetic: RuleLibrary, data: st.DataObject) -> None:
    strategy = _STRATEGIES.setdefault(id(synthetic), case_strategy(synthetic))
    assert_agree(data.draw(strategy), synthetic)


# -- items of several body regions (routing region by region) ------------------------------------------
def test_engine_agrees_with_oracle_on_items_of_several_regions() -> None:
    """A request for two body regions ("chiropractic care for the neck and low back") in each phase, for
    every service a region-scoped rule governs: both route region by region (each region by the rules
    covering it, all of them; a region no rule covers leaves the item Undetermined) and must agree."""
    library = bundled_library()
    regions = list(library.facts["treated_regions"].values or [])
    services = sorted({s for loaded in library.rules if loaded.rule.regions for s in loaded.rule.governs})
    several = decided = 0
    for service, pair, acute in itertools.product(services, itertools.combinations(regions, 2), (True, False)):
        data = {
            "case": "two regions",
            "facts": {"acute_phase": acute},
            "items": [{"item": "the request", "service": service, "facts": {"treated_regions": list(pair)}}],
        }
        assert_agree(data, library)
        several += 1
        decided += evaluate(case_from_data(data, library), library).determinations[0].outcome != "Undetermined"
    assert several > 100 and 0 < decided < several  # some pairs are governed region by region, some not
