"""A splint's indication (ACOEM 2004 Chapter 11, Initial Care and Table 11-7), read as a kind: carpal tunnel
syndrome, de Quervain's tenosynovitis or a wrist or hand strain or tendinitis, named or found on examination
(a positive Tinel's or Phalen's at the wrist); never negated, hedged, restated from the guideline, or another
nerve's sign. Every sentence is invented from the guideline's vocabulary and clinical charting, never from a
letter; each goes through the real reader in a letter made around it.
"""

from __future__ import annotations

from typing import Any

import pytest

from .test_reading_quantities import read

INTRO = "This fictional injured worker is a 39 year old female packer injured at work."
SPLINT = "Right wrist night splint"


def _splint(summary: str) -> Any:
    data = read(f"{INTRO} {summary}", SPLINT)
    assert data["items"][0]["service"] == "wrist_brace"
    found = data["facts"].get("wrist_splint_indication")
    if found is None:
        found = data["items"][0].get("facts", {}).get("wrist_splint_indication")
    return None if found is None else found["value"]


# a suite the audit of tests/test_reading_suites.py counts (INDICATION_READ: read true; INDICATION_NONE: not read)
INDICATION = "wrist_splint_indication"
INDICATION_READ = [
    "Her diagnoses are right carpal tunnel syndrome and cervical strain.",
    "She was diagnosed with de Quervain's tenosynovitis of the right wrist.",
    "The assessment is a right wrist sprain from lifting cartons.",
    "Examination shows tenosynovitis of the right thumb at the first dorsal compartment.",
    "Phalen's maneuver at the right wrist was positive after 30 seconds.",
    "There is a positive Tinel's sign over the right carpal tunnel.",
    "Tapping over the right carpal tunnel sent tingling into the index and middle fingers.",
]
INDICATION_NONE = [
    "A Tinel's sign at the right elbow over the cubital tunnel is positive.",  # another nerve
    "She has right cubital tunnel syndrome.",  # another nerve
    "Rule out carpal tunnel syndrome.",  # hedged
    "ACOEM recommends night splints as initial treatment of carpal tunnel syndrome.",  # the guideline
    "The request is for a splint; she reports low back pain only.",  # the request, no condition
    "She has a lumbar strain.",  # another region
]


@pytest.mark.parametrize("summary", INDICATION_READ)
def test_a_splint_condition_is_read(summary: str) -> None:
    assert _splint(summary) is True


@pytest.mark.parametrize("summary", INDICATION_NONE)
def test_no_splint_condition_is_read_from_other_words(summary: str) -> None:
    assert _splint(summary) is not True


def test_a_negated_condition_is_not_an_indication() -> None:
    assert _splint("There is no evidence of carpal tunnel syndrome on examination.") is not True
