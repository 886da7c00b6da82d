"""A drug named only as "this medication" is the drug the sentence before names (items10).

"Her earlier analgesic was ibuprofen. She had no relief with this medication" says nothing of the tramadol
requested; when the sentence before names the requested drug, or no drug, or the requested drug is named
before the pointer, the sentence is the item's own. Every sentence is invented; each goes through the real
reader in a letter made around it.
"""

from __future__ import annotations

from typing import Any

import pytest

from imr_rules.reading.extract import extract_text

from .conftest import bundled_library, bundled_patterns
from .test_reading_quantities import letter_text
from .test_reading_suites import INTRO

TRAMADOL = "Tramadol 50mg #60"


def _relief(summary: str, item: str = TRAMADOL, rationale: str = "The request is not medically necessary.") -> Any:
    text = letter_text(f"{INTRO} {summary}", item, rationale=rationale)
    data = extract_text(text, "pointing.txt", bundled_library(), bundled_patterns())
    found = data.items[0].facts.get("pain_relief_from_medication")
    return None if found is None else found.value


@pytest.mark.parametrize(
    "summary",
    [
        "Her earlier analgesic was ibuprofen 400 mg. She reported no pain relief with this medication.",
        "He was given Tylenol in the clinic. There was no relief from this medication, and tramadol was prescribed.",
        "Meloxicam had been tried for two months. That drug did not help her pain.",
    ],
)
def test_this_medication_after_another_drug_is_not_the_items(summary: str) -> None:
    assert _relief(summary) is None


@pytest.mark.parametrize(
    ("summary", "value"),
    [
        ("She has taken tramadol for three months. She reports good pain relief with this medication.", True),
        ("He has used Ultram since spring. He reported no pain relief with this medication.", False),
        ("She was seen on 10/02/2016. She reports pain relief with this medication.", True),
        ("Ibuprofen upset her stomach. Tramadol was then started and this medication helps with her pain.", True),
    ],
)
def test_this_medication_after_the_items_drug_or_no_drug_is_the_items(summary: str, value: bool) -> None:
    assert _relief(summary) is value


def test_the_pointer_in_the_items_rationale_follows_the_same_rule() -> None:
    rationale = "The prior medication was naproxen. The patient had no pain relief with this medication."
    assert _relief("She has back pain.", rationale=rationale) is None
    rationale = "The patient has been taking tramadol. The patient had no pain relief with this medication."
    assert _relief("She has back pain.", rationale=rationale) is False


# --- a branded topical's ingredients -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "ingredients"),
    [
        ("LidoPro ointment 121 grams, apply twice daily", ["capsaicin", "lidocaine_topical", "menthol", "salicylate"]),
        ("Lidoderm 5% patch #30", ["lidocaine_patch"]),
    ],
)
def test_a_branded_topicals_ingredients_are_its_labels(item: str, ingredients: list[str]) -> None:
    text = letter_text(f"{INTRO} She has neck pain.", item)
    data = extract_text(text, "topical.txt", bundled_library(), bundled_patterns())
    assert data.items[0].service == "topical_analgesic"
    assert sorted(data.items[0].facts["topical_ingredients"].value) == ingredients


# --- a current medication list documents the GI risk drugs not taken -----------------------------------------


def _gi_risk(summary: str) -> tuple[Any, bool]:
    text = letter_text(f"{INTRO} {summary}", "Omeprazole 20mg #30")
    found = extract_text(text, "gi.txt", bundled_library(), bundled_patterns()).facts.get("gi_risk_medications")
    return (None, False) if found is None else (found.value, found.inferred)


@pytest.mark.parametrize(
    "summary",
    [
        "Her current medications are Norco, Flexeril and Prilosec.",
        "Medications: tramadol 50 mg, gabapentin 300 mg and omeprazole.",
        "The worker's medications were noted to include Mobic and Zanaflex.",
    ],
)
def test_a_medication_list_without_aspirin_steroids_or_anticoagulants_documents_none(summary: str) -> None:
    assert _gi_risk(summary) == (False, True)


@pytest.mark.parametrize(
    ("summary", "value"),
    [
        ("Her current medications are Norco, baby aspirin and Prilosec.", True),  # named in the list
        ("Her current medications are Norco and Prilosec. She also takes prednisone for asthma.", True),
        ("Her current medications include opioids and other pain medications.", None),  # a class may cover one
        ("She has had back pain since a fall at work.", None),  # no list
    ],
)
def test_a_list_naming_one_or_a_class_or_no_list_infers_nothing(summary: str, value: object) -> None:
    assert _gi_risk(summary)[0] is value


def test_a_later_clause_naming_the_items_drug_stays_the_items() -> None:
    """The pointer's clause is the other drug's; the clause after it, naming the item's drug, is the item's."""
    rationale = (
        "Her earlier analgesic was ibuprofen. She had no relief with this medication, and an initial prescription "
        "for tramadol was written on 11/02/2016."
    )
    text = letter_text(f"{INTRO} She has back pain.", TRAMADOL, rationale=rationale)
    facts = extract_text(text, "clause.txt", bundled_library(), bundled_patterns()).items[0].facts
    assert "pain_relief_from_medication" not in facts
    assert facts["medication_previously_used"].value is False
