"""The extraction patterns (`rules/extraction/*.yaml`), validated and compiled once: `load_patterns`.

Fact targets may name concept lexicons (`@{name}`, `lexicon.yaml`) and shared pattern fragments
(`{{name}}`, facts.yaml `fragments`); both are expanded here, and every regular expression is compiled up
front so that a bad one is a located error at load, not a failure while reading a letter.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imr_rules.errors import RuleLibraryError, SchemaError, location
from imr_rules.library.loading import EXTRACTION_DIR
from imr_rules.models.extraction import (
    ContextRules,
    FactPattern,
    FactPatterns,
    Lexicon,
    RequestPatterns,
    compile_regex,
)
from imr_rules.reading import prefilter
from imr_rules.reading.context import Context
from imr_rules.reading.sentences import Sentence
from imr_rules.sources import YamlDocument, load_yaml, schema_errors


def compile_pattern(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return compile_regex(pattern)
    except re.error as exc:
        raise RuleLibraryError(f"bad regular expression {pattern!r}: {exc}", location(where)) from None


@dataclass
class Regions:
    """Body-region words (lexicon.yaml `regions`): which regions a clause of a sentence is about."""

    lexicon: Lexicon
    words: re.Pattern[str] | None = None
    levels: re.Pattern[str] | None = None
    by_group: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        def alternation(entries: list[tuple[str, str]], flags: int) -> re.Pattern[str] | None:
            # longest synonyms first, so "patellar reflex" (a root sign) wins over "patella" (the knee)
            entries = sorted(entries, key=lambda e: -len(e[1]))
            if not entries:
                return None
            body = "|".join(f"(?P<g{k}_{name}>{p})" for k, (name, p) in enumerate(entries))
            return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w])", flags)

        regions = self.lexicon.regions
        self.by_group = {name: frozenset(spec.regions) for name, spec in regions.items()}
        words = [(n, p) for n, spec in regions.items() if not spec.case_sensitive for p in spec.names]
        levels = [(n, p) for n, spec in regions.items() if spec.case_sensitive for p in spec.names]
        self.words = alternation(words, re.IGNORECASE)
        self.levels = alternation(levels, 0)

    def named(self, text: str) -> list[tuple[str, frozenset[str]]]:
        """The region groups `text` names, in order, each with the regions a finding there can concern."""
        hits: list[tuple[int, str]] = []
        for rx in (self.words, self.levels):
            if rx is None:
                continue
            for m in rx.finditer(text):
                group = next(k for k, v in m.groupdict().items() if v is not None)
                hits.append((m.start(), group.split("_", 1)[1]))
        return [(name, self.by_group[name]) for _, name in sorted(hits)]

    def of_mention(self, sentence: str, at: int, until: int) -> frozenset[str]:
        """The regions a mention sentence[at:until] is about: those it names itself ("4/5 strength of the
        EHL", "positive Spurling's"), else those its clause names, else its sentence's; empty when none."""
        start = sentence.rfind(";", 0, at) + 1
        end = sentence.find(";", until)
        for text in (sentence[at:until], sentence[start : end if end >= 0 else len(sentence)], sentence):
            found = frozenset().union(*(r for _, r in self.named(text)))
            if found:
                return found
        return frozenset()


@dataclass
class Patterns:
    """Every extraction pattern, validated and compiled once (load it once per process)."""

    context: Context
    facts: FactPatterns
    requests: RequestPatterns
    digest: str
    regions: Regions = field(default_factory=lambda: Regions(Lexicon(terms={})))
    compiled: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # patterns read back from the cache (imr_rules.cache) not yet used: each rebuilt by `rx` when first
    # asked for (a letter uses a few hundred of the ~2,000 stored)
    stored: dict[str, Callable[[], re.Pattern[str]]] = field(default_factory=dict)
    requirements: dict[str, prefilter.Requirement] = field(default_factory=dict)
    _index: prefilter.LiteralIndex | None = None
    _found: dict[str, frozenset[str]] = field(default_factory=dict)
    _targets: dict[tuple[int, int], tuple[list[str], list[str], list[tuple[bool, str, Any]]]] = field(
        default_factory=dict
    )

    def rx(self, pattern: str) -> re.Pattern[str]:
        found = self.compiled.get(pattern)
        if found is None:
            rebuild = self.stored.pop(pattern, None)
            found = rebuild() if rebuild is not None else compile_pattern(pattern, EXTRACTION_DIR)
            self.compiled[pattern] = found
        return found

    def targets(self, present: list[str], absent: list[str]) -> list[tuple[bool, str, prefilter.Requirement]]:
        """A fact's targets as (negative?, pattern, required literals), prepared once per target list."""
        key = (id(present), id(absent))
        found = self._targets.get(key)
        if found is None or found[0] is not present or found[1] is not absent:
            prepared = [
                (negative, target, self.requirement(target))
                for negative, group in ((False, present), (True, absent))
                for target in group
            ]
            found = self._targets[key] = (present, absent, prepared)
        return found[2]

    def requirement(self, pattern: str) -> prefilter.Requirement:
        """Literals a match of `pattern` must contain (see imr_rules.reading.prefilter); () when none are known."""
        found = self.requirements.get(pattern)
        if found is None:
            found = self.requirements[pattern] = prefilter.required(pattern)
            self._index = None  # a new pattern may bring new literals
        return found

    def literals_in(self, sentence: Sentence) -> frozenset[str]:
        """The required literals (of every pattern seen so far) that the sentence contains."""
        found = self._found.get(sentence.folded)
        if found is None:
            if self._index is None:
                literals = {lit for req in self.requirements.values() for options in req for lit in options}
                self._index = prefilter.LiteralIndex(literals)
                self._found.clear()
            if len(self._found) > 10_000:
                self._found.clear()
            found = self._found[sentence.folded] = self._index.find(sentence.folded)
        return found


_LEXICON_REF = re.compile(r"@\{([a-z][a-z0-9_]*)\}")


def _expand(pattern: str, terms: dict[str, list[str]], where: str) -> str:
    """A target with each `@{name}` replaced by the alternation of that lexicon entry's synonyms."""

    def one(m: re.Match[str]) -> str:
        synonyms = terms.get(m.group(1))
        if synonyms is None:
            raise RuleLibraryError(f"unknown lexicon entry '@{{{m.group(1)}}}' in {pattern!r}", location(where))
        return "(?:" + "|".join(synonyms) + ")"

    return _LEXICON_REF.sub(one, pattern)


def _terms(lexicon: Lexicon, where: str) -> dict[str, list[str]]:
    """The lexicon's entries with their references to other entries expanded, a few levels deep."""
    terms = dict(lexicon.terms)
    for _ in range(3):
        terms = {k: [_expand(p, terms, where) for p in v] for k, v in terms.items()}
    return terms


# every list of target patterns a fact may have (`targets`, `absent_targets`, `outcome_targets`, ...): expanded
# and compiled alike, so a new kind declared on the model needs nothing here
_TARGET_LISTS = tuple(name for name in FactPattern.model_fields if name == "targets" or name.endswith("_targets"))


def _with_lexicon(facts: FactPatterns, lexicon: Lexicon, where: str) -> FactPatterns:
    """The fact patterns with lexicon references expanded (synonym lists may themselves refer to others)."""
    terms = _terms(lexicon, where)
    out = []
    for fact in facts.facts:
        out.append(
            fact.model_copy(
                update={
                    **{name: [_expand(p, terms, where) for p in getattr(fact, name)] for name in _TARGET_LISTS},
                    "members": {k: [_expand(p, terms, where) for p in v] for k, v in fact.members.items()},
                    "absent_members": {
                        k: [_expand(p, terms, where) for p in v] for k, v in fact.absent_members.items()
                    },
                }
            )
        )
    return facts.model_copy(update={"facts": out})


def load_patterns(rules_root: str | Path) -> Patterns:
    """Load `rules/extraction/*.yaml`; every pattern is compiled up front so errors surface here.

    `lexicon.yaml` (optional) holds the concept lexicons targets refer to as `@{name}` and the body-region
    words; a library without it has neither.
    """
    root = Path(rules_root) / EXTRACTION_DIR
    names = ["context", "facts", "requests"] + (["lexicon"] if (root / "lexicon.yaml").exists() else [])
    docs = {name: load_yaml(root / f"{name}.yaml") for name in names}
    fragments = docs["facts"].data.get("fragments") if isinstance(docs["facts"].data, dict) else None
    if isinstance(fragments, dict):
        for name in ("facts", "requests"):
            docs[name].data = _fragments(docs[name].data, fragments, docs[name], ())
    digest = hashlib.sha256()
    for name in sorted(docs):
        digest.update(repr(docs[name].data).encode())
    context, e1 = schema_errors(docs["context"], ContextRules, "context trigger file")
    facts, e2 = schema_errors(docs["facts"], FactPatterns, "fact pattern file")
    requests, e3 = schema_errors(docs["requests"], RequestPatterns, "request pattern file")
    lexicon: Lexicon | None = Lexicon(terms={})
    e4: list[SchemaError] = []
    if "lexicon" in docs:
        lexicon, e4 = schema_errors(docs["lexicon"], Lexicon, "lexicon file")
    errors = [*e1, *e2, *e3, *e4]
    if errors:
        raise errors[0]
    assert context is not None and facts is not None and requests is not None and lexicon is not None
    facts = _with_lexicon(facts, lexicon, str(root / "lexicon.yaml"))
    patterns = Patterns(Context(context), facts, requests, digest.hexdigest(), Regions(lexicon))
    for spec in lexicon.regions.values():
        for p in spec.names:
            compile_pattern(p, str(root / "lexicon.yaml"))
    for fact in facts.facts:
        members = (t for ts in [*fact.members.values(), *fact.absent_members.values()] for t in ts)
        for p in [*(p for name in _TARGET_LISTS for p in getattr(fact, name)), *members]:
            patterns.compiled[p] = compile_pattern(p, str(docs["facts"].path))
            patterns.requirement(p)
    return patterns


_FRAGMENT = re.compile(r"\{\{(\w+)\}\}")


def _fragments(data: Any, fragments: dict[str, Any], doc: YamlDocument, at: tuple[str | int, ...]) -> Any:
    """Every `{{name}}` in a pattern replaced by the fragment of that name (facts.yaml `fragments`), so
    a shared piece of grammar (a number in words or figures, a span of time) is written once."""
    if isinstance(data, dict):
        return {
            k: data[k] if at == () and k == "fragments" else _fragments(v, fragments, doc, (*at, k))
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_fragments(v, fragments, doc, (*at, i)) for i, v in enumerate(data)]
    if isinstance(data, str) and "{{" in data:

        def one(m: re.Match[str], depth: int = 0) -> str:
            found = fragments.get(m.group(1))
            if not isinstance(found, str) or depth > 5:
                raise RuleLibraryError(f"unknown pattern fragment '{{{{{m.group(1)}}}}}'", doc.location(at))
            return _FRAGMENT.sub(lambda inner: one(inner, depth + 1), found)  # fragments may use fragments

        return _FRAGMENT.sub(one, data)
    return data
