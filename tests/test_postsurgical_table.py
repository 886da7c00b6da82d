"""The Postsurgical Treatment Guidelines' table (rules/physical-medicine/postsurgical-table.yaml, issue 13).

Every row of the table is tried both ways through the real engine, with the row's own numbers read from
the file: the initial course certifies at its limit and not one visit beyond, and never after a course
without functional improvement (mtus-postsurgical-no-functional-improvement); a subsequent course
certifies up to the general course only with functional improvement; post-operative therapy after the
row's surgery in its region is judged by the rule its condition becomes, and nothing else of the table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from imr_rules import evaluate
from imr_rules.library.postsurgical import TABLE_FILE
from imr_rules.models.postsurgical import PostsurgicalCondition, PostsurgicalRow, PostsurgicalTable
from imr_rules.sources import parse_yaml, read_text

from .conftest import RULES, bundled_library, make_case

TABLE_PATH = Path(RULES) / "physical-medicine" / TABLE_FILE


def _table() -> PostsurgicalTable:
    return PostsurgicalTable.model_validate(parse_yaml(read_text(TABLE_PATH), TABLE_PATH).data)


ROWS = [
    pytest.param(condition, row, value, id=f"{condition.id}-{row.key}-{value}")
    for condition in _table().conditions
    for row in condition.rows
    for value in row.procedures
]


def _decide(condition: PostsurgicalCondition, value: str, service: str = "postop_pt", **facts: Any):  # type: ignore[no-untyped-def]
    item_facts: dict[str, Any] = {"body_region": condition.region, "primary_procedure": value, **facts}
    item: dict[str, Any] = {"item": "Therapy after the surgery", "service": service, "facts": item_facts}
    if service == "postop_pt":
        item_facts["primary_status"] = "certified"
        item["primary"] = "the surgery"
    else:
        item_facts["postsurgical_period"] = True
    loaded = make_case(bundled_library(), [item], {"acute_phase": False}, dates={"request": "2015-06-01"})
    (determination,) = evaluate(loaded, bundled_library()).determinations
    return determination


def _table_rules(determination: Any) -> set[str]:
    prefix = _table().rule_prefix
    return {r.id for r in determination.rules if r.id.startswith(prefix)}


@pytest.mark.parametrize(("condition", "row", "value"), ROWS)
@pytest.mark.parametrize("service", ["postop_pt", "physical_therapy"])
def test_initial_course_both_ways(
    condition: PostsurgicalCondition, row: PostsurgicalRow, value: str, service: str
) -> None:
    rule = _table().rule_prefix + condition.id
    within = _decide(condition, value, service, requested_visits=row.initial_visits, prior_course_completed=False)
    assert within.outcome == "Overturned", within.rationale
    assert _table_rules(within) == {rule}
    # 9792.24.3(c): after a course without functional improvement, no further visits, however few are asked
    after = {"prior_course_completed": True, "treatment_visits_total": row.initial_visits}
    again = _decide(
        condition, value, service, requested_visits=row.initial_visits, functional_improvement_from_prior=False, **after
    )
    assert again.outcome == "Upheld", again.rationale
    assert again.rule == "mtus-postsurgical-no-functional-improvement"
    assert "did not produce functional improvement" in again.rationale
    # whether a course was had, left unsaid: the initial course, as the guideline prescribes after surgery
    unsaid = _decide(condition, value, service, requested_visits=row.initial_visits)
    assert unsaid.outcome == "Overturned", unsaid.rationale
    beyond = _decide(condition, value, service, requested_visits=row.initial_visits + 1, prior_course_completed=False)
    assert beyond.outcome == "Upheld"
    assert beyond.rule == rule
    assert f"initial course of {row.initial_visits} visits" in beyond.rationale


@pytest.mark.parametrize(("condition", "row", "value"), ROWS)
def test_subsequent_course_both_ways(condition: PostsurgicalCondition, row: PostsurgicalRow, value: str) -> None:
    general = row.general_visits
    prior = {"prior_course_completed": True, "functional_improvement_from_prior": True}
    whole = _decide(condition, value, requested_visits=general, treatment_visits_total=general, **prior)
    small = _decide(condition, value, requested_visits=row.initial_visits, treatment_visits_total=general, **prior)
    assert small.outcome == "Overturned", small.rationale
    assert whole.outcome == "Overturned", whole.rationale
    over = _decide(
        condition, value, requested_visits=row.initial_visits + 1, treatment_visits_total=general + 1, **prior
    )
    assert over.outcome == "Upheld"
    assert f"general course of {general} visits" in over.rationale
    flat = _decide(
        condition,
        value,
        requested_visits=row.initial_visits + 1,
        treatment_visits_total=row.initial_visits + 1,
        prior_course_completed=True,
        functional_improvement_from_prior=False,
    )
    assert flat.outcome == "Upheld"


def test_the_library_holds_one_rule_per_condition_with_its_rows() -> None:
    table = _table()
    library = bundled_library()
    for condition in table.conditions:
        rule = library.rule(table.rule_prefix + condition.id)
        assert rule.regions == [condition.region]
        assert set(rule.procedures or []) == {v for row in condition.rows for v in row.procedures}
        assert (rule.effective.from_, rule.effective.to) == (table.effective.from_, table.effective.to)
        texts = [node.text for node in rule.criteria.walk()]
        for row in condition.rows:
            assert any(row.general_course in text and f"{row.period_months} months" in text for text in texts)


def test_outside_the_tables_dates_no_row_applies() -> None:
    (condition, row) = next((c, r) for c in _table().conditions for r in c.rows)
    item_facts = {
        "body_region": condition.region,
        "primary_procedure": row.procedures[0],
        "primary_status": "certified",
        "requested_visits": row.initial_visits,
    }
    item = {"item": "Therapy after the surgery", "service": "postop_pt", "primary": "the surgery", "facts": item_facts}
    loaded = make_case(bundled_library(), [item], {"acute_phase": False}, dates={"request": "2018-03-01"})
    (determination,) = evaluate(loaded, bundled_library()).determinations
    assert not _table_rules(determination)  # the 2017 MTUS (ACOEM) replaced the table on 2017-12-01
    (inside,) = evaluate(
        make_case(bundled_library(), [item], {"acute_phase": False}, dates={"request": "2017-11-30"}), bundled_library()
    ).determinations
    assert _table_rules(inside) == {_table().rule_prefix + condition.id}


def test_duplicates_are_found_with_their_place_in_the_file() -> None:
    data = parse_yaml(read_text(TABLE_PATH), TABLE_PATH).data
    assert PostsurgicalTable.model_validate(data).duplicates() == []
    conditions = data["conditions"]
    twin_row = {**conditions[0]["rows"][0], "procedures": ["fusion"]}  # same key, and low back / fusion again
    data = {**data, "conditions": [{**conditions[0], "rows": [*conditions[0]["rows"], twin_row]}, conditions[0]]}
    found = PostsurgicalTable.model_validate(data).duplicates()
    assert ("conditions", 0, "rows", 2, "key") in [at for at, _ in found]
    assert any(at == ("conditions", 0, "rows", 2) and "duplicate row" in message for at, message in found)
    assert any(
        at == ("conditions", 1, "id") and "duplicate condition id 'low-back'" in message for at, message in found
    )
