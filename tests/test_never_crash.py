"""Never crash, never lie (issue 16, kinds 3 to 7): YAML 1.1 numbers, output files, signals, encodings and
wrong inputs, each through the real CLI in a child process (a crash, a traceback or a signal death is the
symptom): one line `error: ...` naming the file, exit code 2, nothing left behind.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from imr_rules import ImrError, load_rules
from imr_rules.authoring.lint import lint
from imr_rules.reading.casefile import load_case

from .conftest import CASES, RULES, SHARED

CASE = CASES / "004_c1b1e726fca0fa4f.yaml"
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "imr_rules.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env or ENV,
        cwd=cwd,
        errors="replace",
    )


def one_line_error(run: subprocess.CompletedProcess[str], *parts: str) -> str:
    assert run.returncode == 2, (run.returncode, run.stderr[-800:])
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr[-800:]
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


def physical_therapy_case(tmp_path: Path, visits: str) -> Path:
    path = tmp_path / "pt.yaml"
    path.write_text(
        "case: pt\nitems:\n  - item: Physical therapy\n    service: physical_therapy\n    facts:\n"
        f"      requested_visits: {visits}\n"
    )
    return path


# -- kind 3: YAML 1.1 numbers -----------------------------------------------------------------------------
@pytest.mark.parametrize("written", ["012", "1:30", "0x0c", "1_2", "0b1100", "00"])
def test_a_yaml_1_1_number_is_refused_with_its_line(tmp_path: Path, written: str) -> None:
    """`012` read as 10 (octal) and `1:30` as 90 (sexagesimal) flipped determinations silently."""
    path = physical_therapy_case(tmp_path, written)
    library = load_rules(RULES)
    with pytest.raises(ImrError) as info:
        load_case(path, library)
    assert str(info.value).startswith(f"{path}:6:25: ambiguous number")
    one_line_error(cli("evaluate", str(path)), f"{path}:6:25", "ambiguous number")


def test_plain_numbers_and_quoted_text_still_read(tmp_path: Path) -> None:
    library = load_rules(RULES)
    assert load_case(physical_therapy_case(tmp_path, "12"), library).case.items[0].facts["requested_visits"].value == 12
    with pytest.raises(ImrError, match="expected a whole number"):
        load_case(physical_therapy_case(tmp_path, '"012"'), library)


# -- kind 4: output files ---------------------------------------------------------------------------------
def _places(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("x")
    places = {
        "missing folder": (tmp_path / "nowhere" / "out.txt", "does not exist"),
        "onto a folder": (tmp_path / "folder", "is a folder"),
        "under a file": (tmp_path / "file.txt" / "out.txt", "is a file, not a folder"),
    }
    if Path("/proc/self").is_dir():
        places["read-only place"] = (Path("/proc/imr-out.txt"), "cannot write here")
    return places


@pytest.mark.parametrize("place", ["missing folder", "onto a folder", "under a file", "read-only place"])
@pytest.mark.parametrize("command", ["evaluate", "check"])
def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(tmp_path: Path, place: str, command: str) -> None:
    places = _places(tmp_path)
    if place not in places:
        pytest.skip("no /proc to stand for a read-only place")
    target, message = places[place]
    one_line_error(cli(command, str(CASE), "-o", str(target)), str(target), message)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_a_read_only_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        one_line_error(cli("evaluate", str(CASE), "-o", str(folder / "out.txt")), "permission denied")
    finally:
        folder.chmod(0o755)


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    run = cli("evaluate", str(CASE), "-o", str(link))
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("Case 004_c1b1e726fca0fa4f")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_special_file_is_written_to_never_replaced(tmp_path: Path) -> None:
    """A device or pipe given to -o (`/dev/null`) was replaced by a regular file. Tested on a named pipe of
    the test's own: run against a regression, a test on /dev/null itself would break the machine's."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    run = cli("evaluate", str(CASE), "-o", str(fifo))
    if reader.is_alive():  # the CLI never opened the pipe: open it so the reader ends
        with open(fifo, "wb"):
            pass
    reader.join(timeout=30)
    assert run.returncode == 0, run.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].startswith(b"Case 004_c1b1e726fca0fa4f")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


