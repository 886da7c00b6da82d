"""`imr-rules check`: letters (or case files) -> decisions their own documented facts contradict."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from imr_rules.cli import formats
from imr_rules.cli.common import (
    batch_options,
    explain_option,
    fail,
    fail_on_option,
    folder_inputs,
    format_for_output,
    format_option,
    library_folder,
    reports_errors,
    rules_option,
    text_style,
    to_stdout,
)

if TYPE_CHECKING:
    from imr_rules.output.batch import BatchResult


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@rules_option
@format_option(formats.CHECK, from_output=True)
@batch_options
@fail_on_option
@explain_option
@reports_errors
def check(
    paths: tuple[str, ...],
    rules_dir: str | None,
    fmt: str | None,
    output: str | None,
    jobs: int,
    recursive: bool,
    fail_on: str,
    explain: bool,
) -> None:
    """Check letters (or case files) for decisions their own documented facts and cited criteria contradict.

    Findings are errors (the documented facts decide the other outcome), warnings (worth a quality
    reviewer's look: undocumented criteria of a certified item, citations, skipped letter checks) or
    info. Text shows one line per item (the letter's decision, the engine's, the verdict, what decided
    it); an item the rules cannot decide is "neither confirmed nor contradicted". --explain adds each
    finding's evidence and the criteria tree. Exit code 0 when no finding reaches --fail-on, 1 when one
    does, 2 on bad input (also when some files of a folder failed: the report is written and lists
    them). A folder means the files directly in it; --recursive reads its sub-folders too. A letter given
    together with a case file that names it (as `extract -o` writes it) is checked once, through the case
    file.
    """
    fmt = format_for_output(fmt, output, formats.CHECK)
    from imr_rules.cache import load_rules
    from imr_rules.checking.consistency import Tally
    from imr_rules.output.batch import check_many, checker_for, reviewed_letters, write_atomic
    from imr_rules.sources import CASE_SUFFIXES, LETTER_SUFFIXES

    checker = checker_for(load_rules(library_folder(rules_dir)))  # the one batch.check_path uses
    entries = folder_inputs(paths, LETTER_SUFFIXES + CASE_SUFFIXES, recursive)
    many = len(entries) > 1 or any(Path(p).is_dir() for p in paths)
    writer = formats.CHECK[fmt](formats.Run(many, explain, *text_style(output)))
    tally = Tally()
    failures = 0
    for folder in (Path(p) for p in paths if Path(p).is_dir()):
        if not any(e.path.is_relative_to(folder) for e in entries):
            failures += 1
            click.echo(f"error: {folder}: no letters (.txt, .pdf) or case files (.yaml) in this folder", err=True)
    unlisted = [entry for entry in entries if entry.error is not None]  # a folder that could not be read
    for entry in unlisted:
        failures += 1
        click.echo(f"error: {entry.error}", err=True)
    reviewed = reviewed_letters(entries)
    for letter, case_file in reviewed.items():
        click.echo(f"note: {letter} is checked through its case file {case_file}, not on its own", err=True)
    listed = [e for e in entries if e.error is None and e.path not in reviewed]
    if not listed:  # nothing to check: the lines above say why; no empty report, no output file
        sys.exit(2)

    outcomes: Iterator[BatchResult] = check_many(listed, checker.library, jobs=jobs)
    if not many:  # one input: its error is the whole answer (one line, exit 2), and no output file is written
        (single,) = outcomes
        if single.error is not None:
            fail(single.error)
        outcomes = iter([single])

    def stream(handle: TextIO) -> None:
        nonlocal failures
        writer.begin(handle)
        for entry in unlisted:
            assert entry.error is not None
            tally.add(entry.error)
            writer.failure(handle, str(entry.path), entry.error)
        with click.progressbar(
            outcomes,
            length=len(listed),
            label="checking",
            file=sys.stderr,
            hidden=not (many and sys.stderr.isatty()),
        ) as progress:
            for outcome in progress:
                if outcome.error is not None:
                    tally.add(outcome.error)
                    failures += 1
                    click.echo(f"error: {outcome.error}", err=True)
                    writer.failure(handle, outcome.path, outcome.error)
                    continue
                assert outcome.check is not None
                tally.add(outcome.check)
                writer.result(handle, outcome.check)
        writer.end(handle, tally.summary())

    if to_stdout(output):
        stream(sys.stdout)
    else:
        write_atomic(output, stream)  # type: ignore[arg-type]
    if failures:
        if many:
            click.echo(f"{failures} file(s) failed", err=True)
        sys.exit(2)
    sys.exit(1 if tally.fails("warning" if fail_on == "warning" else "error") else 0)
