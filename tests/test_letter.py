"""The letter structure reader: the project's own test letters, the shared real letters, bad input."""

from __future__ import annotations

import csv
import datetime
import hashlib
import re
from collections import defaultdict
from pathlib import Path

import pytest

from imr_rules.errors import ImrError, InputFileError, LetterError
from imr_rules.models.letter import Letter
from imr_rules.reading.letter import parse_letter, read_letter
from imr_rules.reading.text import normalise

HERE = Path(__file__).resolve().parent
LETTERS = HERE / "letters"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared is not beside the project (a user's own clone)"
)


def norm(text: str) -> str:
    """The words of a piece of the letter as the reader sees them (Unicode normalised, see imr_rules.reading.text)."""
    return " ".join(normalise(text).text.split())


def assert_spans_point_into_text(letter: Letter, text: str) -> None:
    """Spans are what later steps use to quote the letter, so they must hold what was read."""
    assert letter.text_digest == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert norm(text[letter.summary_span.start : letter.summary_span.end]) == letter.summary
    for item in letter.items:
        heading = norm(text[item.heading_span.start : item.heading_span.end])
        assert item.item in heading
        if letter.layout != "maximus-2013":  # 2013 letters word the decision ("is not medically necessary")
            assert heading.rstrip(" .").endswith(item.decision)
        assert norm(text[item.rationale_span.start : item.rationale_span.end]) == item.rationale


# --------------------------------------------------------------------------------------------------
# The project's own letters, one per layout


def test_seed_style_letter() -> None:
    path = LETTERS / "seed_style.txt"
    letter = read_letter(path)
    assert letter.layout == "imr"
    assert letter.header is None
    assert letter.source == str(path)
    assert letter.reviewer.specialties == ["Orthopaedic Surgery"]
    assert letter.reviewer.licensure == ["California", "Oregon"]
    assert letter.summary.startswith("This invented worker is a 47 year old")
    assert [(i.item, i.decision) for i in letter.items] == [
        ("Right L5-S1 Microdiscectomy", "Overturned"),
        # Split by a page break between "Custom" and "Fitted": the two parts are joined.
        ("Associated Surgical Service: Post-operative Lumbar Brace, Custom Fitted", "Upheld"),
    ]
    first, second = letter.items
    (ca,) = first.claims_administrator_citations
    assert (ca.mtus, ca.guideline, ca.chapter, ca.pages) == (
        True,
        "ACOEM",
        "Chapter 12 Low Back Complaints",
        "305-306",
    )
    acoem, odg = first.reviewer_citations
    assert acoem.pages == "305-307"
    assert (odg.mtus, odg.guideline, odg.chapter, odg.section) == (
        False,
        "ODG",
        "Low Back Chapter",
        "Discectomy/laminectomy",
    )
    assert first.rationale.startswith("The guidelines support a discectomy")
    assert first.rationale.endswith("The request is medically necessary.")
    (none,) = second.claims_administrator_citations
    assert none.no_evidence and none.mtus is None and none.guideline is None
    (brace,) = second.reviewer_citations
    assert brace.mtus is False
    assert brace.text.startswith("The Expert Reviewer did not base their decision on the MTUS.")
    assert brace.section == "Back brace, post operative (fusion)"
    assert_spans_point_into_text(letter, path.read_text(encoding="utf-8"))


