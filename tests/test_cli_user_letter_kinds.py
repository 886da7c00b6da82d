"""What a fresh user's second round found in the command line's output, through the real CLI and engine on
letters invented for the suite:

- `check` and `evaluate` judge a dependent item (post-operative therapy) with its primary as the letter
  decided it and as the rules decide it: where the two differ, both views say so;
- the one-line view names a criterion documented NOT MET that decided the item before a group of
  alternatives left undocumented;
- a folder is read without its sub-folders unless `--recursive` (a note counts what they hold), and a
  report written over files that failed lists them, with exit code 2.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from imr_rules.cli import main

from .test_reading_quantities import letter_text

HEADER = """IMR Case Number: CM99-0091{n:03d}      Date Assigned: 07/01/2016
Date of Injury: 02/14/2016         Decision Date: 07/25/2016
UR Denial Date: 06/20/2016         Priority: Standard

CLINICAL CASE SUMMARY
{summary}

IMR ISSUES, DECISIONS AND RATIONALES
The Final Determination was based on decisions for the disputed items/services set forth below:
"""
ITEM = """
{k}. {item}: {decision}

Claims Administrator guideline: The Claims Administrator based its decision on the {guideline}.

MAXIMUS guideline: The Physician Reviewer based his/her decision on the {guideline}.

Decision rationale: {rationale}
"""
SURGERY = "Left knee arthroscopic partial lateral meniscectomy"
THERAPY = "Post-operative physical therapy, six visits, left knee"


def knee_letter(n: int, summary: str, surgery_decision: str) -> str:
    """A meniscectomy and its post-operative therapy, both decided by the letter as given."""
    necessary = "medically necessary" if surgery_decision == "Overturned" else "not medically necessary"
    return HEADER.format(n=n, summary=summary) + "".join(
        ITEM.format(k=k, item=item, decision=decision, guideline=guideline, rationale=rationale)
        for k, (item, decision, guideline, rationale) in enumerate(
            [
                (SURGERY, surgery_decision, "ODG Knee and Leg Chapter, Meniscectomy", f"The request is {necessary}."),
                (
                    THERAPY,
                    "Overturned",
                    "MTUS Postsurgical Treatment Guidelines, Knee, Meniscectomy",
                    "Six visits are within the initial course. The request is medically necessary.",
                ),
            ],
            1,
        )
    )


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# a summary that documents none of the meniscectomy's criteria: the rules cannot certify it
SILENT = "A fictional 39-year-old man twisted his left knee at work; his surgeon asked for an arthroscopy."


def therapy_line_and_note(out: str) -> tuple[str, str]:
    """The therapy item's line of a text report, and the (wrapped) note of up to three lines under it."""
    lines = out.splitlines()
    k = next(k for k, line in enumerate(lines) if THERAPY in line)
    return lines[k], " ".join(line.strip() for line in lines[k + 1 : k + 4])


def test_check_and_evaluate_say_why_they_differ_on_a_dependent_item(tmp_path: Path) -> None:
    letter = tmp_path / "knee.txt"
    letter.write_text(knee_letter(1, SILENT, "Overturned"))
    case = tmp_path / "knee.yaml"
    code, _, err = invoke("extract", str(letter), "-o", str(case))
    assert code == 0, err
    code, out, _ = invoke("evaluate", str(case))
    line, note = therapy_line_and_note(out)
    assert ": UPHELD, letter Overturned" in line
    assert f"judged with its primary '{SURGERY}' as the rules decide it (Upheld)" in note
    assert "`imr-rules check` judges this item with the letter's decision" in note
    code, out, _ = invoke("evaluate", str(case), "--explain")
    assert "Note: judged with its primary" in out
    code, out, _ = invoke("check", str(letter))
    line, note = therapy_line_and_note(out)
    assert "letter Overturned, engine Overturned" in line
    assert f"judged with its primary '{SURGERY}' as this letter decided it (Overturned)" in note
    assert "the rules find the primary Upheld, and `imr-rules evaluate` judges this item with that" in note


