"""`imr-rules evaluate` text for people (issue 17): a summary line, no block repeated under every item,
lines wrapped to a sensible width, colour only on a terminal (and never with NO_COLOR)."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner

from imr_rules import evaluate, load_case
from imr_rules.cli import main
from imr_rules.output.report import TEXT_WIDTH, render_text, summary_line, terminal_style

from .conftest import CASES

CASE = CASES / "001_dbfc6dcde667e7b2.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def evaluation(library):  # type: ignore[no-untyped-def]
    return evaluate(load_case(CASE, library), library)


def test_summary_line_counts_outcomes_and_agreement(evaluation) -> None:  # type: ignore[no-untyped-def]
    assert summary_line(evaluation) == "Summary: 5 items: 5 Upheld, 0 Overturned; agrees with the letter on 5 of 5"
    differs = evaluation.model_copy(
        update={
            "determinations": [
                evaluation.determinations[0].model_copy(update={"agrees_with_letter": False}),
                *evaluation.determinations[1:],
            ]
        }
    )
    assert summary_line(differs).endswith("agrees with the letter on 4 of 5 (DIFFERS on item 1)")


def test_a_block_repeated_under_every_item_is_printed_once(evaluation) -> None:  # type: ignore[no-untyped-def]
    text = render_text(evaluation)
    lines = text.splitlines()
    assert lines[2].startswith("Summary: 5 items")
    # the excluding rule (request too vague) does not apply to any item: shown in full once, then referred to
    assert text.count("Rule imr-unspecified-request: A request too vague") == 1
    assert text.count("Rule imr-unspecified-request  -> does not apply, as under item 1") == 4
    # the associated services share a rule block and a rationale: each printed once
    assert text.count("Rule surgery-associated-services: Services that accompany") == 1
    assert text.count("Rationale: as under item 2.") == 2
    # a sentence quoted identically by the summary and the rationale is quoted once per fact
    first_item = text[: text.index("\n2. ")]
    block = first_item[first_item.index("Rule odg-discectomy-laminectomy") :]
    assert block.count('"In this case, there was no imaging evidence of a significant neural compromise."') == 1
    # no blank-line-free wall: each determination still names its outcome and the letter's
    assert text.count("Determination: UPHELD (not medically necessary)   letter: Upheld (agrees)") == 5


@pytest.mark.parametrize("width", [60, TEXT_WIDTH, 120])
def test_lines_fit_the_width_with_hanging_indents(evaluation, width: int) -> None:  # type: ignore[no-untyped-def]
    text = render_text(evaluation, width=width)
    lines = text.splitlines()
    # a line may exceed the width only where one word (a fact name, an item name) is longer than the room
    assert all(len(line) <= width or " " not in line.strip() for line in lines), max(lines, key=len)
    rationale = lines.index(next(line for line in lines if line.startswith("   Rationale: ")))
    assert lines[rationale + 1].startswith(" " * len("   Rationale: ")) and lines[rationale + 1][14] != " "
    assert not ANSI.search(text)


def test_colour_only_when_asked_and_never_with_no_color(evaluation, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    coloured = render_text(evaluation, color=True)
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == render_text(evaluation)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert terminal_style(Tty())["color"] is True
    assert 60 <= terminal_style(Tty())["width"] <= 120
    monkeypatch.setenv("NO_COLOR", "1")
    assert terminal_style(Tty())["color"] is False
    assert terminal_style(io.StringIO()) == {"width": TEXT_WIDTH, "color": False}


def test_the_command_prints_no_colour_into_a_pipe_or_a_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["evaluate", str(CASE), "--explain"])
    assert result.exit_code == 0
    assert not ANSI.search(result.stdout)
    assert result.stdout.splitlines()[2].startswith("Summary: ")
    assert max(len(line) for line in result.stdout.splitlines()) <= TEXT_WIDTH
    target = tmp_path / "out.txt"
    assert CliRunner().invoke(main, ["evaluate", str(CASE), "-v", "-o", str(target)]).exit_code == 0
    assert target.read_text() == result.stdout