def test_dwc_style_letter() -> None:
    path = LETTERS / "dwc_style.txt"
    letter = read_letter(path)
    assert letter.layout == "dwc"
    assert letter.header is not None
    assert letter.header.model_dump() == {
        "case_number": "CM99-0000123",
        "date_assigned": datetime.date(2017, 1, 5),
        "decision_date": datetime.date(2017, 2, 1),
        "date_of_injury": datetime.date(2015, 3, 14),
        "ur_denial_date": datetime.date(2016, 12, 20),
        "priority": "Standard",
        "application_received": datetime.date(2016, 12, 28),
    }
    assert letter.reviewer.licensure == ["Nevada", "California"]
    assert letter.reviewer.specialties == [
        "Preventive Medicine",
        "Occupational Medicine",
        "Public Health & General Preventive Medicine",
    ]
    assert letter.summary.startswith("This fictional injured worker")
    assert letter.summary.endswith("ten sessions of physical therapy.")
    assert [(i.item, i.decision, i.original_request, i.authorized) for i in letter.items] == [
        ("MRI of the right knee without contrast", "Overturned", None, None),
        (
            "physical therapy 6 sessions for the right knee",
            "Upheld",
            "Physical therapy 12 sessions for the right knee",
            "Physical therapy 6 sessions",
        ),
        ("Knee brace purchase", "Upheld", "Knee brace purchase", "a knee brace rental for 1 month"),
        ("Retrospective urine drug screen, date of service 12/01/2016", "Overturned", None, None),
    ]
    mri = letter.items[0]
    # One MTUS sentence naming two guidelines gives two citations.
    assert [(c.guideline, c.edition, c.chapter, c.section) for c in mri.reviewer_citations] == [
        ("ACOEM", "2004", "General Approaches", "Initial Approaches to Treatment"),
        ("ACOEM", "2004", "Knee Complaints", "Special Studies, Summary"),
    ]
    (odg,) = mri.claims_administrator_citations
    assert (odg.mtus, odg.guideline, odg.chapter) == (False, "ODG", "Knee & Leg (Acute & Chronic)")
    assert odg.text.startswith("The Claims Administrator based their decision on recommendation(s) outside")
    # A rationale of two paragraphs is read whole.
    assert mri.rationale.startswith("The guidelines support imaging")
    assert mri.rationale.endswith("The request is medically necessary.")
    therapy = letter.items[1]
    assert [(c.guideline, c.edition, c.section) for c in therapy.reviewer_citations] == [
        ("Chronic Pain Medical Treatment", "2016", "Physical medicine treatment")
    ]
    brace = letter.items[2]
    assert [c.no_evidence for c in brace.claims_administrator_citations + brace.reviewer_citations] == [
        True,
        True,
    ]
    (uds,) = letter.items[3].reviewer_citations
    assert uds.guideline == "Opioid Treatment"
    assert uds.section is not None and uds.section.startswith("3.3.6 Opioids for Chronic Pain")
    assert_spans_point_into_text(letter, path.read_text(encoding="utf-8"))


def test_maximus_2013_letter() -> None:
    path = LETTERS / "maximus_2013.txt"
    letter = read_letter(path)
    assert letter.layout == "maximus-2013"
    assert letter.header is not None
    assert letter.header.case_number == "CM13-0099001"
    assert letter.header.decision_date == datetime.date(2013, 12, 18)
    assert letter.header.date_of_injury == datetime.date(2012, 6, 11)
    assert letter.header.application_received == datetime.date(2013, 10, 9)
    assert letter.reviewer.specialties == ["Anesthesiology", "Pain Medicine"]
    assert letter.reviewer.licensure == ["California", "Arizona"]
    assert letter.summary.startswith("The imaginary claimant is a 41 year old cook")
    assert [(i.item, i.decision) for i in letter.items] == [
        ("right L4-L5 transforaminal epidural steroid injection", "Overturned"),
        ("aquatic therapy twice weekly for six weeks", "Upheld"),
    ]
    esi, aquatic = letter.items
    (ca,) = esi.claims_administrator_citations
    assert (ca.mtus, ca.guideline, ca.edition, ca.pages) == (
        True,
        "Chronic Pain Medical Treatment",
        "2009",
        "46",
    )
    assert esi.rationale.startswith("Radiculopathy is documented")
    (odg,) = aquatic.claims_administrator_citations
    assert (odg.mtus, odg.guideline, odg.chapter) == (False, "ODG", "Low Back Chapter")
    (acoem,) = aquatic.reviewer_citations
    assert (acoem.mtus, acoem.guideline, acoem.chapter, acoem.pages) == (
        True,
        "ACOEM",
        "Chapter 12 Low Back Complaints",
        "298-299",
    )
    assert aquatic.rationale.endswith("so the request is not medically necessary and appropriate.")
    assert "Effect of the Decision" not in aquatic.rationale
    assert_spans_point_into_text(letter, path.read_text(encoding="utf-8"))


