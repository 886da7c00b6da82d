"""`imr-rules evaluate`: case files -> a determination per item, explained criterion by criterion."""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import click

from imr_rules.cli import formats
from imr_rules.cli.common import (
    batch_options,
    explain_option,
    fail,
    folder_inputs,
    format_for_output,
    format_option,
    library_folder,
    reports_errors,
    rules_option,
    text_style,
    to_stdout,
    write_output,
)
from imr_rules.errors import InputFileError, location


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@rules_option
@format_option(formats.EVALUATE, help="jsonl: one JSON line per case, streamed (for folders).", from_output=True)
@batch_options
@explain_option
@reports_errors
def evaluate(
    paths: tuple[str, ...],
    rules_dir: str | None,
    fmt: str | None,
    output: str | None,
    jobs: int,
    recursive: bool,
    explain: bool,
) -> None:
    """Evaluate case files (or folders of them): a determination per item, explained criterion by criterion.

    Text shows one line per item (the letter's decision, the engine's, whether they agree, the decisive
    criterion); --explain shows every rule's criteria tree with the facts and their evidence. A folder
    means the case files directly in it; --recursive reads its sub-folders too. A file that
    fails is reported on its own line and the run goes on; the exit code is then 2. Over several files, the
    text view ends with a total on stderr: N cases, M items: X Upheld, Y Overturned, Z Undetermined; K failed.
    """
    fmt = format_for_output(fmt, output, formats.EVALUATE)
    from imr_rules.cache import load_rules
    from imr_rules.output.batch import SUFFIXES, evaluate_many, write_atomic

    library = load_rules(library_folder(rules_dir))
    entries = folder_inputs(paths, SUFFIXES, recursive)
    for folder in (Path(p) for p in paths if Path(p).is_dir()):
        if not any(e.path == folder or folder in e.path.parents for e in entries):
            fail(
                InputFileError(f"no case files (*.yaml, *.yml) in this folder{_letters_hint(folder)}", location(folder))
            )
        letters = _letters_in(folder)
        if letters:  # a folder mixing letters and case files: say the letters are not what evaluate reads
            click.echo(
                f"note: {folder}: {letters} letter{'s' if letters > 1 else ''} (.txt, .pdf) not evaluated: "
                f"`imr-rules check {folder}` checks letters, `imr-rules extract` makes case files",
                err=True,
            )
    many = len(entries) > 1 or any(Path(p).is_dir() for p in paths)
    width, color = text_style(output)
    run = formats.Run(many=many, explain=explain, width=width, color=color)
    writer = formats.EVALUATE[fmt](run)
    if not many:
        # one case: errors are the whole answer, output is one document
        (result,) = evaluate_many(entries, library)
        if result.error is not None:
            fail(result.error)
        assert result.evaluation is not None
        write_output(formats.render_one(writer, result.evaluation), output)
        return

    failures = 0
    outcomes: Counter[str] = Counter()  # the items' outcomes over the run, for the total line
    cases = 0

    def stream(handle: TextIO) -> None:
        nonlocal failures, cases
        writer.begin(handle)
        from imr_rules.cli.rendering import FormatRendering

        results = evaluate_many(entries, library, jobs=jobs, render=FormatRendering(fmt, run=run))
        with (
            contextlib.closing(results),
            click.progressbar(
                results, length=len(entries), label="evaluating", file=sys.stderr, hidden=not sys.stderr.isatty()
            ) as progress,
        ):
            for result in progress:
                if result.error is not None:
                    failures += 1
                    click.echo(f"error: {result.error}", err=True)
                    writer.failure(handle, result.path, result.error)
                    continue
                assert result.text is not None  # rendered by the worker (FormatRendering)
                writer.rendered(handle, result.text)
                cases += 1
                outcomes.update(result.outcomes)
        writer.end(handle, None)

    if to_stdout(output):
        stream(sys.stdout)
    else:
        write_atomic(output, stream)  # type: ignore[arg-type]
    if fmt == "text":
        click.echo(total_line(cases, outcomes, failures), err=True)
    if failures:
        click.echo(f"{failures} of {len(entries)} file(s) failed", err=True)
        sys.exit(2)


def total_line(cases: int, outcomes: Mapping[str, int], failed: int) -> str:
    """The text view's last line over many case files (on stderr, so machine formats' bytes never change):
    `N cases, M items: X Upheld, Y Overturned, Z Undetermined; K failed`, where N counts the case files
    evaluated, M their items and K the files that failed (their items are not counted)."""
    counts = ", ".join(f"{outcomes.get(name, 0)} {name}" for name in ("Upheld", "Overturned", "Undetermined"))
    items = sum(outcomes.values())
    return (
        f"{cases} case{'' if cases == 1 else 's'}, {items} item{'' if items == 1 else 's'}: {counts}; {failed} failed"
    )


def _letters_in(folder: Path) -> int:
    """How many letters (.txt, .pdf files) a folder holds directly (0 when it cannot be listed)."""
    try:
        return sum(1 for p in folder.iterdir() if p.suffix.lower() in (".txt", ".pdf") and p.is_file())
    except OSError:
        return 0


def _letters_hint(folder: Path) -> str:
    """A hint when a folder given to `evaluate` holds letters rather than case files."""
    if not _letters_in(folder):
        return ""
    return "; it holds letters: `imr-rules check` checks them, `imr-rules extract` makes case files"
