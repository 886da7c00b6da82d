"""`imr-rules schema`: the JSON Schema of a kind of file, generated from the models."""

from __future__ import annotations

import click

from imr_rules.cli.common import library_folder, output_option, reports_errors, rules_option, write_output
from imr_rules.models import FILE_KINDS as KINDS  # the lazy models package: no pydantic import for --help


@click.command("schema")
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--vocabulary",
    is_flag=True,
    help="Add the library's fact names and service ids as enums, for completion (library from --rules).",
)
@rules_option
@output_option()
@reports_errors
def schema(kind: str, vocabulary: bool, rules_dir: str | None, output: str | None) -> None:
    """Print the JSON Schema of a kind of file (rules, case, facts, services), generated from the models."""
    from imr_rules.library.loading import load_rules
    from imr_rules.library.schema import render

    write_output(render(kind, load_rules(library_folder(rules_dir)) if vocabulary else None), output)
