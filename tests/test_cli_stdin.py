"""Standard input ("-") as users pipe it: `imr-rules extract letter | imr-rules evaluate -`, `check -`.

Messages and reports name it "<stdin>" (never "-"); a case read from standard input decides exactly as the
same case read from its file; bad input on standard input is one line naming "<stdin>" (with the line and
column where known) and exit code 2; "-" beside other inputs is refused (standard input is read once)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from imr_rules.cli import main

from .conftest import CASES, ROOT

CASE = CASES / "004_c1b1e726fca0fa4f.yaml"
LETTER = ROOT / "tests" / "letters" / "dwc_style.txt"


def invoke(args: list[str], stdin: bytes) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_a_case_piped_in_decides_as_its_file() -> None:
    code, piped, err = invoke(["evaluate", "-", "--format", "json"], CASE.read_bytes())
    assert code == 0, err
    _, from_file, _ = invoke(["evaluate", str(CASE), "--format", "json"], b"")
    piped_doc, file_doc = json.loads(piped), json.loads(from_file)
    assert piped_doc["source"] == "<stdin>"
    assert [(d["item"], d["outcome"]) for d in piped_doc["determinations"]] == [
        (d["item"], d["outcome"]) for d in file_doc["determinations"]
    ]
    assert len(piped_doc["determinations"]) >= 1


def test_extract_piped_into_evaluate() -> None:
    code, case_yaml, err = invoke(["extract", str(LETTER)], b"")
    assert code == 0, err
    code, out, err = invoke(["evaluate", "-"], case_yaml.encode())
    assert code == 0, err
    assert out.splitlines()[0].endswith("(<stdin>)")
    code, case_json, _ = invoke(["extract", str(LETTER), "--format", "json"], b"")
    code, out, err = invoke(["evaluate", "-", "--format", "json"], case_json.encode())
    assert code == 0, err
    assert json.loads(out)["determinations"]


def test_a_bad_case_on_standard_input_is_one_line_exit_2() -> None:
    code, out, err = invoke(["evaluate", "-"], b"case: x\nitems: [\n")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: <stdin>:")
    code, out, err = invoke(["evaluate", "-"], b"\xff\xfe not text")
    assert code == 2 and err.startswith("error: <stdin>") and "Traceback" not in err


def test_a_letter_piped_into_check_is_named_stdin() -> None:
    code, out, err = invoke(["check", "-"], LETTER.read_bytes())
    assert code in (0, 1), err
    assert out.startswith("<stdin>: ")
    code, out, err = invoke(["check", "-", "--format", "json"], LETTER.read_bytes())
    assert json.loads(out)["source"] == "<stdin>"
    code, out, err = invoke(["check", "-"], b"not a letter at all\n")
    assert code == 2 and err.startswith("error: <stdin>: ") and "-:" not in err


def test_standard_input_beside_other_inputs_is_refused() -> None:
    for command in ("evaluate", "check"):
        code, out, err = invoke([command, "-", str(CASE)], CASE.read_bytes())
        assert code == 2 and out == ""
        assert err.strip() == "error: <stdin>: standard input ('-') must be the only input"


def test_a_case_extracted_from_standard_input_is_checked_without_its_letter(tmp_path: Path) -> None:
    """Its `letter:` is "<stdin>", which names no file: check says why the letter checks are skipped, not that it
    looked for a file called "<stdin>"."""
    case = tmp_path / "case.yaml"
    code, _, err = invoke(["extract", "-", "-o", str(case)], LETTER.read_bytes())
    assert code == 0, err
    code, out, err = invoke(["check", str(case)], b"")
    assert code in (0, 1), err
    assert "extracted from standard input" in out and "looked for" not in out
