"""Read a determination letter into a case file: items classified as services, facts with their sentences.

Every pattern lives in `rules/extraction/` (YAML), so rule authors extend extraction without Python.
Negation and uncertainty follow the NegEx/ConText algorithm (Chapman et al. 2001; Harkema et al. 2009):
a mention of a finding is present unless a trigger within a few words before or after it (and not cut
off by a termination term such as "but") says it is absent, undocumented or uncertain. Absent gives a
fact documented as false; undocumented and uncertain leave the fact out. Sentences that restate a
guideline or report utilization review's reasons are not findings and are skipped. Mentions that
disagree leave the fact out with a warning: nothing is guessed. See README ("Reading letters") for why
this is hand-written rather than medspaCy.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, prefilter
from .errors import RuleLibraryError, location
from .library import EXTRACTION_DIR, RuleLibrary, value_error
from .models import FactCriterion, Letter
from .models.extraction import ContextRules, FactPattern, FactPatterns, Lexicon, RequestPatterns, compile_regex
from .sources import YamlDocument, load_yaml, schema_errors
from .text import Normalised, normalise, parse_date, remap_evidence

MAX_SENTENCE = 2000  # characters: bounds regular-expression work on pathological text
BARE_NEGATIONS = frozenset({"no", "not", "without", "none", "never", "nor", "neither", "absent"})
LIST_ITEM_WORDS = 7  # the longest item of a list a negation governs ("decreased sensation in the L5 dermatome")
ABBREVIATIONS = ("dr", "mr", "mrs", "ms", "e.g", "i.e", "vs", "no", "approx", "etc", "st", "jr", "inc", "fig")


# --- patterns ------------------------------------------------------------------------------------------


def _alternation(patterns: Iterable[str]) -> re.Pattern[str] | None:
    parts = [f"(?:{p})" for p in patterns]
    if not parts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return compile_regex(pattern)
    except re.error as exc:
        raise RuleLibraryError(f"bad regular expression {pattern!r}: {exc}", location(where)) from None


# a clause that leads a list of further clauses: "... includes", "the following:", "as follows"
_LIST_LEAD = re.compile(
    r"\b(?:includes?|including|consists? of|the following|as follows)\b|:\s*$"
    r"|\b(?:states?|notes?|indicates?|recommends?|lists?|criteria)\s*:",  # "the ODG notes: A; B; C"
    re.IGNORECASE,
)


# a kind of context ("absent", "undocumented", "uncertain") with its triggers before and after a mention
_Kind = tuple[str, re.Pattern[str] | None, re.Pattern[str] | None]


@dataclass
class _Context:
    rules: ContextRules
    kinds: list[_Kind] = field(default_factory=list)
    skip_cache: dict[tuple[str, str], bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        r = self.rules
        self.kinds = [
            ("absent", _alternation(r.negation_before), _alternation(r.negation_after)),
            ("undocumented", _alternation(r.undocumented_before), _alternation(r.undocumented_after)),
            ("uncertain", _alternation(r.uncertain_before), _alternation(r.uncertain_after)),
        ]
        self.evidence: _Kind = ("undocumented", _alternation(r.evidence_before), _alternation(r.evidence_after))
        self.pseudo = _alternation(r.pseudo)
        self.termination = (
            re.compile(
                r"(?:"
                + "|".join(f"(?<![\\w-])(?:{t})(?![\\w-])" if t[0].isalnum() else re.escape(t) for t in r.termination)
                + r")",
                re.IGNORECASE,
            )
            if r.termination
            else None
        )
        self.guideline = _alternation(r.guideline_sentence)
        self.reported = _alternation(r.reported_decision)
        # breaks are written with their own boundaries (they may start at a comma): no word-bound wrapper
        self.clause_break = (
            re.compile("|".join(f"(?:{b})" for b in r.clause_break), re.IGNORECASE) if r.clause_break else None
        )
        self.complaint = _alternation(r.complaint_before)
        self.complaint_end = _alternation(r.complaint_end)

    def complained(self, sentence: str, start: int) -> bool:
        """Whether the mention at `start` is something the patient reports ("she states her leg is weak"):
        a complaint trigger in the same clause within `window_words` before it, not cut off by a
        termination term ("but")."""
        if self.complaint is None:
            return False
        clause_start = max(sentence.rfind(";", 0, start), sentence.rfind(":", 0, start)) + 1
        before = sentence[clause_start:start]
        words = list(re.finditer(r"\S+", before))
        reach = words[-self.rules.window_words].start() if len(words) >= self.rules.window_words else 0
        for m in self.complaint.finditer(before, reach):
            between = before[m.end() :]
            ended = self.complaint_end is not None and self.complaint_end.search(between)
            if not ended and not self._terminated(between):
                return True
        return False

    def assertion(self, sentence: str, start: int, end: int, judgement: bool = False) -> str:
        """'present', 'absent', 'undocumented' or 'uncertain' for the mention sentence[start:end].

        `judgement` (a reviewer's judgement over the records, facts.yaml `judgement`): the evidence triggers
        ("no evidence of", "does not show") come first and make the mention undocumented, not absent. Triggers
        reach only within the mention's clause (context.yaml `clause_break`), an evidence trigger anywhere in it."""
        kinds = [self.evidence, *self.kinds] if judgement else self.kinds
        text = sentence
        if self.pseudo is not None:
            text = self.pseudo.sub(lambda m: " " * len(m.group(0)), text)
        clause_start, clause_end = self._clause(sentence, start)  # a trigger does not reach into another clause
        before = text[clause_start:start]
        words = list(re.finditer(r"\S+", before))
        window_start = words[-self.rules.window_words].start() if len(words) >= self.rules.window_words else 0
        after = text[end : max(end, clause_end)]
        after_words = list(re.finditer(r"\S+", after))
        window_end = (
            after_words[self.rules.window_words - 1].end()
            if len(after_words) >= self.rules.window_words
            else len(after)
        )
        # a trigger counts when it ends inside the window: "do not document" whose first word is just outside
        reach = words[-self.rules.window_words - 3].start() if len(words) >= self.rules.window_words + 3 else 0
        best: tuple[int, int, str] | None = None  # (end position, length, kind): the closest trigger wins
        for entry in kinds:
            kind, pre, _post = entry
            if pre is None:
                continue
            # the records' silence about a judgement governs its whole clause ("the records did not provide
            # notes ... or whether there was progress in terms of functional improvement")
            evidence = entry is self.evidence
            for m in pre.finditer(before, 0 if evidence else reach):
                if m.end() <= window_start and not evidence:
                    continue
                if self._terminated(before[m.end() :]):
                    continue
                key = (m.end(), m.end() - m.start(), kind)
                if best is None or key[:2] > best[:2]:
                    best = key
        if best is not None:
            return best[2]
        listed = self._list_trigger(before, window_start, kinds)
        if listed is not None:
            return listed
        nearest: tuple[int, str] | None = None
        for kind, _pre, post in kinds:
            if post is None:
                continue
            hit = post.search(after[:window_end])
            if hit and not self._terminated(after[: hit.start()]) and (nearest is None or hit.start() < nearest[0]):
                nearest = (hit.start(), kind)
        return nearest[1] if nearest else "present"

    _LIST_SEPARATOR = re.compile(r",|\b(?:or|and|nor|and/or)\b", re.IGNORECASE)

    def _list_trigger(self, before: str, window_start: int, kinds: list[_Kind]) -> str | None:
        """A trigger beyond the window that governs a list the mention ends: "no documentation of decreased
        sensation in the L5 dermatome, reflex asymmetry or a weak EHL" documents none of the three. The
        words between the trigger and the mention must be list items (separated by commas, 'or', 'and',
        none longer than LIST_ITEM_WORDS words), within three windows. A bare "no" or "without" does not
        reach that far: examination notes list findings of both kinds after it."""
        words = list(re.finditer(r"\S+", before))
        reach = 3 * self.rules.window_words
        start = words[-reach].start() if len(words) >= reach else 0
        best: tuple[int, str] | None = None
        for kind, pre, _post in kinds:
            if pre is None or kind == "uncertain":
                continue
            for m in pre.finditer(before, start):
                if m.start() >= window_start:
                    break  # within the window: the ordinary pass has seen it
                if m.group(0).lower() in BARE_NEGATIONS:
                    continue  # "no deformity, tenderness of the trapezius, spasm ..." lists findings both ways
                between = before[m.end() :]
                if self._terminated(between) or ";" in between:
                    continue
                items = self._LIST_SEPARATOR.split(between)
                lead, rest = items[0], items[1:]  # the first item may carry a lead ("that the patient had")
                if not rest or len(lead.split()) > 2 * LIST_ITEM_WORDS:
                    continue
                if any(len(item.split()) > LIST_ITEM_WORDS for item in rest):
                    continue
                if best is None or m.end() > best[0]:
                    best = (m.end(), kind)
        return best[1] if best else None

    def _terminated(self, between: str) -> bool:
        return bool(self.termination and self.termination.search(between))

    def skipped(self, sentence: str, at: int | None = None) -> str | None:
        """Why a sentence is not a finding (it reports a decision, or restates a guideline), or None.

        With `at`, only the clause holding that position is tested. Clauses end at a context.yaml
        `clause_break` (a clause about this case: "..., but in this case the worker ...", "Although UR
        denied it, the records show ...", or a trailing "..., which the guidelines ...") for both tests,
        and at a semicolon for a guideline: "the worker is undergoing physical therapy; the number of visits
        is within the guidelines" is a finding followed by a restatement, but a restatement whose first
        clause leads a list ("... includes A; B; and C") covers every clause of it. UR's reasons run on
        across semicolons, so a reported decision is tested on the clause between breaks. Cached per text.
        """
        if at is None:
            if self._reported(sentence):
                return "reported decision"
            return "guideline" if self._guideline(sentence) else None
        start, end = self._clause(sentence, at)
        clause = sentence[start:end]
        if self._reported(clause):
            return "reported decision"
        if ";" in clause:
            first = clause[: clause.find(";")]
            if _LIST_LEAD.search(first) and self._guideline(first):
                return "guideline"  # "Documentation of the four A's includes ...; ...; ...": one restated list
            part = clause.rfind(";", 0, at - start) + 1
            stop = clause.find(";", at - start)
            clause = clause[part : stop if stop >= 0 else len(clause)]
        return "guideline" if self._guideline(clause.strip()) else None

    def _clause(self, sentence: str, at: int) -> tuple[int, int]:
        """The span of the clause holding position `at`, between context.yaml `clause_break`s."""
        start, end = 0, len(sentence)
        if self.clause_break is not None:
            for m in self.clause_break.finditer(sentence):
                if m.end() <= at:
                    start = m.end()
                elif m.start() >= at:
                    end = m.start()
                    break
        return start, end

    def _reported(self, text: str) -> bool:
        return self._cached("r", text, self.reported)

    def _guideline(self, text: str) -> bool:
        return self._cached("g", text, self.guideline)

    def _cached(self, kind: str, text: str, rx: re.Pattern[str] | None) -> bool:
        key = (kind, text)
        found = self.skip_cache.get(key)
        if found is None:
            if len(self.skip_cache) > 20_000:
                self.skip_cache.clear()
            found = self.skip_cache[key] = rx is not None and rx.search(text) is not None
        return found


@dataclass
class _Regions:
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

    context: _Context
    facts: FactPatterns
    requests: RequestPatterns
    digest: str
    regions: _Regions = field(default_factory=lambda: _Regions(Lexicon(terms={})))
    compiled: dict[str, re.Pattern[str]] = field(default_factory=dict)
    requirements: dict[str, prefilter.Requirement] = field(default_factory=dict)
    _index: prefilter.LiteralIndex | None = None
    _found: dict[str, frozenset[str]] = field(default_factory=dict)
    _targets: dict[tuple[int, int], tuple[list[str], list[str], list[tuple[bool, str, Any]]]] = field(
        default_factory=dict
    )

    def rx(self, pattern: str) -> re.Pattern[str]:
        found = self.compiled.get(pattern)
        if found is None:
            found = self.compiled[pattern] = _compile(pattern, EXTRACTION_DIR)
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
        """Literals a match of `pattern` must contain (see imr_rules.prefilter); () when none are known."""
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


def _with_lexicon(facts: FactPatterns, lexicon: Lexicon, where: str) -> FactPatterns:
    """The fact patterns with lexicon references expanded (synonym lists may themselves refer to others)."""
    terms = dict(lexicon.terms)
    for _ in range(3):  # entries that use other entries, a few levels deep
        terms = {k: [_expand(p, terms, where) for p in v] for k, v in terms.items()}
    out = []
    for fact in facts.facts:
        out.append(
            fact.model_copy(
                update={
                    "targets": [_expand(p, terms, where) for p in fact.targets],
                    "absent_targets": [_expand(p, terms, where) for p in fact.absent_targets],
                    "sign_targets": [_expand(p, terms, where) for p in fact.sign_targets],
                    "members": {k: [_expand(p, terms, where) for p in v] for k, v in fact.members.items()},
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
    e4: list[Any] = []
    if "lexicon" in docs:
        lexicon, e4 = schema_errors(docs["lexicon"], Lexicon, "lexicon file")
    errors = [*e1, *e2, *e3, *e4]
    if errors:
        raise errors[0]
    assert context is not None and facts is not None and requests is not None and lexicon is not None
    facts = _with_lexicon(facts, lexicon, str(root / "lexicon.yaml"))
    patterns = Patterns(_Context(context), facts, requests, digest.hexdigest(), _Regions(lexicon))
    for spec in lexicon.regions.values():
        for p in spec.names:
            _compile(p, str(root / "lexicon.yaml"))
    for fact in facts.facts:
        members = (t for ts in fact.members.values() for t in ts)
        for p in [*fact.targets, *fact.absent_targets, *fact.sign_targets, *members]:
            patterns.compiled[p] = _compile(p, str(docs["facts"].path))
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


# --- sentences -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """A sentence with whitespace normalised, and where it sits in the letter."""

    text: str
    start: int
    end: int
    section: str

    @functools.cached_property
    def folded(self) -> str:
        """The text folded as imr_rules.prefilter compares literals with it."""
        return prefilter.fold(self.text)


_LONG_SPACE = re.compile(r"\s{2,}")
_BOUNDARY = re.compile(r"[.!?][\"')\]]?(?= +[\"'(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z.]+)[.!?]$")
# a list's number ("the following indications: 1. Tumor, 2. Stress fractures ...") ends no sentence
_LIST_NUMBER = re.compile(r"(?:^|[,;:(] ?|\b(?:and|or) )\d{1,2}\.$")


def sentences(text: str, start: int, end: int, section: str) -> list[Sentence]:
    """Split text[start:end] into sentences; offsets point into the original letter.

    Whitespace runs are read as one space (letters wrap lines anywhere); `where` maps a position in
    that flattened text back to the letter: a word's characters to themselves, the space for a run to
    the run's first whitespace character. Only runs of two or more characters shift positions, and a
    letter has few (paragraph breaks), so the map is a short list.
    """
    segment = text[start:end]
    flat = " ".join(segment.split())
    if not flat:
        return []
    lead = len(segment) - len(segment.lstrip())
    spaces: list[int] = []  # flat position of each long run's space
    shifts: list[int] = [0]  # characters dropped before the positions after each of those spaces
    for run in _LONG_SPACE.finditer(segment, lead, len(segment.rstrip())):
        spaces.append(run.start() - lead - shifts[-1])
        shifts.append(shifts[-1] + len(run.group()) - 1)

    def where(k: int) -> int:
        return start + lead + k + shifts[bisect.bisect_left(spaces, k)]

    out: list[Sentence] = []
    begin = 0
    for m in _BOUNDARY.finditer(flat):
        last = _LAST_WORD.search(flat, flat.rfind(" ", 0, m.start()) + 1, m.start() + 1)
        if last and last.group(1).lower().rstrip(".") in ABBREVIATIONS:
            continue
        if flat[m.start()] == "." and _LIST_NUMBER.search(flat[max(0, m.start() - 7) : m.start() + 1]):
            continue
        piece = flat[begin : m.end()].strip()
        if piece:
            s0 = begin + (len(flat[begin : m.end()]) - len(flat[begin : m.end()].lstrip()))
            out.append(Sentence(piece[:MAX_SENTENCE], where(s0), where(m.end() - 1) + 1, section))
        begin = m.end()
    tail = flat[begin:].strip()
    if tail:
        s0 = begin + (len(flat[begin:]) - len(flat[begin:].lstrip()))
        out.append(Sentence(tail[:MAX_SENTENCE], where(s0), where(len(flat) - 1) + 1, section))
    return out


class _Pool(list[Sentence]):
    """The sentences facts are read from, built once per letter (or item) and section set, so that the
    literals each sentence holds are looked up once per pool rather than once per fact read from it."""

    literals: tuple[Any, list[frozenset[str]], frozenset[str]] | None = None


def _literals(pool: list[Sentence], patterns: Patterns) -> tuple[list[frozenset[str]], frozenset[str]]:
    """The prefilter literals of each sentence of the pool, and of the pool as a whole."""
    if isinstance(pool, _Pool) and pool.literals is not None and pool.literals[0] is patterns._index:
        return pool.literals[1], pool.literals[2]
    present = [patterns.literals_in(sentence) for sentence in pool]
    everywhere = frozenset().union(*present)
    if isinstance(pool, _Pool):
        pool.literals = (patterns._index, present, everywhere)  # valid while the literal index is the same
    return present, everywhere


# --- extraction ----------------------------------------------------------------------------------------


@dataclass
class _Mention:
    value: Any
    sentence: Sentence


def _evidence(sentence: Sentence) -> dict[str, Any]:
    return {"quote": sentence.text, "start": sentence.start, "end": sentence.end, "section": sentence.section}


def _read_fact(
    pattern: FactPattern,
    patterns: Patterns,
    pool: list[Sentence],
    warnings: list[str],
    scope_label: str,
    region: frozenset[str] | None = None,
    timeline: Timeline | None = None,
) -> tuple[Any, list[Sentence]] | None:
    """The fact's value and its evidence sentences, or None when not documented (or contradictory).

    `region`: the body regions of the item(s) a regional fact (facts.yaml `regional`) is read for; a
    mention in a clause naming only other regions is not read (None: every mention is). `timeline` dates a
    span stated by its start ("since the spring", "since the injury")."""
    if pattern.members:
        return _read_list(pattern, patterns, pool, warnings, scope_label, region)
    return _read_value(
        pattern,
        pattern.targets,
        pattern.absent_targets,
        patterns,
        pool,
        warnings,
        scope_label,
        region,
        timeline,
        pattern.sign_targets,
    )


def _read_list(
    pattern: FactPattern,
    patterns: Patterns,
    pool: list[Sentence],
    warnings: list[str],
    scope_label: str,
    region: frozenset[str] | None = None,
) -> tuple[Any, list[Sentence]] | None:
    """A list fact: the members mentioned as present; [] only when every member mention is negated."""
    present: list[str] = []
    negated = False
    evidence: list[Sentence] = []
    for member, targets in pattern.members.items():
        label = f"{scope_label}{pattern.fact} ({member})"
        found = _read_value(
            pattern.model_copy(update={"present": True, "absent": False, "capture": False}),
            targets,
            [],
            patterns,
            pool,
            warnings,
            label + ": ",
            region,
        )
        if found is None:
            continue
        value, sentences_ = found
        if value is True:
            present.append(member)
        else:
            negated = True
        evidence.extend(s for s in sentences_ if s not in evidence)
    if present:
        return sorted(present), evidence
    if negated:
        return [], evidence
    return None


_NO_TARGETS: list[str] = []


def _read_value(
    pattern: FactPattern,
    targets_present: list[str],
    targets_absent: list[str],
    patterns: Patterns,
    pool: list[Sentence],
    warnings: list[str],
    scope_label: str,
    region: frozenset[str] | None = None,
    timeline: Timeline | None = None,
    sign_targets: list[str] | None = None,
) -> tuple[Any, list[Sentence]] | None:
    """Read one fact from `pool`. `sign_targets` (facts.yaml `sign_targets`) are read when present only."""
    ctx = patterns.context
    scoped = bool(region)
    mentions: list[_Mention] = []
    targets = patterns.targets(targets_present, targets_absent)
    signs: frozenset[str] = frozenset()
    if sign_targets:
        signs = frozenset(sign_targets)
        targets = targets + patterns.targets(sign_targets, _NO_TARGETS)
    present, everywhere = _literals(pool, patterns)
    # targets whose required literals occur somewhere in the pool; each is then tried sentence by sentence
    live = [t for t in targets if prefilter.may_match(t[2], everywhere)]
    if not live:
        return None
    for k, sentence in enumerate(pool):
        named = sentence.section == "item_name"
        for negative, target, requirement in live:
            if requirement and not prefilter.may_match(requirement, present[k]):
                continue  # the sentence lacks a literal every match contains
            for m in patterns.rx(target).finditer(sentence.text):
                if not named and ctx.skipped(sentence.text, m.start()):
                    continue  # the sentence reports a decision, or the clause restates a guideline
                if pattern.observed and not named and ctx.complained(sentence.text, m.start()):
                    continue  # the patient's complaint, not an examination or imaging finding
                if scoped and region is not None:
                    where = patterns.regions.of_mention(sentence.text, m.start(), m.end())
                    if where and not where & region:
                        continue  # a finding about another body region
                status = (
                    "present"
                    if sentence.section == "item_name"
                    else ctx.assertion(sentence.text, m.start(), m.end(), pattern.judgement)
                )
                if status in ("undocumented", "uncertain"):
                    continue
                if status == "absent" and target in signs:
                    continue  # one sign denied says nothing of the others
                if negative:
                    if status == "absent":
                        continue
                    value = pattern.absent
                elif status == "absent":
                    value = pattern.absent
                elif pattern.capture and "value" in m.re.groupindex:  # a target without the group: `present`
                    captured = " ".join((m.groupdict().get("value") or "").lower().split())
                    value = pattern.map.get(captured, captured)
                    if captured not in pattern.map and (whole := number(captured)) is not None:
                        value = whole  # "two (2)", "twenty-four": one value however the letter writes it
                    if pattern.unit is not None:
                        value = duration(captured, pattern.unit, timeline)  # None: not a span of time, left out
                        if value is not None and pattern.below is not None:
                            value = value < pattern.below
                else:
                    value = pattern.present
                if value is not None:
                    mentions.append(_Mention(value, sentence))
    if not mentions:
        return None
    if pattern.any_sign and any(m.value == pattern.present for m in mentions):
        mentions = [m for m in mentions if m.value == pattern.present]
    values = {repr(m.value) for m in mentions}
    if len(values) > 1:
        quotes = "; ".join(f'"{x.sentence.text}" -> {x.value!r}' for x in mentions[:4])
        warnings.append(f"{scope_label}{pattern.fact}: mentions disagree, left out ({quotes})")
        return None
    evidence: list[Sentence] = []
    for mention in mentions:
        if mention.sentence not in evidence:
            evidence.append(mention.sentence)
    return mentions[0].value, evidence


NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "once": 1, "twice": 2, "single": 1, "a": 1}


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
_IN_PARENS = re.compile(r"\((\d+)\)")


def number(text: str) -> int | None:
    """A whole number written in digits or words: "12", "twelve", "twice", "twenty-four", "two (2)" (the
    figure in parentheses wins), "a" (1); None when the text is not a number."""
    text = text.strip().lower()
    figure = _IN_PARENS.search(text)
    if figure:
        return int(figure.group(1))
    if text.isdigit():
        return int(text)
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    parts = re.split(r"[-\s]+", text)
    if len(parts) == 2 and parts[0] in _TENS and 0 < NUMBER_WORDS.get(parts[1], 0) < 10:
        return _TENS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


DAYS_PER = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}
_DURATION = re.compile(
    r"^(?:(?P<half_of>half (?:an?|of an?) )|(?P<n>.+?)\s+(?:and a half\s+)?)?(?P<unit>day|week|month|year)s?"
    r"(?P<and_half> and a half)?$"
)


@dataclass(frozen=True)
class Timeline:
    """The case's dates a span stated by its start is measured with: it ends at the request (the UR
    decision when the request's own date is unknown); "since the injury" starts at the injury."""

    request: dt.date
    injury: dt.date | None = None


_LEAD = re.compile(
    r"^(?:(?:for|over|during|in) )?(?:the (?:past|last|previous) )?(?:(?:more|longer|greater) than |over |at least |"
    r"in excess of )?"
)
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_SINCE_INJURY = re.compile(r"^since (?:the |his |her |their )?(?:date of (?:the )?)?(?:\w+ )?(?:injury|accident)$")
_SINCE = re.compile(
    r"^since (?:(?:the|early|late|mid-?) )*(?:(?P<season>spring|summer|fall|autumn|winter)|(?P<month>[a-z]+))?"
    r"(?:,? ?(?:of )?(?P<year>(?:19|20)\d\d))?$"
)


def since(text: str, timeline: Timeline) -> float | None:
    """Days from a start the letter names ("since the spring", "since March 2016", "since 2015", "since
    10/12/2016", "since the injury") to the request, taking the latest day the words allow (the span is then
    a lower bound); None when the words name no start before the request."""
    text = " ".join(text.lower().split())
    reference = timeline.request
    start: dt.date | None
    numeric = re.fullmatch(r"since (\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text)
    if numeric:
        start = parse_date("/".join(numeric.groups()))
    elif _SINCE_INJURY.match(text):
        start = timeline.injury
    else:
        m = _SINCE.match(text)
        if not m or not (m.group("season") or m.group("month") or m.group("year")):
            return None
        year = int(m.group("year")) if m.group("year") else None
        month = SEASONS.get(m.group("season") or "") or MONTHS.get(m.group("month") or "")
        if m.group("month") and month is None:
            return None
        if month is None:  # a year alone: its last day
            start = dt.date(year, 12, 31) if year else None
        else:
            if year is None:
                year = reference.year if month <= reference.month else reference.year - 1
            last = calendar.monthrange(year, month)[1]
            start = dt.date(year, month, last) if not m.group("season") else dt.date(year, month, 1)
    if start is None or start >= reference:
        return None
    return float((reference - start).days)


def duration(text: str, unit: str, timeline: Timeline | None = None) -> float | None:
    """A span of time in words or figures ("nine months", "half a year", "a year and a half", "18 months",
    "two (2) years", "for the past six weeks") in `unit` (days, weeks, months, years), rounded to 0.1; with
    the case's timeline, a start too ("since the spring", "since March 2016", "since the injury"); None if
    it is not one."""
    text = re.sub(r"-(?=(?:day|week|month|year)s?\b)", " ", " ".join(text.strip().lower().split()))  # "one-month"
    if text.startswith("since "):
        days = since(text, timeline) if timeline is not None else None
        return None if days is None else round(days / DAYS_PER[unit.rstrip("s")], 1)
    m = _DURATION.match(_LEAD.sub("", text))
    if not m:
        return None
    if m.group("half_of"):
        count = 0.5
    else:
        raw = m.group("n") or "a"
        whole = number(raw)
        if whole is None:
            return None
        count = whole + (0.5 if m.group("and_half") or " and a half " in m.group(0) else 0.0)
    days = count * DAYS_PER[m.group("unit")]
    return round(days / DAYS_PER[unit.rstrip("s")], 1)


def _read_entry(
    pattern: FactPattern,
    patterns: Patterns,
    library: RuleLibrary,
    pool: list[Sentence],
    warnings: list[str],
    label: str,
    region: frozenset[str] | None = None,
    timeline: Timeline | None = None,
) -> dict[str, Any] | None:
    """A fact as the case file holds it ({value, evidence}), typed and validated, or None (left out)."""
    found = _read_fact(pattern, patterns, pool, warnings, label, region, timeline)
    if found is None:
        return None
    value, evidence = found
    value = _typed(library, pattern.fact, value)
    if value_error(library.facts[pattern.fact], value):
        warnings.append(f"{label}{pattern.fact}: read {value!r}, which is not a valid value; left out")
        return None
    return {"value": value, "evidence": [_evidence(s) for s in evidence]}


def _typed(library: RuleLibrary, fact: str, value: Any) -> Any:
    definition = library.facts[fact]
    if definition.type == "integer" and isinstance(value, str):
        found = number(value)
        return value if found is None else found
    if definition.type == "number" and isinstance(value, str):
        found = number(value)
        if found is not None:
            return float(found)
        try:
            return float(value)
        except ValueError:
            return value
    return value


def classify(name: str, patterns: Patterns) -> str | None:
    """The service an item's name asks for (the first matching service pattern), or None."""
    for rule in patterns.requests.services:
        if any(patterns.rx(p).search(name) for p in rule.patterns):
            return rule.service
    return None


def procedure_kind(text: str, patterns: Patterns) -> tuple[str, re.Match[str]] | None:
    for rule in patterns.requests.procedures:
        for p in rule.patterns:
            m = patterns.rx(p).search(text)
            if m:
                return rule.value, m
    return None


def _quantities(name: str, service: str, patterns: Patterns) -> dict[str, int]:
    out: dict[str, int] = {}
    for quantity in patterns.requests.quantities:
        if service not in quantity.services:
            continue
        for qp in quantity.patterns:
            m = patterns.rx(qp.regex).search(name)
            if not m:
                continue
            groups = m.groupdict()
            value: int | None = 1
            if qp.days:
                span = duration(groups.get(qp.value) or "", "days")
                value = None if span is None else round(span)
            for part in [] if qp.days else qp.value.split("*"):
                part = part.strip()
                factor = number(groups[part] or "") if part in groups else number(part)
                value = None if factor is None or value is None else value * factor
            if value is None:
                continue
            out[quantity.fact] = value
            break
    return out


def extract_case(
    letter: Letter, text: str, library: RuleLibrary, patterns: Patterns, only_used: bool = False
) -> dict[str, Any]:
    """The case (as plain data, ready to validate and write) that a letter documents.

    With `only_used`, only the facts the rules governing the letter's services test are read (plus age
    and sex): what `check` needs, several times faster on a large library. A case file for people to review
    reads every fact the patterns know.
    """
    warnings: list[str] = []
    summary = sentences(text, letter.summary_span.start, letter.summary_span.end, "summary")
    rationales = [sentences(text, it.rationale_span.start, it.rationale_span.end, "rationale") for it in letter.items]
    all_rationale = [s for group in rationales for s in group]
    services = [classify(it.item, patterns) for it in letter.items]
    wanted = _facts_used(library, {s for s in services if s is not None}) if only_used else set(library.facts)
    wanted |= {req for p in patterns.facts.facts if p.fact in wanted for req in p.requires}
    wanted |= {part for d in patterns.requests.derived if d.fact in wanted for part in d.sum}

    pairs = zip(letter.items, services, strict=True)
    regions = [item_regions(it.item, service, library, patterns) for it, service in pairs]
    scopes = {r[0] for r in regions if r[0]}
    # items of one region (or none known, or regions that overlap: a lumbar MRI and an EMG of the legs):
    # regional facts are case facts read for the shared regions; else they are read item by item
    common = frozenset.intersection(*scopes) if scopes else frozenset()
    letter_region = common or None
    several = bool(scopes) and not common
    per_item: dict[str, FactPattern] = {}

    regional_facts: dict[int, dict[str, Any]] = {}
    dates = _dates(letter, summary, patterns)
    asked = dates.get("request") or dates.get("ur_decision")
    timeline = (
        Timeline(dt.date.fromisoformat(asked), dt.date.fromisoformat(dates["injury"]) if "injury" in dates else None)
        if asked
        else None
    )
    facts: dict[str, Any] = {}
    pools: dict[tuple[bool, bool], _Pool] = {}
    for pattern in patterns.facts.facts:
        definition = library.facts.get(pattern.fact)
        if definition is None:
            raise RuleLibraryError(f"extraction pattern for undeclared fact '{pattern.fact}'", location(EXTRACTION_DIR))
        if definition.scope != "case" or pattern.fact not in wanted:
            continue
        if any(facts.get(req, {}).get("value") is not True for req in pattern.requires):
            continue
        where = ("summary" in pattern.sections, "rationale" in pattern.sections)
        pool = pools.get(where)
        if pool is None:
            pool = pools[where] = _Pool((summary if where[0] else []) + (all_rationale if where[1] else []))
        if definition.regional and several and not pattern.requires:
            per_item[pattern.fact] = pattern
            continue
        region = letter_region if definition.regional else None
        entry = _read_entry(pattern, patterns, library, pool, warnings, "", region, timeline)
        if entry is not None:
            facts[pattern.fact] = entry
    for name, pattern in per_item.items():
        where = ("summary" in pattern.sections, "rationale" in pattern.sections)
        users = [i for i, service in enumerate(services) if service and name in _facts_used(library, {service})]
        reads = {
            i: _read_entry(pattern, patterns, library, pools[where], warnings, "", regions[i][0] or None, timeline)
            for i in users
        }
        values = {repr(entry["value"]) if entry else None for entry in reads.values()}
        if len(values) <= 1:
            # every item that tests it reads the same (or none tests it): one case fact, as for one region
            first = next((entry for entry in reads.values() if entry), None)
            entry = (
                first if users else _read_entry(pattern, patterns, library, pools[where], warnings, "", None, timeline)
            )
            if entry is not None:
                facts[name] = entry
            continue
        for index, entry in reads.items():  # the regions disagree: each item states its own
            if entry is not None:
                regional_facts.setdefault(index, {})[name] = entry

    if "acute_phase" in wanted and "acute_phase" in library.facts:
        _phase_from_dates(text, dates, facts, warnings)
    if "weeks_since_injury" in wanted and "weeks_since_injury" in library.facts:
        _weeks_from_dates(text, dates, facts)
    items = _items(letter, text, library, patterns, services, summary, rationales, warnings, facts, wanted)
    diagnosed = _body_from_diagnoses(summary, patterns) if "body_region" in library.facts else None
    for index, item in enumerate(items):
        body = regions[index][1]
        extra = dict(regional_facts.get(index, {}))
        if body is not None:
            named = _name_sentence(text, item["item"], letter.items[index].heading_span.start)
            extra["body_region"] = {"value": body, "evidence": [_evidence(named)]}
        elif diagnosed and not regions[index][0] and _regionless(services[index], library, "requested_visits"):
            # "Occupational therapy for six sessions" names no region: the diagnoses name one
            extra["body_region"] = {"value": diagnosed[0], "evidence": [_evidence(diagnosed[1])]}
        if extra:
            item["facts"] = {**item.get("facts", {}), **extra}
    return {
        "case": (
            letter.header.case_number if letter.header and letter.header.case_number else Path(letter.source).stem
        ),
        "letter": letter.source,
        "extracted": True,
        "extraction": {
            "tool": f"imr-rules {__version__} (patterns {patterns.digest[:12]})",
            "letter_digest": letter.text_digest,
            "layout": letter.layout,
            "warnings": warnings,
        },
        "dates": dates,
        "facts": facts,
        "items": items,
    }


def item_regions(
    name: str, service: str | None, library: RuleLibrary, patterns: Patterns
) -> tuple[frozenset[str], str | None]:
    """The body regions an item concerns, and its `body_region` fact (or None).

    A service of one region (services.yaml `region`) concerns that region; a dependent service its
    primary's (not scoped); any other item the regions its name names ("PT for the right shoulder x8" ->
    shoulder). The body_region fact is written for those
    other items when their name names exactly one body region. Empty set: unknown (every finding counts).
    """
    definition = library.services.get(service) if service is not None else None
    if definition is not None and definition.region is not None:
        return frozenset({definition.region}), None
    if definition is not None and definition.depends_on_primary:
        return frozenset(), None  # of its primary's region ("Associated surgical service: hip pad")
    named = patterns.regions.named(name)
    if not named:
        return frozenset(), None
    spans = frozenset().union(*(r for _, r in named))
    bodies = {patterns.regions.lexicon.regions[group].body_region for group, _ in named}
    body = next(iter(bodies)) if len(bodies) == 1 else None
    if body is not None and "body_region" in library.facts:
        return spans, body
    return spans, None


_DIAGNOSES = re.compile(r"\bdiagnos(?:is|es|ed)\b", re.IGNORECASE)


def _body_from_diagnoses(summary: list[Sentence], patterns: Patterns) -> tuple[str, Sentence] | None:
    """The one body region the summary's diagnosis sentences name (with the first such sentence), or None
    when they name none or several ("lumbar strain and right shoulder impingement" decides nothing)."""
    bodies: set[str] = set()
    first: Sentence | None = None
    for sentence in summary:
        if not _DIAGNOSES.search(sentence.text) or patterns.context.skipped(sentence.text):
            continue
        named = patterns.regions.named(sentence.text)
        found = {b for group, _ in named if (b := patterns.regions.lexicon.regions[group].body_region) is not None}
        if found and first is None:
            first = sentence
        bodies |= found
    if len(bodies) != 1 or first is None:
        return None
    return next(iter(bodies)), first


def _regionless(service: str | None, library: RuleLibrary, fact: str) -> bool:
    """A known service of no region of its own, depending on no primary, whose rules test `fact`: with
    "requested_visits", a course of visits (therapy, chiropractic, acupuncture), which treats a body region
    as a drug or a urine test does not."""
    definition = library.services.get(service) if service is not None else None
    if service is None or definition is None or definition.region is not None or definition.depends_on_primary:
        return False
    return fact in _facts_used(library, {service})


ALWAYS_READ = frozenset({"age", "sex"})  # identify the patient in every case file


def _facts_used(library: RuleLibrary, services: set[str]) -> set[str]:
    """The case facts the rules governing these services test (plus ALWAYS_READ): reading only these
    keeps extraction proportional to what the letter disputes, not to the size of the library. Facts a
    needed pattern `requires` are read too."""
    key = (library.digest, frozenset(services))
    found = _FACTS_USED.get(key)
    if found is None:
        found = set(ALWAYS_READ)
        for service in services:
            for rule in library.rules_for_service(service) + [
                lr.rule for lr in library.rules if lr.rule.governs_every_service
            ]:
                found.update(node.fact for node in rule.criteria.walk() if isinstance(node, FactCriterion))
                if rule.phase is not None:  # routing reads the phase to choose between guidelines
                    found.add("acute_phase")
        _FACTS_USED[key] = found
    return found


_FACTS_USED: dict[tuple[str, frozenset[str]], set[str]] = {}


def _dates(letter: Letter, summary: list[Sentence], patterns: Patterns) -> dict[str, str]:
    out: dict[str, str] = {}
    header = letter.header
    if header is not None:
        for key, value in (
            ("injury", header.date_of_injury),
            ("ur_decision", header.ur_denial_date),
            ("imr_decision", header.decision_date),
        ):
            if value is not None:
                out[key] = value.isoformat()
    for key, regexes in patterns.facts.dates.items():
        if key in out:
            continue
        for sentence in summary:
            found = None
            for regex in regexes:
                m = patterns.rx(regex).search(sentence.text)
                if m and (day := parse_date(m.group("date"))) is not None:
                    found = day
                    break
            if found:
                out[key] = found.isoformat()
                break
    return out


ACUTE_DAYS = 90  # ACOEM 2004: the acute and subacute period, symptoms under about three months


def _phase_from_dates(text: str, dates: dict[str, str], facts: dict[str, Any], warnings: list[str]) -> None:
    """acute_phase from the injury date and the request's (UR's) date: under ACUTE_DAYS apart is the acute
    period. Marked inferred (a flare of an old injury is acute again), with the letter's lines stating both
    dates as evidence; where the letter's words say otherwise the fact is left out with a warning."""
    if "injury" not in dates or not (dates.get("request") or dates.get("ur_decision")):
        return
    injury = dt.date.fromisoformat(dates["injury"])
    asked = dt.date.fromisoformat(dates.get("request") or dates["ur_decision"])
    if asked < injury:
        return
    acute = (asked - injury).days < ACUTE_DAYS
    evidence = [ev for day in (injury, asked) if (ev := _date_line(text, day)) is not None]
    if len(evidence) < 2:
        return  # the dates cannot be shown in the letter's own text
    read = facts.get("acute_phase")
    if read is None:
        facts["acute_phase"] = {"value": acute, "evidence": evidence, "inferred": True}
    elif read["value"] is not acute:
        del facts["acute_phase"]
        warnings.append(
            f"acute_phase: the letter's words say {read['value']!r} but the injury ({injury}) and request "
            f"({asked}) dates are {(asked - injury).days} days apart; left out"
        )


def _weeks_from_dates(text: str, dates: dict[str, str], facts: dict[str, Any]) -> None:
    """weeks_since_injury from the injury date and the request's (UR's) date, to a tenth of a week, marked
    inferred (a flare of an old injury restarts the count), with the lines stating both dates as evidence."""
    if "injury" not in dates or not (dates.get("request") or dates.get("ur_decision")):
        return
    injury = dt.date.fromisoformat(dates["injury"])
    asked = dt.date.fromisoformat(dates.get("request") or dates["ur_decision"])
    evidence = [ev for day in (injury, asked) if (ev := _date_line(text, day)) is not None]
    if asked >= injury and len(evidence) == 2 and "weeks_since_injury" not in facts:
        facts["weeks_since_injury"] = {
            "value": round((asked - injury).days / 7, 1),
            "evidence": evidence,
            "inferred": True,
        }


def _date_line(text: str, day: dt.date) -> dict[str, Any] | None:
    """The first line of the letter that writes this date (as 01/02/2016, 1/2/2016, 01-02-2016, 01/02/16 or
    January 2, 2016), as evidence with its offsets."""
    forms = {
        day.strftime("%m/%d/%Y"),
        f"{day.month}/{day.day}/{day.year}",
        day.strftime("%m-%d-%Y"),
        day.strftime("%m/%d/%y"),
        f"{day.strftime('%B')} {day.day}, {day.year}",
    }
    found = [i for i in (text.find(f) for f in forms) if i >= 0]
    if not found:
        return None
    at = min(found)
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    line = " ".join(text[start:end].split())
    lead = len(text[start:end]) - len(text[start:end].lstrip())
    return {"quote": line, "start": start + lead, "end": start + len(text[start:end].rstrip()), "section": "header"}


def _items(
    letter: Letter,
    text: str,
    library: RuleLibrary,
    patterns: Patterns,
    services: list[str | None],
    summary: list[Sentence],
    rationales: list[list[Sentence]],
    warnings: list[str],
    case_facts: dict[str, Any],
    wanted: set[str],
) -> list[dict[str, Any]]:
    primary_items = [i for i, s in enumerate(services) if s is not None]
    items: list[dict[str, Any]] = []
    for index, (it, service) in enumerate(zip(letter.items, services, strict=True)):
        entry: dict[str, Any] = {"item": it.item}
        if service is None:
            warnings.append(f"item '{it.item}': not classified as a service the rules know")
        else:
            entry["service"] = service
        entry["decision"] = it.decision
        item_facts: dict[str, Any] = {}
        name_sentence = _name_sentence(text, it.item, it.heading_span.start)
        if service is not None:
            # after a UR modification IMR judges the remainder against the original request's size
            asked = it.original_request or it.item
            asked_sentence = (
                _name_sentence(text, asked, it.heading_span.start) if it.original_request else name_sentence
            )
            for fact, value in _quantities(asked, service, patterns).items():
                item_facts[fact] = {"value": value, "evidence": [_evidence(asked_sentence)]}
        own = rationales[index]
        pool_by_section = {
            "summary": summary,
            "item_name": [name_sentence],
            "item_rationale": [Sentence(s.text, s.start, s.end, "item_rationale") for s in own],
        }
        item_pools: dict[tuple[str, ...], _Pool] = {}
        for pattern in patterns.facts.facts:
            definition = library.facts.get(pattern.fact)
            if definition is None or definition.scope != "item" or pattern.fact not in wanted:
                continue
            sections = tuple(pattern.sections)
            pool = item_pools.get(sections)
            if pool is None:
                pool = item_pools[sections] = _Pool(
                    s for sec in sections if sec in pool_by_section for s in pool_by_section[sec]
                )
            read = _read_entry(pattern, patterns, library, pool, warnings, f"item '{it.item}': ")
            if read is not None:
                item_facts[pattern.fact] = read
        if service is not None and library.services[service].depends_on_primary:
            allowed = set(patterns.requests.primary.by_service.get(service, patterns.requests.primary.services))
            candidates = [i for i in primary_items if services[i] in allowed]
            _link_primary(text, entry, item_facts, index, letter, patterns, candidates, summary, own)
        if service is not None:
            _visits_from_history(it.item, item_facts, service, patterns, summary, own, warnings)
            _course_from_history(item_facts, service, patterns, summary, own)
            if "medication_previously_used" in wanted:
                _medication_status(it.item, item_facts, service, patterns, summary, own, warnings)
        _derive(item_facts, case_facts, patterns)
        if item_facts:
            entry["facts"] = item_facts
        items.append(entry)
    return items


@functools.lru_cache(maxsize=64)
def _any_of(words: tuple[str, ...]) -> re.Pattern[str] | None:
    return _alternation(words)


def _visit_patterns(patterns: Patterns, service: str, listed: bool) -> list[tuple[re.Pattern[str], str]]:
    """The visit-count patterns of requests.yaml `history` for one therapy, placeholders filled, compiled
    (with each pattern's value expression); none when the service is not a therapy the history names."""
    rules = patterns.requests.history
    if rules is None or rules.visit_words is None or service not in rules.therapies:
        return []
    words = rules.visit_words
    therapy = "(?:" + "|".join(rules.therapies[service]) + ")"
    out = []
    for qp in rules.listed_visits if listed else rules.visits:
        regex = qp.regex.replace("{visits_of_therapy}", words.visits_of_therapy).replace("{had}", words.had)
        regex = regex.replace("{unit}", words.unit).replace("{therapy}", therapy)
        out.append((patterns.rx(regex), qp.value))
    return out


def _visits_value(m: re.Match[str], value: str) -> int | None:
    """A visit-count pattern's value: a named group, or a product of named groups ('a*b')."""
    total = 1
    for part in value.split("*"):
        factor = number(m.group(part.strip()) or "")
        if factor is None:
            return None
        total *= factor
    return total


def _visits_from_history(
    name: str,
    item_facts: dict[str, Any],
    service: str,
    patterns: Patterns,
    summary: list[Sentence],
    own: list[Sentence],
    warnings: list[str],
) -> None:
    """prior_visits_completed for a course of therapy, when the item's own patterns did not read it: a
    count of that therapy's visits with a cue of having had them, from the item's rationale, else from the
    summary (requests.yaml `history.visits`; in a treatment-history list, `listed_visits`). A restated
    guideline or UR's reasons are skipped; a negated or hedged count is not read; counts that disagree in
    the same part leave the fact out with a warning. A count read also documents a prior course
    (prior_course_completed true) when nothing else said whether one was had."""
    if "prior_visits_completed" in item_facts:
        return
    cued, listed = _visit_patterns(patterns, service, False), _visit_patterns(patterns, service, True)
    rules = patterns.requests.history
    if not cued or rules is None:
        return
    ctx = patterns.context
    heads = _any_of(tuple(rules.lists))
    words = rules.visit_words
    same_request = patterns.rx(words.same_request) if words is not None and words.same_request else None
    for part in (own, summary):
        found: dict[int, list[Sentence]] = {}
        for sentence in part:
            head = heads.search(sentence.text) if heads is not None else None
            tries = [(rx, value, 0) for rx, value in cued]
            if head is not None:
                tries += [(rx, value, head.end()) for rx, value in listed]
            for rx, value, start in tries:
                for m in rx.finditer(sentence.text, start):
                    count = _visits_value(m, value)
                    at = m.start(value.split("*")[0].strip())
                    if count is None or count == 0 or ctx.skipped(sentence.text, at):
                        continue
                    if same_request is not None and same_request.search(sentence.text[m.end() :]):
                        continue
                    if ctx.assertion(sentence.text, at, m.end()) != "present":
                        continue
                    if sentence not in found.setdefault(count, []):
                        found[count].append(sentence)
        if len(found) > 1:
            counts = ", ".join(str(c) for c in sorted(found))
            warnings.append(f"item '{name}': prior_visits_completed: counts disagree ({counts}), left out")
            return
        for count, where in found.items():
            evidence = [_evidence(s) for s in where]
            item_facts["prior_visits_completed"] = {"value": count, "evidence": evidence}
            if "prior_course_completed" not in item_facts:
                item_facts["prior_course_completed"] = {"value": True, "evidence": [dict(e) for e in evidence]}
            return


def _course_from_history(
    item_facts: dict[str, Any], service: str, patterns: Patterns, summary: list[Sentence], own: list[Sentence]
) -> None:
    """prior_course_completed from the summary, when the item's own name and rationale do not say it.

    Stated: a treatment-history list naming the therapy, or another summary sentence naming it with a word
    of having had it ("attended", "previous", "additional"), gives true; the same negated ("no prior
    physical therapy") gives false. Inferred: a list that does not name the therapy, in a letter that
    mentions it (or an unclear "therapy") as had nowhere else in the summary or the item's rationale,
    gives false, marked inferred, the list sentences as evidence.
    """
    rules = patterns.requests.history
    if rules is None or service not in rules.therapies or "prior_course_completed" in item_facts:
        return
    ctx = patterns.context
    names, unclear = _any_of(tuple(rules.therapies[service])), _any_of(tuple(rules.unclear))
    heads, request = _any_of(tuple(rules.lists)), _any_of(tuple(rules.request_words))
    past = _any_of(tuple(rules.past_words))
    if names is None:
        return

    def about_request(sentence: Sentence) -> bool:
        return request is not None and request.search(sentence.text) is not None

    def statuses(rx: re.Pattern[str] | None, sentence: Sentence, start: int = 0) -> set[str]:
        if rx is None:
            return set()
        return {
            ctx.assertion(sentence.text, m.start(), m.end())
            for m in rx.finditer(sentence.text, start)
            if not ctx.skipped(sentence.text, m.start())
        }

    lists: list[tuple[Sentence, int]] = []
    for sentence in summary:
        head = heads.search(sentence.text) if heads is not None else None
        if head is not None and not ctx.skipped(sentence.text) and not about_request(sentence):
            lists.append((sentence, head.end()))
    stated: dict[bool, list[Sentence]] = {True: [], False: []}
    for sentence, after in lists:
        named = statuses(names, sentence, after)
        if "present" in named:
            stated[True].append(sentence)
        elif "absent" in named:
            stated[False].append(sentence)
    listed = {id(sentence) for sentence, _ in lists}
    for sentence in summary:
        if id(sentence) in listed or about_request(sentence) or past is None or not past.search(sentence.text):
            continue
        named = statuses(names, sentence)
        if "present" in named:
            stated[True].append(sentence)
        elif "absent" in named:
            stated[False].append(sentence)
    for value in (True, False):
        if stated[value] and not stated[not value]:
            item_facts["prior_course_completed"] = {"value": value, "evidence": [_evidence(s) for s in stated[value]]}
            return
    if stated[True] or not lists:
        return  # contradictory, or no list to infer from
    for sentence, after in lists:
        if "present" in statuses(unclear, sentence, after):
            return  # "therapy" unqualified: which one is not said
    outcome = _any_of(tuple(rules.outcome_words))
    for sentence in [*summary, *own]:
        if id(sentence) in listed:
            continue
        if sentence.section == "summary" and outcome is not None and names.search(sentence.text):
            said = outcome.search(sentence.text)
            if said and ctx.skipped(sentence.text, said.start()) in (None, "reported decision"):
                # the summary (a decision it reports included) speaks of a course's outcome: one was had.
                # Not the rationale: its "initial trial" is often the part of this request UR certified.
                return
        if about_request(sentence):
            continue
        if "present" in statuses(names, sentence) | statuses(unclear, sentence):
            return  # mentioned as had (or at least not as absent) outside the list
    item_facts["prior_course_completed"] = {
        "value": False,
        "evidence": [_evidence(sentence) for sentence, _ in lists],
        "inferred": True,
    }


def drug_word(name: str, service: str, patterns: Patterns) -> str | None:
    """The word of an item's name that classified it as this medication service ("Flexeril" in "Flexeril
    7.5mg #60"), or None when the match is not one drug name."""
    for rule in patterns.requests.services:
        if rule.service != service:
            continue
        for p in rule.patterns:
            m = patterns.rx(p).search(name)
            if m and re.fullmatch(r"[A-Za-z][A-Za-z-]{3,}", m.group(0)):
                return m.group(0)
    return None


def _medication_status(
    name: str,
    item_facts: dict[str, Any],
    service: str,
    patterns: Patterns,
    summary: list[Sentence],
    own: list[Sentence],
    warnings: list[str],
) -> None:
    """medication_previously_used from the summary for the item's drug, when the item does not say it;
    else false, inferred, from a current medication list that names other drugs but not this one."""
    rules = patterns.requests.medication
    if rules is None or service not in rules.services or "medication_previously_used" in item_facts:
        return
    drug = drug_word(name, service, patterns)
    if drug is None:
        return
    names = next((group for group in rules.same_drug if drug.lower() in (n.lower() for n in group)), [drug])
    word = "(?:" + "|".join(re.escape(n) for n in names) + r")\b"
    found: dict[bool, list[Sentence]] = {True: [], False: []}
    for value, group in ((True, rules.continuing), (False, rules.new)):
        for p in group:
            rx = patterns.rx(p.replace("{drug}", word))
            for sentence in summary:
                for m in rx.finditer(sentence.text):
                    if patterns.context.skipped(sentence.text, m.start()):
                        continue
                    named = re.search(word, m.group(0), re.IGNORECASE)  # the drug's own words in the match
                    at, end = (m.start() + named.start(), m.start() + named.end()) if named else (m.start(), m.end())
                    if patterns.context.assertion(sentence.text, at, end) != "present":
                        continue
                    if sentence not in found[value]:
                        found[value].append(sentence)
    if found[True] and found[False]:
        quotes = "; ".join(f'"{s.text}"' for s in (found[True][0], found[False][0]))
        warnings.append(
            f"item '{name}': medication_previously_used: new and continuing both stated, left out ({quotes})"
        )
        return
    for value in (True, False):
        if found[value]:
            item_facts["medication_previously_used"] = {
                "value": value,
                "evidence": [_evidence(s) for s in found[value]],
            }
            return
    listed = _medication_lists_without(word, patterns, summary, own)
    if listed:
        item_facts["medication_previously_used"] = {
            "value": False,
            "evidence": [_evidence(s) for s in listed],
            "inferred": True,
        }


def _medication_lists_without(
    word: str, patterns: Patterns, summary: list[Sentence], own: list[Sentence]
) -> list[Sentence]:
    """The summary's current medication lists when they name drugs but not this one (`word`: the drug's
    names as a pattern) nor a class or "other" medications that could cover it, and the drug is named
    outside a request, a decision or a guideline nowhere in the summary or the item's rationale; else none."""
    rules = patterns.requests.medication
    if rules is None or not rules.lists:
        return []
    heads, unclear = [patterns.rx(p) for p in rules.lists], _any_of(tuple(rules.unclear))
    request = _any_of(tuple(rules.decision_words))
    drug = re.compile(word, re.IGNORECASE)
    ctx = patterns.context
    lists: list[Sentence] = []
    for sentence in summary:
        head = next((m for rx in heads if (m := rx.search(sentence.text)) is not None), None)
        if head is None or ctx.skipped(sentence.text, head.start()):
            continue
        if ctx.assertion(sentence.text, head.start(), head.end()) != "present":
            continue
        rest = sentence.text[head.end() :]
        if drug.search(rest) or (unclear is not None and unclear.search(rest)):
            return []  # the list names the drug, or may cover it
        lists.append(sentence)
    if not lists:
        return []
    for sentence in [*summary, *own]:
        if sentence in lists or (request is not None and request.search(sentence.text)):
            continue
        if ctx.skipped(sentence.text):
            continue
        if drug.search(sentence.text):
            return []  # named elsewhere: whether it is taken is for a person to read
    return lists


def _derive(item_facts: dict[str, Any], case_facts: dict[str, Any], patterns: Patterns) -> None:
    """Item facts computed from facts already read (a sum), with the evidence of every part."""
    for rule in patterns.requests.derived:
        parts: list[dict[str, Any] | None] = []
        for name in rule.sum:
            part = item_facts.get(name) or case_facts.get(name)
            flag = rule.zero_when_false.get(name)
            if part is None and flag is not None:
                given = item_facts.get(flag) or case_facts.get(flag)
                if given is not None and given["value"] is False:
                    part = {**given, "value": 0}  # e.g. no prior course: no visits completed
            parts.append(part)
        if rule.fact in item_facts or any(p is None or not isinstance(p["value"], (int, float)) for p in parts):
            continue
        evidence: list[dict[str, Any]] = []
        for part in parts:
            assert part is not None
            evidence.extend(dict(e) for e in part["evidence"] if e not in evidence)  # copies: no YAML anchors
        total: dict[str, Any] = {"value": sum(p["value"] for p in parts if p is not None), "evidence": evidence}
        if any(p is not None and p.get("inferred") for p in parts):
            total["inferred"] = True  # a sum of an inferred part is inferred too
        item_facts[rule.fact] = total


def _name_sentence(text: str, name: str, start: int) -> Sentence:
    """The item's name as evidence: its offsets in the heading, which may wrap over lines."""
    pos = start
    for ch in name:
        if ch.isspace():
            continue
        found = text.find(ch, pos)
        if found < 0:
            break
        pos = found + 1
    return Sentence(name, start, pos, "item_name")


_CLAUSE = re.compile(r";|,? \b(?:but|while|whereas|however|although)\b", re.IGNORECASE)


def _link_primary(
    letter_text: str,
    entry: dict[str, Any],
    item_facts: dict[str, Any],
    index: int,
    letter: Letter,
    patterns: Patterns,
    primary_items: list[int],
    summary: list[Sentence],
    own: list[Sentence],
) -> None:
    """A dependent item's primary: a procedure item of the same letter, else one the text names."""
    others = [i for i in primary_items if i != index]
    if others:
        primary = letter.items[others[0]]
        entry["primary"] = primary.item
        kind = procedure_kind(primary.item, patterns)
        if kind is not None:
            span = _name_sentence(letter_text, primary.item, primary.heading_span.start)
            item_facts["primary_procedure"] = {"value": kind[0], "evidence": [_evidence(span)]}
        return
    rules = patterns.requests.primary
    mention = _alternation(rules.mention)
    planned = _alternation(rules.planned)
    status: tuple[str, Sentence] | None = None
    for sentence in [*own, *summary]:
        if mention is None or not mention.search(sentence.text):
            continue
        for clause in _CLAUSE.split(sentence.text):
            if not mention.search(clause):
                continue  # a status in another clause is another item's ("the PT was denied; the surgery ...")
            for candidate in rules.statuses:
                if any(patterns.rx(p).search(clause) for p in candidate.patterns):
                    status = (candidate.value, sentence)
                    break
            if status:
                break
        if status:
            break
    named: tuple[str, str, Sentence] | None = None
    candidates: list[tuple[Sentence, int]] = [(status[1], 0)] if status else []
    for sentence in summary:
        trigger = planned.search(sentence.text) if planned else None
        if trigger and not patterns.context.skipped(sentence.text):
            candidates.append((sentence, trigger.end()))  # the procedure planned comes after the trigger
    for sentence, after in candidates:
        kind = procedure_kind(sentence.text[after:], patterns)
        if kind is None:
            continue
        value, m = kind
        at = after + m.start()
        head = sentence.text[max(0, at - 60) : at]
        lead = re.search(r"(?:[\w-]+\s+){0,3}$", head)
        tail = re.match(r"[\w-]*(?:\s+surgery)?", sentence.text[at + len(m.group(0)) :])
        phrase = (lead.group(0) if lead else "") + m.group(0) + (tail.group(0) if tail else "")
        named = (value, phrase.strip(), sentence)
        break
    if named is not None:
        entry["primary"] = re.sub(r"^(?:a|an|the|to|with|have)\s+", "", named[1], flags=re.IGNORECASE)
        item_facts["primary_procedure"] = {"value": named[0], "evidence": [_evidence(named[2])]}
    if status is not None:
        item_facts["primary_status"] = {"value": status[0], "evidence": [_evidence(status[1])]}
        entry.setdefault("primary", "the primary procedure")


def extract(letter_path: str | Path, library: RuleLibrary, patterns: Patterns | None = None) -> dict[str, Any]:
    """Read a letter file (text, PDF, or "-" for standard input) and return the case data; the caller
    validates it with the case model. Evidence offsets point into the text as given (a PDF's: as
    extracted); the case records the PDF's sha256 when the letter was one."""
    from .sources import read_letter_source

    source = read_letter_source(letter_path)
    name = source.name if str(letter_path) == "-" else str(letter_path)
    return extract_text(source.text, name, library, patterns or load_patterns(library.root), source.pdf_digest)


def extract_text(
    text: str,
    name: str,
    library: RuleLibrary,
    patterns: Patterns,
    pdf_digest: str | None = None,
    only_used: bool = False,
) -> dict[str, Any]:
    """The case data of a letter given as text: normalised for reading (`imr_rules.text`), evidence
    offsets mapped back into `text`. `name` is the letter's path as the case file records it."""
    from .letter import parse_normalised

    norm = normalise(text)
    return extract_normalised(parse_normalised(norm, name), norm, library, patterns, pdf_digest, only_used)


def extract_normalised(
    letter: Letter,
    norm: Normalised,
    library: RuleLibrary,
    patterns: Patterns,
    pdf_digest: str | None = None,
    only_used: bool = False,
) -> dict[str, Any]:
    """`extract_case` on a letter read from `norm.text`, with its evidence offsets mapped into
    `norm.original` and the PDF's digest recorded (`extraction.pdf_digest`) when there was one."""
    data = extract_case(letter, norm.text, library, patterns, only_used=only_used)
    remap_evidence(data, norm)
    if pdf_digest is not None:
        data["extraction"]["pdf_digest"] = pdf_digest
    return data