def test_parse_letter_from_text_and_windows_line_ends() -> None:
    text = (LETTERS / "dwc_style.txt").read_text(encoding="utf-8")
    letter = parse_letter(text)
    assert letter.source == "<text>"
    crlf = parse_letter(text.replace("\n", "\r\n"))
    assert [(i.item, i.decision) for i in crlf.items] == [(i.item, i.decision) for i in letter.items]
    assert crlf.header == letter.header
    assert_spans_point_into_text(crlf, text.replace("\n", "\r\n"))


def test_heading_split_as_original_request_then_authorized() -> None:
    """A UR-modified heading broken after "was the original request." is still one heading."""
    text = (LETTERS / "dwc_style.txt").read_text(encoding="utf-8")
    split = text.replace(
        "Knee brace purchase was the original request. The Claims Administrator authorized a knee\n",
        "Knee brace purchase was the original request.\n\nThe Claims Administrator authorized a knee\n",
    )
    assert split != text
    brace = parse_letter(split).items[2]
    assert (brace.item, brace.original_request, brace.authorized) == (
        "Knee brace purchase",
        "Knee brace purchase",
        "a knee brace rental for 1 month",
    )


# --------------------------------------------------------------------------------------------------
# Bad input: one line, naming the problem


def one_line_error(exc: pytest.ExceptionInfo[ImrError]) -> str:
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(LetterError) as exc:
        read_letter(path)
    assert "empty" in one_line_error(exc)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputFileError) as exc:
        read_letter(path)
    assert "binary" in one_line_error(exc)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as exc:
        read_letter(tmp_path / "nowhere.txt")
    assert "no such file" in one_line_error(exc)


