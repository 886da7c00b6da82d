"""Load a case file and check it against the rule library's vocabularies.

Cases may use only declared facts with values of the declared type, and only declared services;
each problem is reported with the file, line and (for a misspelling) the closest declared name.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from imr_rules.errors import CaseError, FactTypeError, ImrError, UnknownFactError, location
from imr_rules.library.loading import RuleLibrary, closest, value_error
from imr_rules.models import Case
from imr_rules.models.extracted import ExtractedLetter
from imr_rules.sources import (
    CASE_SUFFIXES,
    LETTER_SUFFIXES,
    YamlDocument,
    number_error,
    parse_json,
    parse_yaml,
    read_text,
    schema_errors,
)


@dataclass(frozen=True)
class LoadedCase:
    """A validated case, where it came from, and the digest of its exact bytes."""

    case: Case
    path: str | None
    digest: str
    doc: YamlDocument | None = None


def load_case(path: str | Path, library: RuleLibrary) -> LoadedCase:
    """Read, validate and check a case file; raises the first problem as an ImrError."""
    loaded, problems = check_case_file(path, library)
    if problems:
        raise problems[0]
    assert loaded is not None
    return loaded


def parse_case_text(text: str, path: str | Path) -> YamlDocument:
    """A case file's text parsed (JSON for .json, else YAML), not yet validated. Raises ImrError (bad syntax)."""
    return parse_json(text, path) if Path(path).suffix.lower() == ".json" else parse_yaml(text, path)


def check_case_file(path: str | Path, library: RuleLibrary) -> tuple[LoadedCase | None, list[ImrError]]:
    """Every problem of a case file, not only the first."""
    text = read_text(path)
    try:
        doc = parse_case_text(text, path)
        case, errors = schema_errors(doc, Case, "case")
    except ImrError as exc:
        raise _not_a_case(path, exc) from None
    if case is None:
        return None, [_not_a_case(path, errors[0]), *errors[1:]]
    problems = [_hinted(p, doc) for p in check_case(case, library, doc)]
    digest = hashlib.sha256(text.encode()).hexdigest()
    return LoadedCase(case, location(path).path, digest, doc), problems  # "-" is named "<stdin>"


def _hinted(problem: ImrError, doc: YamlDocument) -> ImrError:
    """The problem, saying the file looks cut off when it is at the last line of a file with no newline
    (an unknown service 'mri_lum' where the file stops)."""
    hint = doc.cut_off_hint(problem.location.line) if problem.location is not None and problem.location.line else ""
    if not hint:
        return problem
    hinted = copy.copy(problem)
    hinted.message = problem.message + hint
    hinted.args = (hinted.message,)
    return hinted


def _not_a_case(path: str | Path, problem: ImrError) -> ImrError:
    """A file not named as a case file that does not read as one (a letter, say): say what to run
    instead. A letter's name (.txt, .pdf) gets the commands alone, without the YAML reader's complaint
    about its first line (noise to a person who gave a letter); another name keeps the complaint."""
    if Path(path).suffix.lower() in CASE_SUFFIXES:
        return problem
    commands = (
        f"`imr-rules check {path}` checks it; `imr-rules extract {path} -o case.yaml` makes a case file to "
        "review and evaluate"
    )
    if Path(path).suffix.lower() in LETTER_SUFFIXES:
        return CaseError(f"a letter, not a case file: {commands}", location(path))
    return CaseError(f"not a case file ({problem.message}); if it is a letter, {commands}", problem.location)


def case_from_data(data: dict[str, object] | ExtractedLetter, library: RuleLibrary, name: str = "<case>") -> LoadedCase:
    """Build a case from a dict (library use) or a letter as read (`ExtractedLetter.to_data()`); same
    checks as a file. Raises the first problem as an ImrError (pydantic's ValidationError for bad shapes)."""
    case = Case.model_validate(data.to_data() if isinstance(data, ExtractedLetter) else data)
    problems = check_case(case, library, None, name)
    if problems:
        raise problems[0]
    digest = hashlib.sha256(case.model_dump_json().encode()).hexdigest()
    return LoadedCase(case, None, digest, None)


