"""Uploaded files in, checks and evaluations out: the part of the web application that is not HTTP.

Uploads are written to a private temporary folder (mode 0700, under `tmp_root` or the system's), read
with the same library functions the CLI uses on a path (`check.check_path`, `extract.extract`,
`casefile.load_case`), so whatever the CLI can read (a PDF letter once the reader supports it) the page
reads too. Nothing is executed; the folder is deleted before the answer is sent. File names are reduced
to a safe base name; error messages name the file as the person uploaded it, never the temporary path.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from imr_rules.checking.consistency import Checker, check_path
from imr_rules.engine.certify import what_would_certify
from imr_rules.errors import ImrError
from imr_rules.models import Evaluation, LetterCheck
from imr_rules.models.certify import Certification
from imr_rules.reading.casefile import LoadedCase, dump_case, load_case
from imr_rules.reading.extract import extract
from imr_rules.sources import CASE_SUFFIXES, LETTER_SUFFIXES, read_text

SUFFIXES = LETTER_SUFFIXES + CASE_SUFFIXES


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the browser sent and its bytes (already size-limited)."""

    name: str
    data: bytes


@dataclass
class UploadError:
    """A file that could not be read: its name and one line saying what is wrong."""

    file: str
    error: str


@dataclass
class LetterResult:
    """One letter (or case file) checked, with what the page and the API show beside the check."""

    file: str
    kind: str  # "letter" or "case"
    check: LetterCheck
    text: str | None  # the letter's text as read, for highlighting evidence (None when not available)
    case_yaml: str  # the case file: extracted from the letter, or the uploaded case as it was
    certify: dict[str, Certification] = field(default_factory=dict)  # item -> what would certify it


@dataclass
class EvaluateResult:
    file: str
    evaluation: Evaluation


def safe_name(name: str) -> str:
    """A base name with only letters, digits, dot, dash, underscore and space (no folders, no dot first)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .") or "upload"
    return base[:120]


@contextmanager
def private_folder(tmp_root: str | Path | None) -> Iterator[Path]:
    """A new folder only this user can read, removed with everything in it on exit."""
    folder = Path(tempfile.mkdtemp(prefix="imr-serve-", dir=tmp_root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _message(exc: ImrError, folder: Path) -> str:
    """The error's one line with the temporary folder taken out of every path it names."""
    return str(exc).replace(f"{folder}/", "").replace(str(folder), "")


def _write(uploads: list[Upload], folder: Path) -> tuple[list[tuple[str, Path]], list[UploadError]]:
    written: list[tuple[str, Path]] = []
    errors: list[UploadError] = []
    taken: set[str] = set()
    for upload in uploads:
        name = safe_name(upload.name)
        if Path(name).suffix.lower() not in SUFFIXES:
            errors.append(UploadError(name, "unsupported file type (expected a letter .txt or .pdf, or a case .yaml)"))
            continue
        unique, n = name, 1
        while unique.lower() in taken:
            n += 1
            unique = f"{Path(name).stem}-{n}{Path(name).suffix}"
        taken.add(unique.lower())
        path = folder / unique
        path.write_bytes(upload.data)
        written.append((unique, path))
    return written, errors


def _place_case(
    loaded: LoadedCase, name: str, letters: dict[str, Path], folder: Path, n: int
) -> tuple[Path, Path | None]:
    """A copy of an uploaded case whose `letter:` points inside the private folder only: to the uploaded
    letter of the same base name if there is one (its copy is returned), else to a file that does not exist (the
    letter checks are then skipped). A case file never makes the server read a file of its own."""
    assert loaded.doc is not None
    data = dict(loaded.doc.data)
    given = str(data.get("letter") or "")
    base = PurePosixPath(given.replace("\\", "/")).name
    here = folder / "cases" / str(n)
    here.mkdir(parents=True, mode=0o700)
    letter = letters.get(base.lower()) if base else None
    copy = None
    if letter is not None:
        copy = here / base
        copy.write_bytes(letter.read_bytes())
    if given:
        data["letter"] = str(here / (base or "letter"))
    case = here / name
    case.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return case, copy


