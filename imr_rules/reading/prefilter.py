"""Required literals of a regular expression: a cheap, sound test that a sentence cannot match it.

Extraction runs every target pattern of every fact over every sentence of a letter (about 300 patterns);
Python's `re` tries a pattern at every position of the text, so that scan was most of extraction time,
and most patterns match nothing in a given letter. Here each pattern is reduced, once, to literals a
match must contain (`required`): for `(?:meniscal|ACL) (?:\\w+ ){0,2}tears?` that is "one of meniscal,
acl" and "tear". A sentence whose folded text lacks them is skipped without running the pattern; the
others are read exactly as before, so results do not change (tests/test_prefilter.py checks it on real
patterns and letters, and the folding against every Unicode code point).

This is the literal-prefilter idea of RE2 and ripgrep, kept to what Python's own parser gives. It uses
`re._parser` (named `sre_parse` before Python 3.11), a private module: anything it does not recognise
yields no requirement, which only costs speed.

Which literals a sentence holds is found in one pass by an Aho-Corasick automaton (pyahocorasick, a
maintained C library): testing the ~740 literals one by one with `in` scanned each sentence ~740 times
and cost as much as the regexes it saved (measured: 1.9 ms against 0.08 ms per seed letter).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

try:  # Python 3.11+
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse

Requirement = tuple[frozenset[str], ...]  # every set must have a member in the text (AND of ORs)

# Characters that re.IGNORECASE matches to an ASCII letter although str.lower() does not give that letter
# (found by scanning every code point; tests/test_prefilter.py repeats the scan).
_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s"}
MIN_LITERAL = 3  # shorter literals are in nearly every sentence: not worth testing


def fold(text: str) -> str:
    """The text as the literals are compared with it: lower case, with re's extra case equivalences."""
    return text.translate(_FOLD).lower()


def required(pattern: str) -> Requirement:
    """Literal sets a match of `pattern` (compiled with re.IGNORECASE) must contain, folded; () if none known."""
    try:
        parsed = _sre_parse.parse(pattern, re.IGNORECASE)
    except Exception:
        return ()
    return tuple(s for s in _sequence(list(parsed)) if min(map(len, s)) >= MIN_LITERAL)


def may_match(requirement: Requirement, present: frozenset[str]) -> bool:
    """False only when a text holding exactly the `present` literals cannot match: it lacks every
    literal of one of the requirement's sets."""
    return all(not options.isdisjoint(present) for options in requirement)


class LiteralIndex:
    """Finds which of a fixed set of literals occur in a folded text, in one pass."""

    def __init__(self, literals: Iterable[str]) -> None:
        import ahocorasick  # imported here: only extraction needs it

        self.literals = frozenset(literals)
        self._automaton: Any = ahocorasick.Automaton()
        for literal in self.literals:
            self._automaton.add_word(literal, literal)
        if self.literals:
            self._automaton.make_automaton()

    def find(self, folded: str) -> frozenset[str]:
        """The literals that occur in `folded` (the same set as `{x for x in literals if x in folded}`)."""
        if not self.literals:
            return frozenset()
        return frozenset(literal for _end, literal in self._automaton.iter(folded))


def _sequence(items: list[tuple[Any, Any]]) -> list[frozenset[str]]:
    """Requirements of a concatenation: runs of literal characters, plus what each element requires."""
    out: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        name = str(op)
        if name == "LITERAL" and av < 128:
            run.append(chr(av).lower())
            continue
        flush()
        if name == "SUBPATTERN":
            out.extend(_sequence(list(av[-1])))
        elif name == "ATOMIC_GROUP":
            out.extend(_sequence(list(av)))
        elif name == "BRANCH":
            branch = _branch([list(alternative) for alternative in av[1]])
            if branch is not None:
                out.append(branch)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            out.extend(_sequence(list(av[2])))
        # anything else (classes, any, anchors, lookarounds, optional repeats, back references) requires
        # nothing we can name, and ends the literal run
    flush()
    return out


def _branch(alternatives: list[list[tuple[Any, Any]]]) -> frozenset[str] | None:
    """One alternative must match: the union of each alternative's most selective set, if all have one."""
    union: set[str] = set()
    for alternative in alternatives:
        sets = _sequence(alternative)
        if not sets:
            return None
        union |= max(sets, key=lambda s: (min(map(len, s)), -len(s)))
    return frozenset(union)
