"""pydantic's plugins in the `imr-rules` program (`imr_rules.cli.run`): off unless the environment asks for
them (`PYDANTIC_DISABLE_PLUGINS`, pydantic's own setting), and then without importing `importlib.metadata`;
the output is the same either way. Each run is the real program in a child process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import CASES

CASE = CASES / "001_dbfc6dcde667e7b2.yaml"

# written at exit by the child (an `atexit` handler, so the program leaves through Python's own exit)
REPORT = """
import atexit, json, os, pathlib, sys
def report():
    loader = sys.modules.get("pydantic.plugin._loader")
    pathlib.Path({out!r}).write_text(json.dumps({{
        "metadata": "importlib.metadata" in sys.modules,
        "setting": os.environ.get("PYDANTIC_DISABLE_PLUGINS"),
        "real_loader": getattr(loader, "__file__", None) is not None,
        "plugins": list(loader.get_plugins()) if loader else None,
    }}))
atexit.register(report)
"""


def program(tmp_path: Path, setting: str | None) -> tuple[dict[str, object], bytes]:
    out = tmp_path / f"report-{setting}.json"
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    args = ["evaluate", str(CASE), "--format", "json"]
    code = f"{REPORT.format(out=str(out))}\nfrom imr_rules.cli import run\nsys.argv = ['imr-rules', *{args!r}]\nrun()\n"
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300, env=env)
    assert child.returncode == 0, child.stderr[-500:]
    return json.loads(out.read_text()), child.stdout


def test_plugins_are_off_by_default_without_reading_package_metadata(tmp_path: Path) -> None:
    report, _ = program(tmp_path, None)
    assert report == {"metadata": False, "setting": "__all__", "real_loader": False, "plugins": []}


def test_the_environment_turns_them_on_through_pydantics_own_loader(tmp_path: Path) -> None:
    _, off_output = program(tmp_path, None)
    on, on_output = program(tmp_path, "0")
    assert on["setting"] == "0" and on["real_loader"] is True and on["metadata"] is True
    assert on_output == off_output and off_output.startswith(b"{")


def test_a_setting_that_disables_them_is_kept(tmp_path: Path) -> None:
    report, _ = program(tmp_path, "true")
    assert report == {"metadata": False, "setting": "true", "real_loader": False, "plugins": []}