# -- kind 5: signals --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    sources = sorted(CASES.glob("*.yaml"))
    for k in range(600):
        (folder / f"case{k:04}.yaml").write_text(sources[k % len(sources)].read_text())
    return folder


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_signal_during_a_folder_run_cleans_up_and_stops_the_workers(
    tmp_path: Path, corpus: Path, sig: signal.Signals, jobs: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # `-o -` keeps the output on the pipe, which the workers once held open after the parent was gone
    for target in (str(out / "result.jsonl"), "-"):
        command = ["evaluate", str(corpus), "--jobs", jobs, "--format", "jsonl", "-o", target]
        process = subprocess.Popen(
            [sys.executable, "-m", "imr_rules.cli", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=ENV,
        )
        assert process.stdout is not None and process.stderr is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(p.name.endswith(".tmp") for p in out.iterdir()) and target != "-":
            time.sleep(0.05)
        if target == "-":
            process.stdout.readline()  # the run has started writing
        time.sleep(0.5)
        process.send_signal(sig)
        start = time.monotonic()
        process.stdout.read()  # EOF only once no process holds the pipe any more
        assert time.monotonic() - start < 10, "something still held the output pipe"
        process.wait(timeout=30)
        err = process.stderr.read().decode()
        assert process.returncode == 128 + sig, err[-500:]
        assert "Traceback" not in err
        assert f"stopped by {sig.name}" in err
        assert list(out.iterdir()) == []  # no .tmp left, no partial result


# -- kind 6: encodings ------------------------------------------------------------------------------------
def test_a_non_utf8_standard_output_escapes_what_it_cannot_encode(tmp_path: Path) -> None:
    data = yaml.safe_load(CASE.read_text())
    data.pop("expect", None)
    data["items"][0]["item"] = "Lumbar MRI \u2265 3 views"
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for fmt in ("text", "json"):
        run = cli("evaluate", str(path), "--format", fmt, env={**os.environ, "PYTHONIOENCODING": "cp1252"})
        assert run.returncode == 0, run.stderr[-800:]
        assert "Traceback" not in run.stderr
        assert "Lumbar MRI" in run.stdout


# -- kind 7: wrong inputs, quiet answers ------------------------------------------------------------------
def test_evaluate_on_a_folder_of_letters_or_an_empty_folder_says_so(tmp_path: Path) -> None:
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "a.txt").write_text("Independent Medical Review\nDecision: Upheld\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    one_line_error(cli("evaluate", str(letters)), str(letters), "no case files", "imr-rules check")
    one_line_error(cli("evaluate", str(empty)), str(empty), "no case files")


def test_evaluate_on_a_letter_suggests_extract_and_check(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("Clinical case summary: The patient is a 40-year-old.\nDecision: Upheld: not necessary\n")
    one_line_error(cli("evaluate", str(letter)), str(letter), "imr-rules extract", "imr-rules check")


def test_extract_on_a_folder_is_one_line(tmp_path: Path) -> None:
    one_line_error(cli("extract", str(tmp_path)), str(tmp_path), "is a folder")


def test_lint_of_a_sub_folder_or_one_rule_file_lints_it_within_its_library() -> None:
    sub = RULES / "low-back"
    files = sorted(sub.glob("*.yaml"))
    assert files
    for target in (sub, files[0]):
        run = cli("lint", str(target))
        assert run.returncode == 0, run.stdout[-800:] + run.stderr[-800:]
        assert "Traceback" not in run.stderr
        assert all(str(sub) in line for line in run.stdout.splitlines()[:-1])
    every = {str(f) for f in lint(RULES)}
    assert {str(f) for f in lint(sub)} <= every


def test_lint_survives_symlink_loops(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    root.mkdir()
    for name in ("facts.yaml", "services.yaml"):
        (root / name).write_text((RULES / name).read_text())
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)
    (root / "self.yaml").symlink_to(root / "self.yaml")
    run = cli("lint", str(root))
    assert "Traceback" not in run.stderr, run.stderr[-800:]
    assert run.returncode == 1
    assert f"{root / 'self.yaml'}: E100 cannot read file" in run.stdout


def test_a_quoted_yes_is_not_a_boolean(tmp_path: Path) -> None:
    data = yaml.safe_load(CASE.read_text())
    data["extracted"] = "yes"
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data))
    line = one_line_error(cli("evaluate", str(path)), str(path))
    assert "extracted" in line and "boolean" in line


@pytest.mark.skipif(not (SHARED / "letters").is_dir(), reason="../shared/letters is not beside the project")
def test_evaluate_on_a_seed_letter_suggests_extract() -> None:
    letter = sorted((SHARED / "letters").glob("*.txt"))[0]
    one_line_error(cli("evaluate", str(letter)), "imr-rules extract")
