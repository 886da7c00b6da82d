"""Editions: the rules in force on the case's date decide, and the explanation names the edition."""

from __future__ import annotations

import pytest

from imr_rules import evaluate, load_rules

from .conftest import make_case, write_library

FACTS = """
facts:
  weeks: {type: integer, unit: weeks, meaning: weeks of care}
"""
SERVICES = """
services:
  therapy: {label: Therapy}
"""


def rule(rule_id: str, edition: str, start: str, end: str | None, limit: int) -> str:
    window = f"{{from: {start}, to: {end}}}" if end else f"{{from: {start}}}"
    return f"""
id: {rule_id}
title: Therapy ({edition})
source: MTUS
guideline: Test Guideline
edition: "{edition}"
effective: {window}
governs: [therapy]
confidence: K
criteria: {{id: enough_care, text: enough care, fact: weeks, op: ">=", value: {limit}}}
rationale: {{summary: test}}
"""


@pytest.fixture(scope="module")
def lib(tmp_path_factory):  # type: ignore[no-untyped-def]
    root = write_library(
        tmp_path_factory.mktemp("editions"),
        FACTS,
        SERVICES,
        {
            "old.yaml": rule("therapy-2004", "Edition 2004", "2009-07-18", "2017-12-01", 4),
            "new.yaml": rule("therapy-2017", "Edition 2017", "2017-12-01", None, 8),
        },
    )
    return load_rules(root)


def _det(lib, dates):  # type: ignore[no-untyped-def]
    case = make_case(lib, [{"item": "PT", "service": "therapy"}], {"weeks": 6}, dates=dates)
    return evaluate(case, lib)


def test_old_edition_in_force_before_the_change(lib) -> None:
    result = _det(lib, {"ur_decision": "2016-12-05"})
    (det,) = result.determinations
    assert det.outcome == "Overturned"
    assert det.rule == "therapy-2004" and det.editions == ["Edition 2004"]
    assert result.provenance.rules_in_force == ["therapy-2004"]


def test_new_edition_from_its_first_day(lib) -> None:
    (det,) = _det(lib, {"ur_decision": "2017-12-01"}).determinations
    assert det.outcome == "Upheld" and det.rule == "therapy-2017"
    assert "Edition 2017" in det.citations[0]


def test_request_date_used_when_no_ur_date(lib) -> None:
    (det,) = _det(lib, {"request": "2018-03-01"}).determinations
    assert det.rule == "therapy-2017"


def test_no_rule_in_force_is_undetermined(lib) -> None:
    (det,) = _det(lib, {"ur_decision": "2001-01-01"}).determinations
    assert det.outcome == "Undetermined"
    assert "2001-01-01" in (det.reason or "")


def test_an_exclusion_alone_in_force_leaves_the_item_undetermined(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Once the only supporting rule has expired, an excluding rule of the service's own (still in force)
    must not decide: it would certify every item it does not exclude."""
    exclusion = rule("therapy-too-long", "Edition X", "2009-07-18", None, 100).replace(
        "confidence: K", "confidence: K\neffect: excludes"
    )
    lib = load_rules(
        write_library(
            tmp_path,
            FACTS,
            SERVICES,
            {"old.yaml": rule("therapy-2004", "Edition 2004", "2009-07-18", "2017-12-01", 4), "x.yaml": exclusion},
        )
    )
    before = _det(lib, {"ur_decision": "2016-12-05"}).determinations[0]
    assert before.outcome == "Overturned" and {r.id for r in before.rules} == {"therapy-2004", "therapy-too-long"}
    (after,) = _det(lib, {"ur_decision": "2018-03-01"}).determinations
    assert after.outcome == "Undetermined"
    assert "no rule in force on 2018-03-01" in (after.reason or "")
