"""Reading one fact from a pool of sentences: its value and evidence, or nothing when not documented.

A fact pattern's targets are matched in each sentence (cheaply prefiltered by their required literals);
each mention is asserted, negated or left out by `reading.context`; mentions that disagree leave the fact
out with a warning: nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from imr_rules.library.loading import RuleLibrary, value_error
from imr_rules.models import FactCriterion
from imr_rules.models.extracted import ReadEvidence, ReadFact
from imr_rules.models.extraction import FactPattern
from imr_rules.reading import prefilter
from imr_rules.reading.context import Context
from imr_rules.reading.patterns import Patterns
from imr_rules.reading.quantities import Timeline, duration, months_listed, number
from imr_rules.reading.sentences import Sentence


class Pool(list[Sentence]):
    """The sentences facts are read from, built once per letter (or item) and section set, so that the
    literals each sentence holds are looked up once per pool rather than once per fact read from it.

    `home`: the body regions of the item whose rationale holds a sentence (by its start offset): a mention
    in item B's rationale that names no region is about B's regions, not any item's ("no red flags were
    noted on examination" under the lumbar X-ray does not decide the shoulder X-ray)."""

    literals: tuple[Any, list[frozenset[str]], frozenset[str]] | None = None
    home: dict[int, frozenset[str]] | None = None


def _literals(pool: list[Sentence], patterns: Patterns) -> tuple[list[frozenset[str]], frozenset[str]]:
    """The prefilter literals of each sentence of the pool, and of the pool as a whole."""
    if isinstance(pool, Pool) and pool.literals is not None and pool.literals[0] is patterns._index:
        return pool.literals[1], pool.literals[2]
    present = [patterns.literals_in(sentence) for sentence in pool]
    everywhere = frozenset().union(*present)
    if isinstance(pool, Pool):
        pool.literals = (patterns._index, present, everywhere)  # valid while the literal index is the same
    return present, everywhere


# --- extraction ----------------------------------------------------------------------------------------


@dataclass
class _Mention:
    value: Any
    sentence: Sentence
    words: str = ""  # the words the pattern matched, so a warning can say which gave which value
    # the reviewer's own denial: a `verdict_targets` mention negated in the rationale ("physical exam of the
    # lumbar spine revealed no evidence of nerve compromise")
    reviewer_denial: bool = False


