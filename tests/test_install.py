"""Installing: the wheel carries the rule library and the engine, and every command works from any folder.

The wheel test builds a real wheel (compiling the vendored durable-rules C engine under gcc 14's default
errors), installs it into a fresh virtual environment outside the checkout, and runs the installed
`imr-rules` from an empty folder. It takes about 20 s, most of it the C compile.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

from imr_rules.cli import main
from imr_rules.library.loading import bundled_root

from .conftest import ROOT, SHARED

ENGINE = ROOT / "vendor" / "durable-rules-2.0.28"
SEED_LETTER = SHARED / "letters" / "001_dbfc6dcde667e7b2.txt"
# The errors gcc 14 turns on by default; durable-rules 2.0.28 as published fails the first on Python 3.13.
STRICT_CFLAGS = "-Werror=implicit-function-declaration -Werror=int-conversion -Werror=incompatible-pointer-types"


def test_vendored_engine_sources_are_the_published_ones() -> None:
    listed = [line.split(maxsplit=1) for line in (ENGINE / "SHA256SUMS").read_text().splitlines()]
    assert len(listed) == 12  # LICENSE, the ten engine files, the CPython binding
    for digest, name in listed:
        assert hashlib.sha256((ENGINE / name).read_bytes()).hexdigest() == digest, f"{name} differs from 2.0.28"


def test_the_engine_is_the_projects_own_build() -> None:
    from imr_rules.engine.runtime import _durable

    module = _durable()
    assert Path(module.__file__).parent == ROOT / "imr_rules"
    assert module.__name__ == "imr_rules.durable_rules_engine"


def test_a_checkout_reads_its_own_working_tree() -> None:
    """An editable install must show rule authors their edits: no package-data copy in the way."""
    assert bundled_root() == ROOT
    result = CliRunner().invoke(main, ["rules", "path"], env={"IMR_RULES_DIR": ""})
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(ROOT / "rules")


def test_rules_path_follows_the_selected_library_and_reports_a_missing_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["rules", "path"], env={"IMR_RULES_DIR": str(tmp_path)})
    assert result.output.strip() == str(tmp_path.resolve())
    result = CliRunner().invoke(main, ["rules", "path", "--rules", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "nowhere: rule library folder not found" in result.output


def _build_wheel(out: Path) -> Path:
    try:
        import setuptools
    except ImportError:
        pytest.skip("setuptools is not installed (pip install -e '.[dev]' brings it)")
    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.skip(f"setuptools {setuptools.__version__} is older than the 77 pyproject.toml needs")
    if shutil.which((sysconfig.get_config_var("CC") or "cc").split()[0]) is None:
        pytest.skip("no C compiler: the wheel compiles durable-rules' engine")
    env = {**os.environ, "CFLAGS": STRICT_CFLAGS}
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    (wheel,) = out.glob("imr_rules-*.whl")
    return wheel


def _fresh_environment(wheel: Path, venv: Path) -> Path:
    """A new venv holding only the wheel; its dependencies come from this environment's site-packages
    (a .pth after the venv's own, so imr_rules itself is the wheel's, never the checkout's)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    purelib = Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    here = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (purelib / "zz_dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(here)))
    return venv / "bin" / "imr-rules"


def test_the_wheel_carries_the_library_and_runs_from_any_folder(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path / "dist")
    command = _fresh_environment(wheel, tmp_path / "venv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("IMR_RULES_DIR", "PYTHONPATH", "VIRTUAL_ENV")}

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(command), *args], cwd=elsewhere, env={**env, **extra}, capture_output=True, text=True, check=False
        )

    path = run("rules", "path")
    assert path.returncode == 0, path.stderr
    bundled = Path(path.stdout.strip())
    assert bundled.is_relative_to(tmp_path / "venv") and bundled.name == "rules"
    assert (bundled / "extraction" / "facts.yaml").is_file()
    assert sorted(p.relative_to(bundled) for p in bundled.rglob("*.yaml")) == sorted(
        p.relative_to(ROOT / "rules") for p in (ROOT / "rules").rglob("*.yaml")
    )

    tested = run("test")
    here = CliRunner().invoke(main, ["test"], env={"IMR_RULES_DIR": ""})
    assert tested.returncode == here.exit_code, tested.stdout[-2000:] + tested.stderr
    last = tested.stdout.strip().splitlines()[-1]
    assert last == here.output.strip().splitlines()[-1]  # the bundled cases and rule tests, as in the checkout
    assert int(last.split()[0]) >= len(list((ROOT / "tests" / "cases").rglob("*.yaml")))

    evaluated = run("evaluate", str(bundled.parent / "cases" / "001_dbfc6dcde667e7b2.yaml"), "--format", "json")
    assert evaluated.returncode == 0, evaluated.stderr
    assert '"outcome"' in evaluated.stdout

    # Another library still wins over the bundled one: by --rules and by $IMR_RULES_DIR.
    mine = tmp_path / "my-rules"
    shutil.copytree(bundled, mine)
    assert run("rules", "path", "--rules", str(mine)).stdout.strip() == str(mine.resolve())
    assert run("rules", "path", IMR_RULES_DIR=str(mine)).stdout.strip() == str(mine.resolve())
    (mine / "facts.yaml").write_text("facts: [\n")
    broken = run("rules", "list", IMR_RULES_DIR=str(mine))
    assert broken.returncode == 2 and broken.stderr.startswith(f"error: {mine / 'facts.yaml'}:")

    if SEED_LETTER.is_file():
        checked = run("check", str(SEED_LETTER))
        here = CliRunner().invoke(main, ["check", str(SEED_LETTER)], env={"IMR_RULES_DIR": ""})
        assert checked.returncode in (0, 1), checked.stderr  # 1: an inconsistency found, a result like 0
        assert "001_dbfc6dcde667e7b2" in checked.stdout
        assert (checked.returncode, checked.stdout) == (here.exit_code, here.output)  # the same as the checkout