def check_uploads(
    uploads: list[Upload], checker: Checker, tmp_root: str | Path | None = None
) -> tuple[list[LetterResult], list[UploadError]]:
    """Check each uploaded letter or case file. A case file uploaded with the letter it names is checked
    against that letter (and the letter is not checked a second time on its own)."""
    results: list[LetterResult] = []
    with private_folder(tmp_root) as folder:
        written, errors = _write(uploads, folder)
        letters = {name.lower(): path for name, path in written if path.suffix.lower() in LETTER_SUFFIXES}
        jobs: list[tuple[str, Path, str, Path, Path | None]] = []  # name, path checked, kind, upload, letter
        paired: set[str] = set()
        for name, path in written:
            if path.suffix.lower() not in CASE_SUFFIXES:
                continue
            try:
                loaded = load_case(path, checker.library)
            except ImrError as exc:
                errors.append(UploadError(name, _message(exc, folder)))
                continue
            placed, found = _place_case(loaded, name, letters, folder, len(jobs))
            if found is not None:
                paired.add(PurePosixPath(str(loaded.case.letter).replace("\\", "/")).name.lower())
            jobs.append((name, placed, "case", path, found))
        for name, path in written:
            if path.suffix.lower() in LETTER_SUFFIXES and name.lower() not in paired:
                jobs.append((name, path, "letter", path, path))
        order = {name: n for n, (name, _) in enumerate(written)}
        for name, path, kind, upload, letter in sorted(jobs, key=lambda job: order[job[0]]):
            try:
                results.append(_check_one(name, path, kind, upload, letter, checker, folder))
            except ImrError as exc:
                errors.append(UploadError(name, _message(exc, folder)))
    return results, errors


def _check_one(
    name: str, path: Path, kind: str, upload: Path, letter: Path | None, checker: Checker, folder: Path
) -> LetterResult:
    result = _scrub(check_path(path, checker), folder).model_copy(update={"source": name})
    text: str | None = None
    if kind == "letter":
        data = extract(path, checker.library, checker.patterns)
        data = data.model_copy(update={"letter": name})  # the downloaded case file finds the letter beside it
        case_yaml = dump_case(data)
    else:
        case_yaml = upload.read_text(encoding="utf-8-sig", errors="replace")
    if letter is not None and result.summary is not None:
        try:
            text = _letter_text(letter)
        except ImrError:
            text = None  # a letter this version cannot read as text: evidence is shown quoted, not in place
    certify = {}
    for item in result.items:
        found = what_would_certify(item.determination, checker.library)
        if found is not None and found.changes:
            certify[item.item] = found
    return LetterResult(file=name, kind=kind, check=result, text=text, case_yaml=case_yaml, certify=certify)


def _letter_text(path: Path) -> str:
    """The letter's text as the checker read it (evidence offsets point into it). A library that reads PDFs
    (`sources.read_letter_source`) gives their text too; otherwise a text file is read as `check` reads it."""
    from imr_rules import sources

    reader = getattr(sources, "read_letter_source", None)
    if reader is not None:
        return str(reader(path).text)
    return read_text(path)


def _scrub(result: LetterCheck, folder: Path) -> LetterCheck:
    """The check with the private folder taken out of every message and path it quotes."""
    text = result.model_dump_json()
    for prefix in (f"{folder}/", str(folder)):
        text = text.replace(json.dumps(prefix)[1:-1], "")
    return LetterCheck.model_validate_json(text)


def evaluate_uploads(
    uploads: list[Upload], checker: Checker, tmp_root: str | Path | None = None
) -> tuple[list[EvaluateResult], list[UploadError]]:
    """Evaluate each uploaded case file (a letter is read into a case first, as `extract` would)."""
    from imr_rules.engine.evaluation import evaluate
    from imr_rules.reading.casefile import case_from_data

    results: list[EvaluateResult] = []
    with private_folder(tmp_root) as folder:
        written, errors = _write(uploads, folder)
        for name, path in written:
            try:
                if path.suffix.lower() in CASE_SUFFIXES:
                    loaded = load_case(path, checker.library)
                else:
                    data = extract(path, checker.library, checker.patterns)
                    # the letter as uploaded, not its private temporary copy (which differs per request
                    # and would make the case's digest differ for the same letter)
                    data = data.model_copy(update={"letter": name})
                    loaded = case_from_data(data, checker.library, name)
                evaluation = evaluate(loaded, checker.library)
            except ImrError as exc:
                errors.append(UploadError(name, _message(exc, folder)))
                continue
            results.append(EvaluateResult(name, evaluation.model_copy(update={"source": name})))
    return results, errors


def letter_json(result: LetterResult) -> dict[str, Any]:
    """One checked letter for the API: `report.check_json`, what would certify each Upheld item, the case."""
    from imr_rules.output.report import check_json

    return {
        "file": result.file,
        "kind": result.kind,
        **check_json(result.check),
        "severity": result.check.severity,
        "certify": {item: c.model_dump(mode="json") for item, c in result.certify.items()},
        "case_file": result.case_yaml,
    }