def test_pdf_instead_of_text(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", encoding="utf-8")
    with pytest.raises(ImrError) as exc:  # refused by the file reader, before any letter parsing
        read_letter(path)
    message = one_line_error(exc)
    assert "PDF" in message and message.startswith(f"{path}:")


def test_letter_without_decisions_section() -> None:
    with pytest.raises(LetterError) as exc:
        read_letter(LETTERS / "no_decisions.txt")
    assert "no decisions section" in one_line_error(exc)


def test_decisions_section_without_items() -> None:
    text = (LETTERS / "no_decisions.txt").read_text(encoding="utf-8")
    text += "\nIMR ISSUES, DECISIONS AND RATIONALES\nThe decisions were lost.\n"
    with pytest.raises(LetterError) as exc:
        parse_letter(text, "lost.txt")
    message = one_line_error(exc)
    assert "no readable item" in message and message.startswith("lost.txt:")


def test_heading_without_decision_names_its_line() -> None:
    text = (LETTERS / "dwc_style.txt").read_text(encoding="utf-8")
    broken = text.replace("MRI of the right knee without contrast: Overturned", "MRI of the right knee")
    with pytest.raises(LetterError) as exc:
        parse_letter(broken, "broken.txt")
    line = text.splitlines().index("MRI of the right knee without contrast: Overturned") + 1
    message = one_line_error(exc)
    assert message.startswith(f"broken.txt:{line}:") and "does not end in its decision" in message
    assert "medically necessary and appropriate" in message  # the other form a heading may take


def test_hostile_input_is_refused_quickly() -> None:
    """Long runs that would make a backtracking pattern explode are read in linear time."""
    filler = "x " * 200_000
    heading = f"IMR ISSUES, DECISIONS AND RATIONALES\n{filler}\nClaims Administrator guideline: x\n"
    with pytest.raises(LetterError):
        parse_letter(heading)
    determined = "MAXIMUS Federal Services, Inc. has determined the request for " * 5_000
    with pytest.raises(LetterError):
        parse_letter(determined)


# --------------------------------------------------------------------------------------------------
# The five seed letters (../shared/letters)

SEED_ITEMS = {
    "000": [("Pre-op medical clearance", "Upheld")],
    "001": [
        ("L4-S1 Decompression, Discectomy, Foraminotomies", "Upheld"),
        ("Associated Surgical Service: Inpatient 1-2 days", "Upheld"),
        ("Pre-Op Labs: Complete Blood Count (CBC), Basic Metabolic Panel (BMP), Urinalysis (UA)", "Upheld"),
        ("Associated Surgical Service: Electrocardiography (EKG)", "Upheld"),
        ("Post-Op Physical Therapy 3x8 Weeks", "Upheld"),
    ],
    "002": [
        ("Lumbar Spine Hardware Block", "Overturned"),
        ("Pre-Surgical Labs Complete blood count", "Upheld"),
        ("Pre-Surgical Labs Spinal Muscle Atrophy -7", "Upheld"),
        ("Pre-Surgical Labs Prothrombin time-Partial thromboplastin time", "Upheld"),
        ("Pre-Surgical Labs international normalized prothrombin ratio", "Upheld"),
    ],
    "003": [("Re-evaluation and treatment for the lumbar spine", "Upheld")],
    "004": [("MRI of Lumbar Spine", "Upheld")],
}
SEED_REVIEWERS = {
    "000": (["Family Medicine"], ["California"]),
    "001": (["Pediatrics", "Neurological Surgery"], ["California"]),
    "002": (["Orthopaedic Surgery"], ["California"]),
    "003": (["Physical Medicine & Rehabilitation", "Neuromuscular Medicine"], ["Maryland"]),
    "004": (["Family Medicine"], ["California"]),
}


def seed_letter(prefix: str) -> tuple[Letter, str]:
    (path,) = sorted((SHARED / "letters").glob(f"{prefix}_*.txt"))
    return read_letter(path), path.read_text(encoding="utf-8")


@needs_shared
@pytest.mark.parametrize("prefix", sorted(SEED_ITEMS))
def test_seed_letter_items_and_reviewer(prefix: str) -> None:
    letter, text = seed_letter(prefix)
    assert letter.layout == "imr"
    assert letter.header is None
    assert [(i.item, i.decision) for i in letter.items] == SEED_ITEMS[prefix]
    assert (letter.reviewer.specialties, letter.reviewer.licensure) == SEED_REVIEWERS[prefix]
    assert letter.summary and not letter.summary.startswith("The expert reviewer developed")
    for item in letter.items:
        assert item.claims_administrator_citations and item.reviewer_citations and item.rationale
    assert_spans_point_into_text(letter, text)


@needs_shared
def test_seed_letter_citations() -> None:
    letter, _ = seed_letter("001")
    acoem, odg = letter.items[0].reviewer_citations
    assert (acoem.mtus, acoem.guideline, acoem.chapter, acoem.pages) == (
        True,
        "ACOEM",
        "Chapter 12 Low Back Complaints",
        "305-306",
    )
    assert (odg.mtus, odg.guideline, odg.chapter, odg.section) == (
        False,
        "ODG",
        "Low Back Chapter",
        "Fusion (spinal)",
    )
    (ca,) = letter.items[1].claims_administrator_citations
    assert ca.no_evidence and ca.mtus is None
    (ca_first,) = letter.items[0].claims_administrator_citations
    assert ca_first.pages == "305-307, 202-204"

    letter, _ = seed_letter("004")
    (reviewer,) = letter.items[0].reviewer_citations
    assert (reviewer.guideline, reviewer.chapter, reviewer.pages) == (
        "ACOEM",
        "Chapter 12 Low Back Complaints",
        "289-90, 303",
    )

    letter, _ = seed_letter("000")
    (ca,) = letter.items[0].claims_administrator_citations
    assert ca.mtus is False
    assert ca.guideline == "Immediate Preoperative Visits and Other Services By Physician"


# --------------------------------------------------------------------------------------------------
# The 164 published letters (../shared/dwc-letters) against dwc-items.csv


def expected_dwc_items() -> dict[str, list[tuple[str, str]]]:
    expected: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with (SHARED / "dwc-items.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            expected[row["case_number"]].append((norm(row["item"]), row["decision"]))
    return expected


def count_labels(text: str, label: str) -> int:
    return len(re.findall(rf"^{re.escape(label)}", text, flags=re.MULTILINE))


@needs_shared
def test_dwc_letters_match_the_item_list() -> None:
    expected = expected_dwc_items()
    paths = sorted((SHARED / "dwc-letters").glob("*.txt"))
    assert len(paths) == 164
    assert set(expected) == {p.stem for p in paths}
    modified = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        letter = read_letter(path)
        assert letter.layout == "dwc", path.name
        n = count_labels(text, "Claims Administrator guideline:")
        assert len(letter.items) == n == count_labels(text, "MAXIMUS guideline:"), path.name
        assert n == count_labels(text, "Decision rationale:"), path.name
        assert [(norm(i.item), i.decision) for i in letter.items] == expected[path.stem], path.name

        header = letter.header
        assert header is not None and header.case_number == path.stem
        for field in (
            "date_assigned",
            "decision_date",
            "date_of_injury",
            "ur_denial_date",
            "application_received",
        ):
            assert isinstance(getattr(header, field), datetime.date), (path.name, field)
        assert header.priority == "Standard"
        assert letter.reviewer.specialties and letter.reviewer.licensure, path.name
        assert letter.summary, path.name

        for item in letter.items:
            assert item.claims_administrator_citations and item.reviewer_citations and item.rationale
            heading = norm(text[item.heading_span.start : item.heading_span.end])
            if "was the original request" in heading:
                modified += 1
                assert item.original_request and item.authorized, (path.name, item.item)
                # The item is the part named after the original request and what was authorized.
                assert heading.rindex(item.item) > heading.index("was the original request")
            else:
                assert item.original_request is None and item.authorized is None
        assert_spans_point_into_text(letter, text)
    assert modified == 42  # in 35 of the letters


@needs_shared
def test_dwc_examples() -> None:
    letter = read_letter(SHARED / "dwc-letters" / "CM16-0233904.txt")
    (item,) = letter.items
    assert (item.item, item.original_request, item.authorized) == (
        "Baclofen 100mg #3",
        "Baclofen 100mg #30",
        "Baclofen 100mg #27",
    )

    letter = read_letter(SHARED / "dwc-letters" / "CM16-0224814.txt")
    (citation,) = letter.items[0].reviewer_citations
    assert (citation.mtus, citation.guideline, citation.edition, citation.chapter, citation.section) == (
        True,
        "ACOEM",
        "2004",
        "Neck and Upper Back Complaints",
        "Special Studies",
    )

    letter = read_letter(SHARED / "dwc-letters" / "CM16-0228949.txt")
    (citation,) = letter.items[0].reviewer_citations
    assert (citation.guideline, citation.edition, citation.section) == (
        "Chronic Pain Medical Treatment",
        "2016",
        "Physical medicine treatment",
    )

    letter = read_letter(SHARED / "dwc-letters" / "CM16-0230548.txt")
    assert [c.chapter for c in letter.items[0].reviewer_citations] == [
        "Neck and Upper Back Complaints",
        "Forearm, Wrist, and Hand Complaints",
    ]
    (acupuncture,) = letter.items[1].reviewer_citations
    assert (acupuncture.guideline, acupuncture.edition) == ("Acupuncture Medical Treatment", "2007")


# --- headings and header labels written in other ways --------------------------------------------


@pytest.mark.parametrize(
    "heading",
    ["CLINICAL  CASE  SUMMARY", "CLINICAL\tCASE SUMMARY", "Clinical   Case Summary", "CLINICAL CASE   SUMMARY"],
)
def test_summary_heading_with_runs_of_spaces_is_still_the_summary(heading: str) -> None:
    text = (LETTERS / "dwc_style.txt").read_text()
    plain = parse_letter(text, "dwc_style.txt")
    spaced = parse_letter(text.replace("CLINICAL CASE SUMMARY", heading), "dwc_style.txt")
    assert spaced.summary == plain.summary
    assert spaced.summary.startswith("This fictional injured worker")


@pytest.mark.parametrize(
    "label",
    ["Date of UR Decision:", "UR Decision Date:", "Date of UR Denial:", "UR Date:", "Date of the UR:"],
)
def test_other_labels_for_the_ur_decision_date(label: str) -> None:
    text = (LETTERS / "dwc_style.txt").read_text().replace("UR Denial Date:", label)
    letter = parse_letter(text, "dwc_style.txt")
    assert letter.header is not None
    assert letter.header.ur_denial_date == datetime.date(2016, 12, 20)
    assert letter.header.decision_date == datetime.date(2017, 2, 1)  # the IMR's own date is not taken for UR's


def test_items_heading_and_labels_with_runs_of_spaces() -> None:
    text = (LETTERS / "dwc_style.txt").read_text()
    plain = parse_letter(text, "dwc_style.txt")
    text = text.replace("Claims Administrator guideline:", "Claims  Administrator guideline:")
    text = text.replace("Decision rationale:", "Decision   rationale:")
    spaced = parse_letter(
        text.replace("IMR ISSUES, DECISIONS AND RATIONALES", "IMR ISSUES,  DECISIONS AND RATIONALES"), "x"
    )
    assert [(i.item, i.decision) for i in spaced.items] == [(i.item, i.decision) for i in plain.items]


def test_a_letter_without_a_summary_says_so_in_the_case_warnings(library, patterns) -> None:  # type: ignore[no-untyped-def]
    from imr_rules.reading.extract import extract_text

    text = (LETTERS / "dwc_style.txt").read_text()
    with_summary = extract_text(text, "dwc_style.txt", library, patterns)
    assert not any("no clinical case summary" in w for w in with_summary.extraction.warnings)
    start, end = text.index("CLINICAL CASE SUMMARY"), text.index("IMR ISSUES, DECISIONS")
    without = extract_text(text[:start] + text[end:], "dwc_style.txt", library, patterns)
    assert any("no clinical case summary" in w for w in without.extraction.warnings)


@pytest.mark.parametrize("mark", ["1. ", "(1) ", "1) ", "- ", "\u2022 "])
def test_a_list_number_before_an_item_heading_is_not_part_of_its_name(mark: str) -> None:
    text = (LETTERS / "dwc_style.txt").read_text()
    plain = parse_letter(text, "dwc_style.txt")
    first = plain.items[0].item
    numbered = parse_letter(text.replace(first, mark + first, 1), "dwc_style.txt")
    assert [i.item for i in numbered.items] == [i.item for i in plain.items]


@pytest.mark.parametrize(
    ("heading", "decision"),
    [
        ("MRI of the right knee without contrast is medically necessary and appropriate.", "Overturned"),
        ("MRI of the right knee without contrast is not medically necessary and appropriate.", "Upheld"),
        ("MRI of the right knee without contrast is not medically necessary.", "Upheld"),
        ("MRI of the right knee without contrast, is medically necessary and\nappropriate", "Overturned"),
        ("1. MRI of the right knee without contrast is NOT medically necessary\nand appropriate.", "Upheld"),
    ],
)
def test_a_heading_may_state_its_decision_as_the_necessity_sentence(heading: str, decision: str) -> None:
    """The README's second heading form ("... is/is not medically necessary and appropriate"), in the items
    section of the DWC layout, on one line or wrapped: the item's name without the sentence, and its
    decision (a fresh user's letters were refused with "does not end in Upheld or Overturned")."""
    text = (LETTERS / "dwc_style.txt").read_text(encoding="utf-8")
    original = "MRI of the right knee without contrast: Overturned"
    assert original in text
    letter = parse_letter(text.replace(original, heading), "necessity.txt")
    plain = parse_letter(text, "dwc_style.txt")
    assert letter.items[0].item == "MRI of the right knee without contrast"
    assert letter.items[0].decision == decision
    assert [(i.item, i.decision) for i in letter.items[1:]] == [(i.item, i.decision) for i in plain.items[1:]]
