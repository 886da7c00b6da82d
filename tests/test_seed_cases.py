"""The five seed letters' case files: every one of the 13 items is reproduced, through durable-rules,
with the criteria, facts and citations that decided it."""

from __future__ import annotations

import pytest

from imr_rules import evaluate, load_case
from imr_rules.models import Determination

from .conftest import CASES

SEED = sorted(CASES.glob("[0-9][0-9][0-9]_*.yaml"))


def _evaluate(library, name: str) -> dict[str, Determination]:
    result = evaluate(load_case(CASES / name, library), library)
    return {d.item: d for d in result.determinations}


def test_five_seed_cases_exist() -> None:
    assert [p.stem[:3] for p in SEED] == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("path", SEED, ids=lambda p: p.stem)
def test_every_item_reproduces_the_letter(library, path) -> None:
    result = evaluate(load_case(path, library), library)
    assert result.determinations
    for det in result.determinations:
        assert det.letter_decision is not None
        assert det.outcome == det.letter_decision, (det.item, det.rationale)
        assert det.agrees_with_letter is True
        assert det.rule is not None and det.citations and det.criteria


def test_thirteen_items_in_all(library) -> None:
    total = sum(len(evaluate(load_case(p, library), library).determinations) for p in SEED)
    assert total == 13


def test_001_discectomy_fails_on_imaging_with_its_evidence(library) -> None:
    det = _evaluate(library, "001_dbfc6dcde667e7b2.yaml")["L4-S1 Decompression, Discectomy, Foraminotomies"]
    assert det.outcome == "Upheld" and det.medically_necessary is False
    by_id = {c.id: c for c in det.criteria}
    imaging = by_id["acoem-2004-ch12-surgical-referral/imaging_evidence"]
    assert imaging.status == "not_met" and imaging.decisive
    assert imaging.facts[0].name == "imaging_neural_compression" and imaging.facts[0].value is False
    assert "no imaging evidence" in imaging.facts[0].evidence[0].quote
    # undocumented criteria are shown as such, and did not decide the item
    severe = by_id["acoem-2004-ch12-surgical-referral/severe_leg_symptoms"]
    assert severe.status == "not_documented" and not severe.decisive
    assert any("305-306" in c for c in det.citations)
    assert "no imaging evidence of nerve root compression" in det.rationale
    assert det.rationale.endswith("not medically necessary.")


def test_001_associated_services_follow_the_engine_decided_primary(library) -> None:
    dets = _evaluate(library, "001_dbfc6dcde667e7b2.yaml")
    for name in (
        "Associated Surgical Service: Inpatient 1-2 days",
        "Pre-Op Labs: Complete Blood Count (CBC), Basic Metabolic Panel (BMP), Urinalysis (UA)",
        "Associated Surgical Service: Electrocardiography (EKG)",
        "Post-Op Physical Therapy 3x8 Weeks",
    ):
        det = dets[name]
        dep = {c.id: c for c in det.criteria}["surgery-associated-services/primary_necessary"]
        assert dep.status == "not_met" and dep.decisive, name
        assert det.primary == "L4-S1 Decompression, Discectomy, Foraminotomies"
    # the post-op course also exceeds the initial course on its own
    pt = {c.id: c for c in dets["Post-Op Physical Therapy 3x8 Weeks"].criteria}
    assert pt["mtus-postsurgical-pt-low-back/discectomy_initial"].status == "not_met"


def test_002_hardware_block_overturned_and_labs_wait_for_surgery(library) -> None:
    dets = _evaluate(library, "002_857e212f32d93aa1.yaml")
    block = dets["Lumbar Spine Hardware Block"]
    assert block.outcome == "Overturned" and block.medically_necessary is True
    statuses = {c.id.split("/")[1]: c.status for c in block.criteria if c.rule == "odg-hardware-injection-block"}
    assert set(statuses.values()) == {"met"}
    assert "medically necessary" in block.rationale and "not medically" not in block.rationale
    labs = dets["Pre-Surgical Labs Complete blood count"]
    dep = {c.id: c for c in labs.criteria}["surgery-associated-services/primary_necessary"]
    assert dep.status == "not_met"
    assert dep.facts[0].value == "not_established"


def test_003_unspecified_treatment_excludes_an_otherwise_reasonable_visit(library) -> None:
    det = _evaluate(library, "003_f7d619d7f1b62f63.yaml")["Re-evaluation and treatment for the lumbar spine"]
    assert det.outcome == "Upheld"
    assert det.rule == "imr-unspecified-request"
    rules = {r.id: r.status for r in det.rules}
    assert rules["odg-office-visits"] == "met"
    assert rules["imr-unspecified-request"] == "met"


def test_004_mri_without_red_flags_or_documented_nerve_compromise(library) -> None:
    det = _evaluate(library, "004_c1b1e726fca0fa4f.yaml")["MRI of Lumbar Spine"]
    assert det.outcome == "Upheld"
    by_id = {c.id.split("/")[1]: c for c in det.criteria}
    assert by_id["red_flags"].status == "not_met"
    assert by_id["unequivocal_nerve_compromise"].status == "not_documented"
    assert by_id["imaging_indications"].status == "not_documented"
    assert "red flags" in det.rationale
