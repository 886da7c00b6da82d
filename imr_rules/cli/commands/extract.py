"""`imr-rules extract`: one letter -> a case file, every fact with the sentence it came from."""

from __future__ import annotations

import os
from pathlib import Path

import click

from imr_rules.cli.common import (
    fail,
    format_for_output,
    format_option,
    library_folder,
    output_option,
    reports_errors,
    rules_option,
    to_stdout,
    write_output,
)
from imr_rules.errors import InputFileError, location

CASE_FORMATS = ("yaml", "json")


@click.command()
@click.argument("letter_file", type=click.Path(allow_dash=True, path_type=str))
@rules_option
@format_option(CASE_FORMATS, default="yaml", from_output=True)
@output_option("the case")
@reports_errors
def extract(letter_file: str, rules_dir: str | None, fmt: str | None, output: str | None) -> None:
    """Read a determination letter (text or PDF; "-" reads standard input) into a case file, every fact
    with the sentence it came from."""
    fmt = format_for_output(fmt, output, CASE_FORMATS, default="yaml")
    import json

    from imr_rules.cache import load_patterns, load_rules
    from imr_rules.reading.casefile import case_from_data, dump_case
    from imr_rules.reading.extract import extract as extract_letter

    if Path(letter_file).is_dir():
        fail(
            InputFileError(
                "is a folder: extract reads one letter (`imr-rules check FOLDER` checks many)", location(letter_file)
            )
        )
    library = load_rules(library_folder(rules_dir))
    data = extract_letter(letter_file, library, load_patterns(library.root))
    loaded = case_from_data(data, library, letter_file)  # what `evaluate` will accept, checked now
    if not to_stdout(output) and letter_file != "-":
        assert output is not None
        # relative to the case file, so `check case.yaml` finds the letter from any working directory
        relative = os.path.relpath(os.path.abspath(letter_file), os.path.dirname(os.path.abspath(output)))
        data = data.model_copy(update={"letter": relative})
        loaded = case_from_data(data, library, letter_file)
    if fmt == "json":
        text = json.dumps(loaded.case.model_dump(mode="json", exclude_defaults=True), indent=2) + "\n"
    else:
        text = dump_case(data)
    write_output(text, output)
