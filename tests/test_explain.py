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


def test_a_criterion_without_its_own_phrase_is_quoted_with_its_status(library) -> None:  # type: ignore[no-untyped-def]
    """A decisive criterion whose rule gives no phrase of its own is quoted in the rationale with its status,
    so a noun phrase ("A history of peptic ulcer, GI bleeding or perforation") or a negated clause reads as
    a sentence. It was built into "the records show it is not the case that ..." and "there is no
    documentation that high-dose or multiple NSAIDs", which a fresh user could not parse."""
    items = [
        {
            "item": "Omeprazole 20 mg #30",
            "service": "gi_protection",
            "primary": "Naproxen 550 mg #60",
            "facts": {"primary_status": "certified"},
        }
    ]
    case = make_case(library, items, facts={"age": 40, "chronic_pain_3_months": True, "gi_event_history": False})
    (det,) = evaluate(case, library).determinations
    assert det.outcome == "Upheld"
    assert 'the criterion "A history of peptic ulcer, GI bleeding or perforation" is not met' in det.rationale
    assert "it is not the case that" not in det.rationale
    assert "there is no documentation that high-dose" not in det.rationale