def _disagreeing(mentions: list[_Mention]) -> str:
    """Mentions that disagree, for a warning: each sentence once, then which of its words read which
    value ('"The exam ..." ("no weakness" -> False, "weak grip" -> True)'); at most four sentences."""
    by_sentence: dict[Sentence, list[_Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    shown = []
    for sentence, found in list(by_sentence.items())[:4]:
        reads = ", ".join(dict.fromkeys(f'"{m.words.strip()}" -> {m.value!r}' for m in found))
        shown.append(f'"{sentence.text}" ({reads})')
    return "; ".join(shown)


def evidence_of(sentence: Sentence) -> ReadEvidence:
    """The sentence as a fact's evidence: its text, offsets and section."""
    return ReadEvidence(quote=sentence.text, start=sentence.start, end=sentence.end, section=sentence.section)


def read_fact(
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
    if pattern.members and pattern.every_member:
        if pattern.targets or pattern.absent_targets:
            # the parts named together in one sentence first ("pain 8/10 to 4/10, no side effects, no aberrant
            # behaviour"), else each part in its own sentence (labelled lines: "Analgesia: ...", "Adverse
            # effects: none", "Aberrant behaviour: none")
            found = _read_value(
                pattern, pattern.targets, pattern.absent_targets, patterns, pool, warnings, scope_label, region
            )
            if found is not None:
                return found
        return _read_every(pattern, patterns, pool, warnings, scope_label, region)
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
        pattern.verdict_targets,
    )


def _read_list(
    pattern: FactPattern,
    patterns: Patterns,
    pool: list[Sentence],
    warnings: list[str],
    scope_label: str,
    region: frozenset[str] | None = None,
) -> tuple[Any, list[Sentence]] | None:
    """A list fact: the members mentioned as present; [] when every member mention is negated, or when the
    pattern's own `targets` (the thing named with no member: "no prior MRI") are negated and no member is
    present. A present mention naming no member says nothing of which member, and is not read."""
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
    if pattern.targets:
        found = _read_value(
            pattern.model_copy(update={"present": None, "absent": False, "capture": False}),
            pattern.targets,
            [],
            patterns,
            pool,
            warnings,
            f"{scope_label}{pattern.fact} (none named): ",
            region,
        )
        if found is not None:
            negated = True
            evidence.extend(s for s in found[1] if s not in evidence)
    if negated:
        return [], evidence
    return None


def _read_every(
    pattern: FactPattern,
    patterns: Patterns,
    pool: list[Sentence],
    warnings: list[str],
    scope_label: str,
    region: frozenset[str] | None = None,
) -> tuple[Any, list[Sentence]] | None:
    """A boolean fact made of parts (`every_member`): true with every member documented present (the
    evidence of each), false when one is documented absent (its evidence), else not documented."""
    done: list[Sentence] = []
    missing: list[Sentence] = []
    complete = True
    for member, targets in pattern.members.items():
        found = _read_value(
            pattern.model_copy(update={"present": True, "absent": False, "capture": False}),
            targets,
            pattern.absent_members.get(member, []),
            patterns,
            pool,
            warnings,
            f"{scope_label}{pattern.fact} ({member}): ",
            region,
        )
        if found is None:
            complete = False
            continue
        value, sentences_ = found
        evidence = done if value is True else missing
        evidence.extend(s for s in sentences_ if s not in evidence)
    if missing:
        return False, missing
    return (True, done) if complete else None


_NO_TARGETS: list[str] = []
# the sections holding the reviewer's own words (a rationale), where "no documentation of" is a finding
_REVIEWER_SECTIONS = frozenset({"rationale", "item_rationale"})
# a mention that states its own negation: an outcome of care ("did not help", "no relief", "none of which")
_OWN_NEGATION = re.compile(r"\b(?:not|no|without|none|never|nothing)\b", re.IGNORECASE)


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
    verdict_targets: list[str] | None = None,
) -> tuple[Any, list[Sentence]] | None:
    """Read one fact from `pool`. `sign_targets` (facts.yaml `sign_targets`) are read when present only;
    `verdict_targets` as targets, and denied in the reviewer's rationale they are not outvoted by a sign."""
    ctx = patterns.context
    scoped = bool(region)
    home = pool.home if isinstance(pool, Pool) else None
    mentions: list[_Mention] = []
    disputed: list[_Mention] = []  # a judgement's mentions the reviewer's rationale calls undocumented
    targets = patterns.targets(targets_present, targets_absent)
    signs: frozenset[str] = frozenset()
    if sign_targets:
        signs = frozenset(sign_targets)
        targets = targets + patterns.targets(sign_targets, _NO_TARGETS)
    verdicts: frozenset[str] = frozenset()
    if verdict_targets:
        verdicts = frozenset(verdict_targets)
        targets = targets + patterns.targets(verdict_targets, _NO_TARGETS)
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
                skip = None if named else ctx.skipped(sentence.text, m.start())
                if skip == "reported decision" and pattern.in_decisions:
                    skip = _without_conclusion(ctx, sentence.text, m.start())
                if skip is not None:
                    continue  # the sentence reports a decision, or the clause restates a guideline
                if pattern.observed and not named and ctx.complained(sentence.text, m.start()):
                    continue  # the patient's complaint, not an examination or imaging finding
                if pattern.care_had and not named and ctx.requested(sentence.text, m.start(), m.end()):
                    continue  # what is requested or planned, not care had
                if scoped and region is not None:
                    where = patterns.regions.of_mention(sentence.text, m.start(), m.end())
                    if not where and home:
                        where = home.get(sentence.start, where)  # the regions of the item it is written under
                    if where and not where & region:
                        continue  # a finding about another body region
                status = (
                    "present"
                    if sentence.section == "item_name"
                    else ctx.assertion(sentence.text, m.start(), m.end(), pattern.judgement)
                )
                if status == "absent" and pattern.clinical and ctx.in_study_result(sentence.text, m.start()):
                    continue  # a test's normal result, not the history or the examination
                if status == "historical" and not pattern.history:
                    continue  # a past condition an operation treated
                if status in ("undocumented", "uncertain"):
                    if (
                        status == "undocumented"
                        and pattern.judgement
                        and not negative
                        and sentence.section in _REVIEWER_SECTIONS
                    ):
                        disputed.append(_Mention(None, sentence, m.group(0)))
                    continue
                if (
                    status == "absent"
                    and not negative
                    and _OWN_NEGATION.search(m.group(0))
                    and (pattern.judgement or ctx.negates_earlier_item(sentence.text, m.start()))
                ):
                    # an outcome of care stated with its own negation ("the injection did not help") is not undone
                    # by an earlier "not" of its sentence ("did not progress in therapy, the injection did not
                    # help"); the records' silence about it ("no documentation that ...") is `undocumented`
                    status = "present"
                if status == "absent" and target in signs:
                    continue  # one sign denied says nothing of the others
                if negative:
                    if status == "absent" and not ctx.negates_earlier_item(sentence.text, m.start()):
                        continue  # a normal result denied
                    value = pattern.absent
                elif status == "absent":
                    value = pattern.absent
                elif pattern.capture and "months" in m.re.groupindex:
                    # tests counted by the months they were done in: "in February, May and August 2016"
                    value = months_listed(m.group("months") or "", timeline)
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
                    denial = status == "absent" and target in verdicts and sentence.section in _REVIEWER_SECTIONS
                    mentions.append(_Mention(value, sentence, m.group(0), denial))
    if not mentions:
        if disputed and pattern.short_trial_targets and targets_present is pattern.targets:
            return _short_trial(pattern, patterns, pool, disputed)
        return None
    if disputed and any(m.value == pattern.present for m in mentions):
        # the reviewer finds no evidence of what the records (the summary) claim: "the provider reports failed
        # conservative care" and "there is no documentation that conservative care failed" (issue 12)
        quotes = _disagreeing([*mentions, *disputed])
        warnings.append(f"{scope_label}{pattern.fact}: the reviewer finds it undocumented, left out ({quotes})")
        return None
    if pattern.any_sign and any(m.value == pattern.present for m in mentions):
        # one sign present outvotes the normal results of the others ("sensation intact, EHL 4/5"), not the
        # reviewer's own finding that the examination shows none of it: they disagree, and the fact is left out
        mentions = [m for m in mentions if m.value == pattern.present or m.reviewer_denial]
    values = {repr(m.value) for m in mentions}
    if len(values) > 1:
        quotes = _disagreeing(mentions)
        warnings.append(f"{scope_label}{pattern.fact}: mentions disagree, left out ({quotes})")
        return None
    evidence: list[Sentence] = []
    for mention in mentions:
        if mention.sentence not in evidence:
            evidence.append(mention.sentence)
    return mentions[0].value, evidence


def _short_trial(
    pattern: FactPattern, patterns: Patterns, pool: list[Sentence], disputed: list[_Mention]
) -> tuple[Any, list[Sentence]] | None:
    """The reviewer's finding that the care was too little to have failed: a judgement the reviewer's rationale
    calls undocumented ("there was no indication she had failed conservative care") with its reason, care too
    short or not had yet (facts.yaml `short_trial_targets`: "as she had undergone one session of therapy", "It is
    noted that he has not yet had physical therapy."), after the mention in its sentence or in the next sentence
    of the same rationale; neither hedged, restated nor about another region (the reason's own "not" is its
    words). `absent` with the sentences as evidence, else None."""
    ctx = patterns.context
    for mention in disputed:
        k = next(i for i, s in enumerate(pool) if s is mention.sentence)
        found = mention.sentence.text.find(mention.words)
        # the reason after the mention, read apart from the reviewer's "no indication" that governs the mention
        places = [(mention.sentence, mention.sentence.text[found + len(mention.words) :] if found >= 0 else "")]
        after = pool[k + 1] if k + 1 < len(pool) else None
        if (
            after is not None
            and after.section == mention.sentence.section
            and 0 <= after.start - mention.sentence.end <= 3
        ):
            places.append((after, after.text))
        for sentence, text in places:
            for target in pattern.short_trial_targets:
                for m in patterns.rx(target).finditer(text):
                    if ctx.skipped(text, m.start()) is not None:
                        continue
                    if ctx.assertion(text, m.start(), m.end()) in ("present", "absent"):
                        return pattern.absent, list(dict.fromkeys([mention.sentence, sentence]))
    return None


# the rationale's own conclusion: "... is not medically necessary"
_CONCLUSION = re.compile(r"\bmedically (?:necessary|appropriate|indicated|warranted|reasonable)\b", re.IGNORECASE)


def _without_conclusion(ctx: Context, text: str, at: int) -> str | None:
    """Why the sentence is skipped once its conclusion ("... is not medically necessary") is cut off: a
    request described in the reviewer's conclusion is read (`in_decisions`), utilization review's reasons
    are not."""
    cut = _CONCLUSION.search(text, at)
    return ctx.skipped(text[: cut.start()] if cut else text, at)


def read_entry(
    pattern: FactPattern,
    patterns: Patterns,
    library: RuleLibrary,
    pool: list[Sentence],
    warnings: list[str],
    label: str,
    region: frozenset[str] | None = None,
    timeline: Timeline | None = None,
) -> ReadFact | None:
    """A fact as read (value and evidence), its value typed by the library and valid, or None (left out)."""
    before = len(warnings)
    found = read_fact(pattern, patterns, pool, warnings, label, region, timeline)
    if found is None:
        outcomes = pattern.outcome_targets or pattern.absent_outcome_targets
        if outcomes and not any(w.startswith(f"{label}{pattern.fact}:") for w in warnings[before:]):
            return _outcome_elsewhere(pattern, patterns, pool, region)
        return None
    value, evidence = found
    value = _typed(library, pattern.fact, value)
    if value_error(library.facts[pattern.fact], value):
        warnings.append(f"{label}{pattern.fact}: read {value!r}, which is not a valid value; left out")
        return None
    return ReadFact(value=value, evidence=[evidence_of(s) for s in evidence])


def _outcome_elsewhere(
    pattern: FactPattern, patterns: Patterns, pool: list[Sentence], region: frozenset[str] | None
) -> ReadFact | None:
    """The fact inferred from an outcome stated apart from the care (facts.yaml `outcome_targets`: "records
    indicate no change in his complaints"; `absent_outcome_targets`: "records indicate 70% improvement in pain")
    and the summary's list of the care had (`history_targets`: "treatment to date has included physical therapy,
    ..."), both in the summary, both present: `present`, or `absent` for an improvement; None if either is
    missing, or when outcomes of both kinds are stated. Evidence: the outcome, then the list."""
    summary = [s for s in pool if s.section == "summary"]
    history = next((s for s in summary if _stated(s, pattern.history_targets, patterns, region)), None)
    if history is None:
        return None
    found = []
    for targets, value in (
        (pattern.outcome_targets, pattern.present),
        (pattern.absent_outcome_targets, pattern.absent),
    ):
        outcome = next((s for s in summary if s is not history and _stated(s, targets, patterns, region)), None)
        if targets and outcome is not None:
            found.append((value, outcome))
    if len(found) != 1 or found[0][0] is None or _called_undocumented(pattern, patterns, pool):
        return None  # (the reviewer finds no evidence of it: the inference does not overrule the reviewer)
    value, outcome = found[0]
    return ReadFact(value=value, evidence=[evidence_of(outcome), evidence_of(history)], inferred=True)


def _called_undocumented(pattern: FactPattern, patterns: Patterns, pool: list[Sentence]) -> bool:
    """Whether the reviewer's rationale calls the fact undocumented ("there is no documentation that
    conservative care failed"): a target's mention there that the context reads as undocumented."""
    ctx = patterns.context
    for sentence in pool:
        if sentence.section not in _REVIEWER_SECTIONS:
            continue
        for target in pattern.targets:
            for m in patterns.rx(target).finditer(sentence.text):
                skip = ctx.skipped(sentence.text, m.start())
                if skip == "reported decision" and pattern.in_decisions:
                    skip = _without_conclusion(ctx, sentence.text, m.start())
                if skip is None and ctx.assertion(sentence.text, m.start(), m.end(), True) == "undocumented":
                    return True
    return False


def _stated(sentence: Sentence, targets: list[str], patterns: Patterns, region: frozenset[str] | None) -> bool:
    """Whether a target matches the sentence as this case's finding: not in a restated guideline or a reported
    decision, not about another body region, neither negated, hedged nor called undocumented."""
    ctx = patterns.context
    for target in targets:
        for m in patterns.rx(target).finditer(sentence.text):
            if ctx.skipped(sentence.text, m.start()) is not None:
                continue
            if region:
                where = patterns.regions.of_mention(sentence.text, m.start(), m.end())
                if where and not where & region:
                    continue
            if ctx.assertion(sentence.text, m.start(), m.end(), True) == "present":
                return True
    return False


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


ALWAYS_READ = frozenset({"age", "sex"})  # identify the patient in every case file
# the item facts routing reads for the regions an item concerns (engine/evaluation.py `item_regions`)
ROUTING_REGION_FACTS = frozenset({"body_region", "treated_regions", "primary_procedure"})


def facts_used(library: RuleLibrary, services: set[str]) -> set[str]:
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
                if rule.regions is not None:  # and the item's regions, for a rule of some regions only
                    found.update(ROUTING_REGION_FACTS)
                if rule.procedures is not None:
                    found.add("primary_procedure")
                if rule.postsurgical is not None:
                    found.add("postsurgical_period")
        _FACTS_USED[key] = found
    return found


_FACTS_USED: dict[tuple[str, frozenset[str]], set[str]] = {}
