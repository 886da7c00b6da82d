"""Associated services follow their primary procedure, chained inside the engine both ways."""

from __future__ import annotations

from imr_rules import evaluate

from .conftest import make_case

DISCECTOMY_MET = {
    "severe_disabling_leg_symptoms": True,
    "activity_limitation_months": 3,
    "objective_nerve_compromise_on_exam": True,
    "imaging_neural_compression": True,
    "electrodiagnostic_radiculopathy": True,
    "conservative_care_failed": True,
    "activity_modification_months": 3,
    "drug_therapy_tried": ["nsaid"],
    "support_provider_referral": ["physical_therapy"],
}
SURGERY = "L5-S1 microdiscectomy"
LABS = {
    "item": "Pre-op labs: CBC",
    "service": "preop_labs",
    "primary": SURGERY,
    "facts": {"preop_test_indicated": True},
}
PT = {
    "item": "Post-op physical therapy 2x4",
    "service": "postop_pt",
    "primary": SURGERY,
    "facts": {"requested_visits": 8, "primary_procedure": "discectomy", "prior_course_completed": False},
}


def _run(library, facts, items):  # type: ignore[no-untyped-def]
    return {d.item: d for d in evaluate(make_case(library, items, facts), library).determinations}


def test_certified_primary_in_the_same_case_lets_dependents_be_necessary(library) -> None:
    dets = _run(library, DISCECTOMY_MET, [{"item": SURGERY, "service": "discectomy"}, LABS, PT])
    assert dets[SURGERY].outcome == "Overturned"
    for name in (LABS["item"], PT["item"]):
        det = dets[name]
        assert det.outcome == "Overturned", det.rationale
        dep = {c.id: c for c in det.criteria}["surgery-associated-services/primary_necessary"]
        assert dep.status == "met"


def test_denied_primary_in_the_same_case_denies_dependents(library) -> None:
    facts = {**DISCECTOMY_MET, "imaging_neural_compression": False}
    dets = _run(library, facts, [{"item": SURGERY, "service": "discectomy"}, LABS, PT])
    assert dets[SURGERY].outcome == "Upheld"
    for name in (LABS["item"], PT["item"]):
        det = dets[name]
        assert det.outcome == "Upheld"
        dep = {c.id: c for c in det.criteria}["surgery-associated-services/primary_necessary"]
        assert dep.status == "not_met" and dep.decisive
        # the dependent's own criteria are still evaluated and met
        own = [c for c in det.criteria if c.rule != "surgery-associated-services" and c.depth == 0]
        excluding = {r.id for r in det.rules if r.effect == "excludes"}  # met would refuse: they do not apply
        assert own and all(c.status == "met" for c in own if c.rule not in excluding)
        assert "not medically necessary" in det.rationale


def test_dependents_listed_before_their_primary_still_chain(library) -> None:
    dets = _run(library, DISCECTOMY_MET, [PT, LABS, {"item": SURGERY, "service": "discectomy"}])
    assert dets[PT["item"]].outcome == "Overturned"
    assert dets[LABS["item"]].outcome == "Overturned"


def test_primary_decided_elsewhere(library) -> None:
    def labs(status: str | None):  # type: ignore[no-untyped-def]
        facts = {"preop_test_indicated": True}
        if status:
            facts["primary_status"] = status
        return _run(library, {}, [{"item": "Labs", "service": "preop_labs", "primary": "fusion", "facts": facts}])[
            "Labs"
        ]

    assert labs("certified").outcome == "Overturned"
    assert labs("non_certified").outcome == "Upheld"
    assert labs("not_established").outcome == "Upheld"
    undocumented = labs(None)
    assert undocumented.outcome == "Upheld"
    dep = {c.id: c for c in undocumented.criteria}["surgery-associated-services/primary_necessary"]
    assert dep.status == "not_documented"


def test_primary_that_no_rule_governs_leaves_the_dependent_undetermined(library) -> None:
    items = [
        {"item": "Wrist fusion", "service": "limb_joint_fusion", "facts": {"body_region": "wrist_hand"}},
        {"item": "Labs", "service": "preop_labs", "primary": "Wrist fusion"},
    ]
    dets = _run(library, {}, items)
    assert dets["Wrist fusion"].outcome == "Undetermined"
    assert "limb_joint_fusion" in (dets["Wrist fusion"].reason or "")
    assert dets["Labs"].outcome == "Undetermined"
    assert "Wrist fusion" in (dets["Labs"].reason or "")
    assert dets["Labs"].medically_necessary is None
