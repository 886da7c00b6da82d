"""`imr-rules serve`: the web page and JSON API on this computer (the `serve` extra)."""

from __future__ import annotations

import contextlib
import sys

import click

from imr_rules.cli.common import library_folder, reports_errors, rules_option


@click.command()
@rules_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback: this computer).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: any free port.")
@click.option("--max-upload-mb", default=10.0, show_default=True, type=click.FloatRange(0.01, 200), help="Per request.")
@reports_errors
def serve(rules_dir: str | None, host: str, port: int, max_upload_mb: float) -> None:
    """Start the web page (and JSON API) on this computer and print its address; Ctrl-C stops it."""
    try:
        from imr_rules.serve import Settings
        from imr_rules.serve import serve as run
    except ImportError as exc:
        click.echo(
            f"error: the web application needs the serve extra: pip install 'imr-rules[serve]' ({exc})", err=True
        )
        sys.exit(2)
    settings = Settings(
        rules_dir=library_folder(rules_dir), host=host, max_upload_bytes=int(max_upload_mb * 1024 * 1024)
    )
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn handles Ctrl-C itself
        run(settings, port)
