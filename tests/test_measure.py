"""Measuring the letter reader against gold annotations (imr_rules.authoring.measure, scripts/gold.py), through
the real extraction and engine on a letter written for the suite."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from imr_rules import evaluate
from imr_rules.authoring.measure import FactScores, gold_case, load_gold, same_value, score_letter
from imr_rules.errors import ImrError
from imr_rules.models.extracted import ExtractedItem, ExtractedLetter, ExtractionInfo, ReadFact
from imr_rules.reading.extract import extract_case
from imr_rules.reading.letter import parse_letter

from .test_check import CHECKER, SPECIAL_STUDIES, letter

SUMMARY = (
    "This fictional worker is a 58 year old female clerk. She describes saddle anesthesia since January. "
    "The neurologic examination showed no objective evidence of radiculopathy."
)


def _gold(text: str, facts: list[dict[str, object]], undocumented: list[str]) -> dict[str, object]:
    return {
        "case": "CM99-0000300",
        "letter_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "annotator": "test",
        "facts": facts,
        "items": [
            {
                "item": "Lumbar MRI",
                "service": "mri_lumbar",
                "decision": "Upheld",
                "undocumented": undocumented,
            }
        ],
    }


def test_scores_count_right_missed_and_invented_facts(tmp_path: Path) -> None:
    text = letter(SUMMARY, [("Lumbar MRI", "Upheld", SPECIAL_STUDIES, "The request is not medically necessary.")])
    found = re.search(r"She\s+describes", text)
    assert found is not None
    start = found.start()
    gold_data = _gold(
        text,
        # red flags: right; nerve compromise: the gold says true where the letter reads false (wrong, counted
        # both ways); conservative care: the gold says undocumented and the reader must not invent it
        [
            {"fact": "red_flags_present", "value": True, "span": [start, start + 40]},
            {"fact": "objective_nerve_compromise_on_exam", "value": True, "span": [start, start + 40]},
        ],
        ["conservative_care_failed", "surgery_considered"],
    )
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "CM99-0000300.yaml").write_text(yaml.safe_dump(gold_data))
    (gold,) = load_gold(folder)
    parsed = parse_letter(text, "letter.txt")
    data = extract_case(parsed, text, CHECKER.library, CHECKER.patterns)
    scores = FactScores()
    score_letter(gold, data, CHECKER.library, scores)
    assert scores.tp["red_flags_present"] == 1
    assert scores.fn["objective_nerve_compromise_on_exam"] == 1
    assert scores.fp["objective_nerve_compromise_on_exam"] == 1
    assert not scores.fp["conservative_care_failed"] and not scores.fp["surgery_considered"]
    assert scores.precision == pytest.approx(1 / 2) and scores.recall == pytest.approx(1 / 2)
    (miss,) = scores.misses
    assert (miss.fact, miss.gold, miss.read) == ("objective_nerve_compromise_on_exam", True, False)
    # the gold facts through the engine: red flags documented -> the MRI is necessary
    evaluation = evaluate(gold_case(gold, data.dates, CHECKER.library), CHECKER.library)
    assert evaluation.determinations[0].outcome == "Overturned"


def test_values_compare_as_a_person_would() -> None:
    assert same_value(12, 12.0) and same_value(["nsaid", "opioid"], ["opioid", "nsaid"])
    assert not same_value(True, 1) and not same_value(["nsaid"], ["nsaid", "opioid"])
    assert same_value("Lumbar", "lumbar")


def test_a_malformed_gold_file_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("case: x\nletter_sha256: nothex\nannotator: t\nitems: []\n")
    with pytest.raises(ImrError) as info:
        load_gold(tmp_path)
    assert "bad.yaml" in str(info.value)


def test_a_regional_finding_is_scored_against_the_items_of_its_region() -> None:
    """A gold finding with a region is compared with what that region's items carry (an item's own value
    overrides the case value for it), once per region; a finding of another region does not count."""
    from imr_rules.models import GoldLetter

    gold = GoldLetter.model_validate(
        {
            "case": "CM99-0000301",
            "letter_sha256": "0" * 64,
            "annotator": "test",
            "facts": [
                {"fact": "objective_neurologic_findings", "value": True, "span": [0, 1], "region": "cervical"},
                {"fact": "objective_neurologic_findings", "value": False, "span": [2, 3], "region": "lumbar"},
            ],
            "items": [
                {"item": "Cervical MRI", "service": "mri_cervical", "decision": "Upheld"},
                {"item": "Lumbar MRI", "service": "mri_lumbar", "decision": "Upheld"},
            ],
        }
    )
    cervical = ExtractedItem(
        item="Cervical MRI",
        service="mri_cervical",
        decision="Upheld",
        facts={"objective_neurologic_findings": ReadFact(value=True)},
    )
    extracted = ExtractedLetter(
        case="CM99-0000301",
        letter="letter.txt",
        extraction=ExtractionInfo(tool="test", letter_digest="0", layout="plain"),
        facts={"objective_neurologic_findings": ReadFact(value=False)},
        items=[cervical, ExtractedItem(item="Lumbar MRI", service="mri_lumbar", decision="Upheld")],
    )
    scores = FactScores()
    score_letter(gold, extracted, CHECKER.library, scores)
    assert scores.tp["objective_neurologic_findings"] == 2 and not scores.misses
    # the cervical item without its own value falls back to the case value, which the gold contradicts
    extracted = extracted.model_copy(update={"items": [cervical.model_copy(update={"facts": {}}), extracted.items[1]]})
    scores = FactScores()
    score_letter(gold, extracted, CHECKER.library, scores)
    assert (scores.tp["objective_neurologic_findings"], scores.fn["objective_neurologic_findings"]) == (1, 1)


def test_the_gold_case_takes_the_phase_worked_out_from_the_dates_as_read() -> None:
    """The phase is worked out from the letter's dates, which the gold case takes as read: without it a
    service whose rules depend on the phase would be Undetermined on the gold facts."""
    from imr_rules.models import GoldLetter

    gold = GoldLetter.model_validate(
        {
            "case": "CM99-0000302",
            "letter_sha256": "0" * 64,
            "annotator": "test",
            "items": [{"item": "Naproxen 550mg #60", "service": "nsaid", "decision": "Upheld"}],
        }
    )
    dates = {"injury": "2016-01-04", "request": "2017-01-10"}
    read = {"acute_phase": ReadFact(value=False, inferred=True), "weeks_since_injury": ReadFact(value=53.0)}
    case = gold_case(gold, dates, CHECKER.library, read).case
    assert case.facts["acute_phase"].value is False and case.facts["weeks_since_injury"].value == 53.0
    assert "acute_phase" not in gold_case(gold, dates, CHECKER.library).case.facts
    stated = GoldLetter.model_validate(
        {**gold.model_dump(), "facts": [{"fact": "acute_phase", "value": True, "span": [0, 1]}]}
    )
    assert gold_case(stated, dates, CHECKER.library, read).case.facts["acute_phase"].value is True  # gold wins


def test_misses_script_lists_the_dev_sets_misses_with_both_sentences() -> None:
    """`scripts/misses.py --dev` (pattern authors' view of the released dev set) runs on the typed reading
    results and prints each miss with the gold sentence; it refuses a split other than train."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    if not (root / "eval" / "invented" / "gold").is_dir():
        pytest.skip("eval/invented is absent")
    done = subprocess.run(
        [sys.executable, str(root / "scripts" / "misses.py"), "--dev"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"^INV-\d+ \| .+ \| \w+: gold .+ read ", done.stdout, re.M)
    assert "   gold:  " in done.stdout
    refused = subprocess.run(
        [sys.executable, str(root / "scripts" / "misses.py"), "--gold", str(root / "eval" / "gold" / "validation")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2 and "train split only" in refused.stderr
