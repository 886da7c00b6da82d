"""`imr-rules docs`: the rule library as Markdown checklists."""

from __future__ import annotations

import click

from imr_rules.cli.common import fail, library_folder, reports_errors
from imr_rules.errors import ImrError


@click.command("docs")
@click.argument("root", required=False, type=click.Path(path_type=str))
@click.option("-o", "--output", "out_dir", required=True, help="Folder for the Markdown pages (e.g. docs/rules).")
@reports_errors
def docs(root: str | None, out_dir: str) -> None:
    """Write the rule library as Markdown checklists, one page per rule plus index.md."""
    from imr_rules.authoring.docs import write_docs
    from imr_rules.library.loading import load_rules

    library = load_rules(library_folder(root))
    try:
        result = write_docs(library, out_dir)
    except OSError as exc:
        fail(ImrError(f"cannot write the pages: {exc.strerror or exc}"))
    for path in result.removed:
        click.echo(f"removed {path}")
    click.echo(f"wrote {len(result.written)} pages to {out_dir}")
