"""What an explanation marks as decisive, through the real engine (imr_rules.engine.explain)."""

from __future__ import annotations

from typing import Any

from imr_rules import evaluate

from .conftest import make_case

RULE = "mtus-acupuncture-2007"


def _acupuncture(library, item_facts: dict[str, Any]):  # type: ignore[no-untyped-def]
    items = [{"item": "Acupuncture x6", "service": "acupuncture_therapy", "facts": item_facts}]
    result = evaluate(make_case(library, items, facts={"active_rehabilitation_ongoing": True}), library)
    (det,) = result.determinations
    decisive = {c.id.split("/", 1)[1]: c.status for c in det.criteria if c.decisive and c.rule == RULE}
    return det, decisive


def test_an_undocumented_applicability_criterion_explains_why_its_branch_did_not_decide(library) -> None:  # type: ignore[no-untyped-def]
    """Whether acupuncture was had before decides which branch (first trial or extension) applies; when it
    is not documented, neither branch can decide and that missing fact is the reason given."""
    det, decisive = _acupuncture(library, {"requested_visits": 6})
    assert det.outcome == "Upheld"
    assert decisive.get("no_prior_course") == "not_documented"
    assert decisive.get("prior_course") == "not_documented"
    assert "trial_treatments" not in decisive  # met, so it did not make the item fail
    assert "whether the patient has already had acupuncture, and with what result, is not documented" in (det.rationale)


def test_an_applicability_criterion_that_is_not_met_leaves_its_branch_out(library) -> None:  # type: ignore[no-untyped-def]
    """A prior course was had: the first-trial branch does not apply and is not the reason; the extension's
    missing functional improvement is."""
    det, decisive = _acupuncture(library, {"requested_visits": 6, "prior_course_completed": True})
    assert det.outcome == "Upheld"
    assert "no_prior_course" not in decisive and "trial_treatments" not in decisive
    assert decisive.get("functional_improvement") == "not_documented"
    assert "there is no documentation of functional improvement from the prior acupuncture" in det.rationale


def test_a_documented_first_trial_is_overturned(library) -> None:  # type: ignore[no-untyped-def]
    det, decisive = _acupuncture(library, {"requested_visits": 6, "prior_course_completed": False})
    assert det.outcome == "Overturned"
    assert decisive.get("trial_treatments") == "met"
