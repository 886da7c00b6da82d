"""`imr-rules lint`: every problem in a rule library, as text, JSON or SARIF."""

from __future__ import annotations

import sys

import click

from imr_rules.cli import formats
from imr_rules.cli.common import format_option, library_folder, output_option, reports_errors, write_output


@click.command("lint")
@click.argument("root", required=False, type=click.Path(path_type=str))
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--info", "show_info", is_flag=True, help="Also show information findings (I codes).")
@click.option("--list-checks", is_flag=True, help="List every check with its code and exit.")
@format_option(formats.LINT, help="sarif: SARIF 2.1.0 for code-scanning tools and editors.")
@output_option("the findings")
@reports_errors
def lint(root: str | None, strict: bool, show_info: bool, list_checks: bool, fmt: str, output: str | None) -> None:
    """Check a rule library and report every problem, as path:line:col: CODE message.

    Exit 1 if an error is found (with --strict, a warning too), 2 if ROOT is not a rule library folder.
    Silence one finding with a comment on its line: # imr-lint: disable=W202
    """
    from imr_rules.authoring.lint import CHECKS, exit_code, summary
    from imr_rules.authoring.lint import lint as lint_library

    if list_checks:
        for check in CHECKS:
            click.echo(f"{check.code} {check.name} ({check.severity}): {check.description}")
        return
    findings = lint_library(library_folder(root))
    shown = [f for f in findings if show_info or f.severity != "info"]
    write_output(formats.LINT[fmt](shown, list(CHECKS)), output)
    hidden = len(findings) - len(shown)
    click.echo(summary(shown) + (f" ({hidden} info hidden, see --info)" if hidden else ""), err=True)
    sys.exit(exit_code(findings, strict))