def test_no_note_where_the_letter_and_the_rules_decide_the_primary_alike(tmp_path: Path) -> None:
    letter = tmp_path / "knee.txt"
    letter.write_text(knee_letter(2, SILENT, "Upheld"))  # the letter denies the surgery too
    code, out, _ = invoke("check", str(letter))
    # the letter's own decisions contradict each other (therapy certified after a denied surgery): an error,
    # but the letter and the rules agree on the primary, so no note
    assert code == 1 and "DEPENDENT-OVERTURNED-PRIMARY-DENIED" in out and "judged with its primary" not in out
    case = tmp_path / "knee.yaml"
    assert invoke("extract", str(letter), "-o", str(case))[0] == 0
    assert "judged with its primary" not in invoke("evaluate", str(case))[1]


def test_the_one_line_view_names_a_criterion_documented_not_met(tmp_path: Path) -> None:
    item = "Cervical epidural steroid injection at C6-7"
    documented = tmp_path / "normal_exam.txt"
    documented.write_text(
        letter_text(
            "A fictional 41-year-old roofer has neck pain since a fall. Reflexes, strength and sensation in both "
            "arms were normal on the last visit. The provider requested a cervical epidural steroid injection.",
            item,
            "Radiculopathy is not established. The request is not medically necessary.",
            injury="01/05/2014",
        )
    )
    silent = tmp_path / "silent.txt"
    silent.write_text(
        letter_text(
            "A fictional 41-year-old roofer has neck pain since a fall. The provider requested a cervical "
            "epidural steroid injection.",
            item,
            "The request is not medically necessary.",
            injury="01/05/2014",
        )
    )
    code, out, _ = invoke("check", str(documented))
    assert code == 0
    line = next(line for line in out.splitlines() if item in line)
    # the examination found no radiculopathy (NOT MET): named, though whether it is a first injection (the
    # alternative, a repeat one) is not documented
    assert " - [NOT MET] Radiculopathy is documented by physical" in line, line
    code, out, _ = invoke("check", str(silent))
    assert code == 0
    line = next(line for line in out.splitlines() if item in line)
    assert " - [not documented] " in line, line  # nothing documented the other way: the group, as before


def test_a_folder_is_read_without_its_sub_folders_unless_recursive(tmp_path: Path) -> None:
    root = Path(__file__).parent / "letters"
    folder = tmp_path / "letters"
    (folder / "older").mkdir(parents=True)
    (folder / "dwc_style.txt").write_bytes((root / "dwc_style.txt").read_bytes())
    (folder / "older" / "seed_style.txt").write_bytes((root / "seed_style.txt").read_bytes())
    code, out, err = invoke("check", str(folder), "--format", "json")
    assert code == 0, err
    assert [Path(letter["source"]).name for letter in json.loads(out)["letters"]] == ["dwc_style.txt"]
    assert f"note: {folder}: 1 file in sub-folders not read (--recursive reads them)" in err
    code, out, err = invoke("check", str(folder), "--recursive", "--format", "json")
    assert code == 0, err
    names = [Path(letter["source"]).name for letter in json.loads(out)["letters"]]
    assert names == ["dwc_style.txt", "seed_style.txt"] and "not read" not in err


def test_a_report_over_files_that_failed_lists_them_and_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "dwc_style.txt").write_bytes((Path(__file__).parent / "letters" / "dwc_style.txt").read_bytes())
    (folder / "notes.txt").write_text("Call the clinic on Monday about the knee brace.\n")
    report = tmp_path / "report.html"
    code, _, err = invoke("check", str(folder), "--format", "html", "-o", str(report))
    assert code == 2
    assert f"error: {folder / 'notes.txt'}: no decisions section" in err
    page = report.read_text()
    assert "Files that could not be read (1)" in page and "notes.txt: no decisions section" in page
    assert "dwc_style" in page  # the letters that were read are in it
    code, out, _ = invoke("check", str(folder), "--format", "json")
    assert code == 2
    (failed,) = json.loads(out)["failed"]
    assert failed["source"] == str(folder / "notes.txt") and "no decisions section" in failed["error"]
    code, out, _ = invoke("check", str(folder))
    assert code == 2
    assert "files that could not be read: 1" in out and "notes.txt: no decisions section" in out
