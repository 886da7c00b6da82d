"""The literal prefilter must never rule out a sentence its pattern matches (it only saves time)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imr_rules.reading.letter import parse_letter
from imr_rules.reading.patterns import load_patterns
from imr_rules.reading.prefilter import LiteralIndex, fold, may_match, required
from imr_rules.reading.sentences import Sentence, sentences

from .conftest import ROOT, SHARED


@functools.cache
def _targets_of(root: Path) -> list[str]:
    patterns = load_patterns(root)
    found = {
        t
        for fact in patterns.facts.facts
        for t in [
            *fact.targets,
            *fact.absent_targets,
            *fact.sign_targets,
            *fact.verdict_targets,
            *(x for ts in fact.members.values() for x in ts),
        ]
    }
    return sorted(found)


def _targets(library) -> list[str]:  # type: ignore[no-untyped-def]
    return _targets_of(library.root)


@functools.cache
def _index_of(root: Path) -> LiteralIndex:
    return LiteralIndex({lit for target in _targets_of(root) for options in required(target) for lit in options})


def _index(library) -> LiteralIndex:  # type: ignore[no-untyped-def]
    return _index_of(library.root)


def _letter_sentences(folders: list[Path]) -> list[Sentence]:
    out: list[Sentence] = []
    for folder in folders:
        for path in sorted(folder.rglob("*.txt")) if folder.is_dir() else []:
            text = path.read_text(errors="replace")
            try:
                letter = parse_letter(text, str(path))
            except Exception:
                continue  # the suite's deliberately broken letters
            out += sentences(text, 0, len(text), "summary")
            del letter
    return out


def test_folding_covers_every_character_ignorecase_matches_to_an_ascii_letter() -> None:
    """re.IGNORECASE matches some characters to ASCII letters that str.lower() does not give (dotless i,
    long s): scan every code point, so a new Python with new equivalences fails here, not silently."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    for code in range(0x110000):
        char = chr(code)
        if letter.fullmatch(char):
            matched = [c for c in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(c, char, re.IGNORECASE)]
            assert fold(char) in matched, (hex(code), fold(char), matched)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?:meniscal|ACL) (?:\w+ ){0,2}tears?", ({"meniscal", "acl"}, {"tear"})),
        (r"wheelchair|commode|\bwalker\b", ({"wheelchair", "commode", "walker"},)),
        (r"pain(?! free)", ({"pain"},)),
        (r"(?:prior )?xyz", ({"xyz"},)),
        (r"(?:ab)?c?", ()),  # nothing is required
        (r"[", ()),  # not a pattern: no requirement, the pattern's own error is reported elsewhere
        (r"caf\u00e9s", ({"caf"},)),  # a non-ASCII character ends the literal
    ],
)
def test_required_literals(pattern: str, expected: tuple[set[str], ...]) -> None:
    assert [set(s) for s in required(pattern)] == [set(s) for s in expected]


def test_never_rules_out_a_sentence_a_target_matches(library) -> None:  # type: ignore[no-untyped-def]
    """Every extraction target against every sentence of the project's letters (and ../shared's when
    present): a match implies the prefilter lets the sentence through. Also shows it earns its keep."""
    pool = _letter_sentences([ROOT / "tests" / "letters", SHARED / "letters"])
    assert len(pool) > 200
    index = _index(library)
    present = [index.find(fold(sentence.text)) for sentence in pool]
    tried = ruled_out = 0
    for target in _targets(library):
        rx = re.compile(target, re.IGNORECASE)
        need = required(target)
        for sentence, found in zip(pool, present, strict=True):
            passes = may_match(need, found)
            if rx.search(sentence.text):
                assert passes, (target, sentence.text)
            tried += 1
            ruled_out += not passes
    assert ruled_out > tried * 0.8  # most pattern x sentence pairs need no regex run at all


_ODD = st.sampled_from(["\u0130", "\u0131", "\u017f", "\u212a", "\u00df", " ", "\n", "-", "'", "\u00e9"])


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_never_rules_out_generated_text(library, data) -> None:  # type: ignore[no-untyped-def]
    """Text made of pieces of the targets' own literals, case-shuffled, with characters IGNORECASE folds."""
    targets = _targets(library)
    target = data.draw(st.sampled_from(targets))
    pieces = [lit for options in required(target) for lit in options] or ["x"]
    parts = data.draw(st.lists(st.one_of(st.sampled_from(pieces), _ODD, st.text(max_size=6)), min_size=1, max_size=12))
    text = "".join(p.upper() if data.draw(st.booleans()) else p for p in parts)
    text = text.replace("I", "\u0130" if data.draw(st.booleans()) else "I").replace("s", "\u017f", 1)
    index = _index(library)
    found = index.find(fold(text))
    assert found == {literal for literal in index.literals if literal in fold(text)}
    if re.search(target, text, re.IGNORECASE):
        assert may_match(required(target), found), (target, text)


def test_the_literal_index_finds_exactly_the_literals_a_text_contains() -> None:
    """Overlapping and nested literals, and texts holding none."""
    index = LiteralIndex(["tear", "tears", "ear", "rotator cuff", "cuff"])
    assert index.find("two tears of the rotator cuff") == {"tear", "tears", "ear", "rotator cuff", "cuff"}
    assert index.find("an earlier visit") == {"ear"}
    assert index.find("") == frozenset()
    assert LiteralIndex([]).find("anything") == frozenset()