def check_case(case: Case, library: RuleLibrary, doc: YamlDocument | None, name: str = "<case>") -> list[ImrError]:
    """Vocabulary and consistency checks a case's schema cannot make."""
    from imr_rules.errors import location

    def where(*loc: str | int):  # type: ignore[no-untyped-def]
        return doc.location(tuple(loc)) if doc is not None else location(name)

    problems: list[ImrError] = []

    def check_facts(facts: dict[str, object], scope: str, at: tuple[str | int, ...]) -> None:
        for fact_name, fact in facts.items():
            definition = library.facts.get(fact_name)
            if definition is None:
                problems.append(
                    UnknownFactError(
                        f"unknown fact '{fact_name}'{closest(fact_name, library.facts)}", where(*at, fact_name)
                    )
                )
                continue
            # a regional case fact may be stated for one item: it overrides the case's for that item
            overrides = scope == "item" and definition.scope == "case" and definition.regional
            if definition.scope != scope and not overrides:
                problems.append(
                    CaseError(
                        f"fact '{fact_name}' is about {'one item' if definition.scope == 'item' else 'the case'}: "
                        f"put it under {'the item' if definition.scope == 'item' else 'the case'}'s facts",
                        where(*at, fact_name),
                    )
                )
                continue
            # number_error: a case built from a dict (case_from_data) never passed the YAML reader's check
            err = value_error(definition, fact.value) or number_error(fact.value)  # type: ignore[attr-defined]
            if err:
                problems.append(FactTypeError(f"fact '{fact_name}': {err}", where(*at, fact_name, "value")))

    check_facts(dict(case.facts), "case", ("facts",))
    names: dict[str, int] = {}
    for i, item in enumerate(case.items):
        if item.item in names:
            problems.append(CaseError(f"item '{item.item}' is listed twice", where("items", i, "item")))
        names[item.item] = i
    for i, item in enumerate(case.items):
        if item.service is not None and item.service not in library.services:
            problems.append(
                CaseError(
                    f"unknown service '{item.service}'{closest(item.service, library.services)}",
                    where("items", i, "service"),
                )
            )
        check_facts(dict(item.facts), "item", ("items", i, "facts"))
        if item.primary is not None and item.primary in names:
            if item.primary == item.item:
                problems.append(CaseError("an item cannot be its own primary", where("items", i, "primary")))
            elif "primary_status" in item.facts:
                problems.append(
                    CaseError(
                        "primary_status is decided by the engine when the primary is an item of this case",
                        where("items", i, "facts", "primary_status"),
                    )
                )
    # dependency cycles between items of the case
    for i, item in enumerate(case.items):
        seen = {item.item}
        current = item.primary
        while current is not None and current in names:
            if current in seen:
                problems.append(
                    CaseError(
                        f"items depend on each other in a cycle through '{current}'", where("items", i, "primary")
                    )
                )
                break
            seen.add(current)
            current = case.items[names[current]].primary
    for j, exp in enumerate(case.expect):
        if exp.item not in names:
            problems.append(
                CaseError(f"expectation names no item of the case: '{exp.item}'", where("expect", j, "item"))
            )
    return problems


def dump_case(data: dict[str, Any] | ExtractedLetter) -> str:
    """A case (plain data, or a letter as read) as YAML a person can review: keys in the model's order, long
    quotes kept on one line, headed by a reminder to review it when extracted."""
    if isinstance(data, ExtractedLetter):
        data = data.to_data()
    import yaml  # here: a run that writes no YAML never imports PyYAML (imr_rules.yaml_reader)

    header = "# Extracted by imr-rules from a letter: review every fact against its quote before relying on it.\n"
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
    return (header if data.get("extracted") else "") + body
