"""How the `imr-rules` program ends (`imr_rules.cli.run`): after a clean run it leaves with `os._exit`
(no interpreter teardown), and only then; the output, the exit code and anything the interpreter's own exit
would still have run are exactly as before. Each run is the real program in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from imr_rules.cli import main

from .conftest import CASES

CASE = CASES / "001_dbfc6dcde667e7b2.yaml"
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def program(*args: str, prelude: str = "") -> subprocess.CompletedProcess[bytes]:
    """`imr-rules ARGS` through `run`, after `prelude` (Python run first in the same process)."""
    code = f"import sys\n{prelude}\nfrom imr_rules.cli import run\nsys.argv = ['imr-rules', *{list(args)!r}]\nrun()\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300, env=ENV)


def test_same_bytes_and_exit_code_as_the_command_run_in_process() -> None:
    for args, code in (
        (["evaluate", str(CASE), "--format", "json"], 0),
        (["evaluate", str(CASE)], 0),
        (["evaluate", "does-not-exist.yaml"], 2),
        (["evaluate", "--format", "nope", str(CASE)], 2),  # click's usage error
        (["--version"], 0),
    ):
        child = program(*args)
        here = CliRunner().invoke(main, args, prog_name="imr-rules")
        assert child.returncode == here.exit_code == code, (args, child.stderr[-500:])
        assert child.stdout == here.stdout_bytes, args
        assert child.stderr == (here.stderr_bytes or b""), args


def test_exit_handlers_still_run(tmp_path: Path) -> None:
    """A registered `atexit` handler (here one writing a file) means Python's own exit, which runs it."""
    marker = tmp_path / "ran"
    prelude = f"import atexit, pathlib\natexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')"
    child = program("evaluate", str(CASE), "--format", "json", prelude=prelude)
    assert child.returncode == 0, child.stderr[-500:]
    assert marker.read_text() == "yes"
    assert child.stdout.startswith(b"{")


def test_other_threads_are_waited_for(tmp_path: Path) -> None:
    """A thread still running at the end (not a daemon) is joined by Python's exit, as before."""
    marker = tmp_path / "thread"
    prelude = (
        "import threading, time, pathlib\n"
        f"def late():\n    time.sleep(0.5)\n    pathlib.Path({str(marker)!r}).write_text('done')\n"
        "threading.Thread(target=late).start()"
    )
    child = program("evaluate", str(CASE), prelude=prelude)
    assert child.returncode == 0, child.stderr[-500:]
    assert marker.read_text() == "done"


def test_buffered_output_is_written_whole(tmp_path: Path) -> None:
    """Output larger than any pipe or file buffer, sent to a file: every byte is there."""
    out = tmp_path / "out.json"
    folder = tmp_path / "cases"
    folder.mkdir()
    for n in range(60):
        (folder / f"{n:03d}.yaml").write_bytes(CASE.read_bytes())
    with out.open("wb") as handle:
        child = subprocess.run(
            [sys.executable, "-m", "imr_rules.cli", "evaluate", str(folder), "--format", "jsonl"],
            stdout=handle,
            stderr=subprocess.PIPE,
            timeout=300,
            env=ENV,
        )
    assert child.returncode == 0, child.stderr[-500:]
    here = CliRunner().invoke(main, ["evaluate", str(folder), "--format", "jsonl"])
    assert out.read_bytes() == here.stdout_bytes
    assert len(here.stdout_bytes) > 256 * 1024
