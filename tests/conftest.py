"""Shared fixtures: the bundled rule library, small synthetic libraries, and the ../shared folder."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest

from imr_rules import RuleLibrary, load_rules
from imr_rules.reading.casefile import LoadedCase, case_from_data
from imr_rules.reading.patterns import Patterns, load_patterns

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
CASES = ROOT / "cases"
SHARED = ROOT.parent / "shared"
# The suite (and the CLI processes it starts) keeps the rule-library cache in a folder of its own, never in
# the user's ~/.cache/imr-rules (imr_rules.cache).
if "IMR_RULES_CACHE_DIR" not in os.environ:
    os.environ["IMR_RULES_CACHE_DIR"] = tempfile.mkdtemp(prefix="imr-rules-test-cache-")
    atexit.register(shutil.rmtree, os.environ["IMR_RULES_CACHE_DIR"], True)
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared is not beside the project (a user's own clone)"
)


@functools.cache
def bundled_library() -> RuleLibrary:
    """The bundled rule library, loaded once per test session (the `library` fixture returns it too)."""
    return load_rules(RULES)


@functools.cache
def bundled_patterns() -> Patterns:
    """The bundled reading patterns, loaded once per test session (the `patterns` fixture returns them too)."""
    return load_patterns(RULES)


@pytest.fixture(scope="session")
def library() -> RuleLibrary:
    return bundled_library()


@pytest.fixture(scope="session")
def patterns() -> Patterns:
    return bundled_patterns()


def make_case(
    library: RuleLibrary, items: list[dict[str, Any]], facts: dict[str, Any] | None = None, **extra: Any
) -> LoadedCase:
    data: dict[str, Any] = {"case": extra.pop("case", "test-case"), "facts": facts or {}, "items": items, **extra}
    return case_from_data(data, library)


def write_library(root: Path, facts: str, services: str, rules: dict[str, str]) -> Path:
    """Write a small rule library for a test; YAML bodies are dedented."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "facts.yaml").write_text(textwrap.dedent(facts))
    (root / "services.yaml").write_text(textwrap.dedent(services))
    for name, body in rules.items():
        (root / name).write_text(textwrap.dedent(body))
    return root
