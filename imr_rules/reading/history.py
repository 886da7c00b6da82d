"""Treatment history read for one item: visits had, a prior course, whether a drug is new or continuing.

Each fact is read only when the item's own patterns did not read it; an inference from a list (a therapy a
treatment-history list does not name, a drug a medication list does not name) is marked `inferred`, with
the list sentence as its evidence, so that a person can see and overrule it.
"""

from __future__ import annotations

import functools
import itertools
import re

from imr_rules.models.extracted import ReadEvidence, ReadFact
from imr_rules.models.extraction import MedicationRules
from imr_rules.reading.context import alternation
from imr_rules.reading.facts import evidence_of
from imr_rules.reading.patterns import Patterns
from imr_rules.reading.quantities import number
from imr_rules.reading.sentences import Sentence
from imr_rules.reading.text import parse_date


@functools.lru_cache(maxsize=64)
def any_of(words: tuple[str, ...]) -> re.Pattern[str] | None:
    return alternation(words)


def _visit_patterns(patterns: Patterns, service: str, listed: bool) -> list[tuple[re.Pattern[str], str]]:
    """The visit-count patterns of requests.yaml `history` for one therapy, placeholders filled, compiled
    (with each pattern's value expression); none when the service is not a therapy the history names."""
    rules = patterns.requests.history
    if rules is None or rules.visit_words is None or service not in rules.therapies:
        return []
    words = rules.visit_words
    therapy = "(?:" + "|".join(rules.therapies[service]) + ")"
    out = []
    for qp in rules.listed_visits if listed else (*rules.visit_totals, *rules.visits, *rules.follow_visits):
        regex = qp.regex.replace("{visits_of_therapy}", words.visits_of_therapy).replace("{had}", words.had)
        regex = regex.replace("{unit}", words.unit).replace("{therapy}", therapy)
        out.append((patterns.rx(regex), qp.value))
    return out


def compile_history(patterns: Patterns) -> None:
    """Compile, into `patterns.compiled`, every history pattern that does not depend on a letter: each
    therapy's visit-count patterns (both kinds), the same-request words and the medication lists (a
    drug's own `{drug}` patterns are made per letter)."""
    rules = patterns.requests.history
    for service in rules.therapies if rules is not None else ():
        for listed in (False, True):
            _visit_patterns(patterns, service, listed)
    words = rules.visit_words if rules is not None else None
    if words is not None and words.same_request:
        patterns.rx(words.same_request)
    if rules is not None and rules.first_course:
        patterns.rx(_first_course(rules.first_course))
    medication = patterns.requests.medication
    for p in medication.lists if medication is not None else ():
        patterns.rx(p)
    for p in medication.never if medication is not None else ():
        if "{drug}" not in p:
            patterns.rx(p)  # any drug never taken: the same for every letter


def _first_course(words: list[str]) -> str:
    """requests.yaml `history.first_course` as one pattern (each ends before the therapy's name)."""
    return "|".join(f"(?:{p})" for p in words)


def _visits_value(m: re.Match[str], value: str) -> int | None:
    """A visit-count pattern's value: a named group, a product of named groups ('a*b') or a sum ('a+b')."""
    if "+" in value:
        terms = [_visits_value(m, part) for part in value.split("+")]
        return None if any(t is None for t in terms) else sum(t for t in terms if t is not None)
    total = 1
    for part in value.split("*"):
        factor = number(m.group(part.strip()) or "")
        if factor is None:
            return None
        total *= factor
    return total


def visits_from_history(
    name: str,
    item_facts: dict[str, ReadFact],
    service: str,
    patterns: Patterns,
    summary: list[Sentence],
    own: list[Sentence],
    warnings: list[str],
    region: frozenset[str] = frozenset(),
) -> None:
    """prior_visits_completed for a course of therapy, when the item's own patterns did not read it: a
    count of that therapy's visits with a cue of having had them, from the item's rationale, else from the
    summary (requests.yaml `history.visits`; in a treatment-history list, `listed_visits`). A restated
    guideline or UR's reasons are skipped; a negated or hedged count is not read; counts that disagree in
    the same part leave the fact out with a warning, and a count in a clause naming only other body regions
    than the item's (`region`) is another course's. A count read also documents a prior course
    (prior_course_completed true) when nothing else said whether one was had."""
    cued, listed = _visit_patterns(patterns, service, False), _visit_patterns(patterns, service, True)
    rules = patterns.requests.history
    if not cued or rules is None:
        return
    if "prior_visits_completed" in item_facts:
        _total_over_part(item_facts, cued[: len(rules.visit_totals)], own)
        return
    ctx = patterns.context
    heads = any_of(tuple(rules.lists))
    words = rules.visit_words
    same_request = patterns.rx(words.same_request) if words is not None and words.same_request else None
    totals = len(rules.visit_totals)  # the first patterns of `cued`
    follow = cued[len(cued) - len(rules.follow_visits) :] if rules.follow_visits else []
    cued = cued[: len(cued) - len(rules.follow_visits)]
    after_own = _after_own_therapy(service, patterns, summary)
    for part in (own, summary):
        found: dict[int, list[Sentence]] = {}
        for sentence in part:
            head = heads.search(sentence.text) if heads is not None else None
            tries = [(rx, value, 0) for rx, value in cued]
            if part is summary and id(sentence) in after_own:
                tries += [(rx, value, 0) for rx, value in follow]
            if head is not None:
                tries += [(rx, value, head.end()) for rx, value in listed]
            if any(rx.search(sentence.text) for rx, _ in cued[:totals]):
                tries = [(rx, value, 0) for rx, value in cued[:totals]]  # a stated total, not its parts
            for rx, value, start in tries:
                for m in rx.finditer(sentence.text, start):
                    count = _visits_value(m, value)
                    at = m.start(re.split(r"[*+]", value)[0].strip())
                    if count is None or count == 0 or ctx.skipped(sentence.text, at):
                        continue
                    if same_request is not None and same_request.search(sentence.text[m.end() :]):
                        continue
                    if ctx.assertion(sentence.text, at, m.end()) != "present":
                        continue
                    # a pattern's `scope` group is where its count's region is named ("six visits for the neck
                    # and four for the low back": the four's), else the whole mention
                    scope_at = m.start("scope") if "scope" in rx.groupindex else m.start()
                    if _other_region(patterns, sentence, scope_at, m.end(), region):
                        continue
                    if sentence not in found.setdefault(count, []):
                        found[count].append(sentence)
        if len(found) > 1:
            counts = ", ".join(str(c) for c in sorted(found))
            warnings.append(f"item '{name}': prior_visits_completed: counts disagree ({counts}), left out")
            return
        for count, where in found.items():
            evidence = [evidence_of(s) for s in where]
            item_facts["prior_visits_completed"] = ReadFact(value=count, evidence=evidence)
            if "prior_course_completed" not in item_facts:
                item_facts["prior_course_completed"] = ReadFact(value=True, evidence=list(evidence))
            return


def _after_own_therapy(service: str, patterns: Patterns, summary: list[Sentence]) -> set[int]:
    """The summary's sentences (by id) that name no therapy at all and come right after a sentence of the same
    section naming the item's therapy and no other (requests.yaml `history.follow_visits` reads a count there)."""
    rules = patterns.requests.history
    if rules is None or not rules.follow_visits or service not in rules.therapies:
        return set()
    own = any_of(tuple(rules.therapies[service]))
    words = [w for other in rules.other_therapies.get(service, []) for w in rules.therapies.get(other, [])]
    others = any_of((*words, *rules.other_therapy_words))
    anything = any_of(tuple(w for ws in rules.therapies.values() for w in ws))
    if own is None or anything is None:
        return set()
    out: set[int] = set()
    for before, sentence in itertools.pairwise(summary):
        if before.section != sentence.section or anything.search(sentence.text):
            continue
        if others is not None and others.search(sentence.text):
            continue
        if own.search(before.text) and (others is None or not others.search(before.text)):
            out.add(id(sentence))
    return out


def drop_other_therapy_visits(item_facts: dict[str, ReadFact], service: str, patterns: Patterns) -> None:
    """Set aside prior_visits_completed read by the item's own patterns (facts.yaml) when every sentence it
    was read from names another therapy and none of the item's own ("she has had 12 sessions of aquatic therapy"
    under a physical therapy item; requests.yaml `history.other_therapies`): those are another course's
    visits. prior_course_completed read from the same sentences goes too; the summary and rationale are then
    read for the item's own therapy (`visits_from_history`)."""
    rules = patterns.requests.history
    read = item_facts.get("prior_visits_completed")
    if rules is None or read is None or service not in rules.therapies:
        return
    own = any_of(tuple(rules.therapies[service]))
    words = [w for other in rules.other_therapies.get(service, []) for w in rules.therapies.get(other, [])]
    others = any_of((*words, *rules.other_therapy_words))
    if own is None or others is None or not read.evidence:
        return
    if not all(others.search(e.quote) and not own.search(e.quote) for e in read.evidence):
        return
    del item_facts["prior_visits_completed"]
    quotes = {e.quote for e in read.evidence}
    course = item_facts.get("prior_course_completed")
    if course is not None and course.evidence and all(e.quote in quotes for e in course.evidence):
        del item_facts["prior_course_completed"]


def _total_over_part(
    item_facts: dict[str, ReadFact], totals: list[tuple[re.Pattern[str], str]], own: list[Sentence]
) -> None:
    """The visits had read by the item's own patterns as one part of a sum its sentence states ("had 6 sessions
    of PT in 2015 and 6 in 2016"): the sum replaces the part, with the same evidence."""
    read = item_facts["prior_visits_completed"]
    quotes = {e.quote for e in read.evidence}
    for sentence in own:
        if evidence_of(sentence).quote not in quotes:
            continue
        for rx, value in totals:
            m = rx.search(sentence.text)
            count = _visits_value(m, value) if m is not None else None
            if count is not None and isinstance(read.value, int) and count > read.value:
                item_facts["prior_visits_completed"] = read.model_copy(update={"value": count})
                return


def _other_region(patterns: Patterns, sentence: Sentence, at: int, end: int, region: frozenset[str]) -> bool:
    """Whether the mention sentence.text[at:end] is about other body regions than the item's (`region`; empty:
    the item's regions are not known, and no mention is another region's)."""
    if not region:
        return False
    text = sentence.text
    after = _ELEMENT_END.search(text, end)
    before = max((m.end() for m in _ELEMENT_END.finditer(text, 0, at)), default=0)
    # the mention's own element of a list: "acupuncture for the low back" in "PT, acupuncture for the low
    # back and a splint", else the words before it in that element ("low back chiropractic care")
    for scope in (text[at : after.start() if after else len(text)], text[before:at]):
        where = frozenset().union(*(r for _, r in patterns.regions.named(scope)))
        if where:
            return not where & region
    return False


_ELEMENT_END = re.compile(r",|;|:|\band\b|\bbut\b|\bwhile\b|\bwhereas\b|\bthen\b")


def course_from_history(
    item_facts: dict[str, ReadFact],
    service: str,
    patterns: Patterns,
    summary: list[Sentence],
    own: list[Sentence],
    region: frozenset[str] = frozenset(),
) -> None:
    """prior_course_completed from the summary, when the item's own name and rationale do not say it.

    Stated: a treatment-history list naming the therapy, or another summary sentence naming it with a word
    of having had it ("attended", "previous", "additional"), gives true; the same negated ("no prior
    physical therapy") gives false. Inferred: a list that does not name the therapy, in a letter that
    mentions it (or an unclear "therapy") as had nowhere else in the summary or the item's rationale,
    gives false, marked inferred, the list sentences as evidence. Every course denied ("no formal therapy of
    any kind", `any_therapy` negated) gives false. A mention in a clause naming only other body regions than
    the item's (`region`: a low-back course for a knee item) is another course's, and not read.
    """
    rules = patterns.requests.history
    if rules is None or service not in rules.therapies or "prior_course_completed" in item_facts:
        return
    ctx = patterns.context
    names = any_of(tuple(rules.therapies[service]))
    unclear = any_of((*rules.unclear, *rules.unclear_for.get(service, [])))
    heads, request = any_of(tuple(rules.lists)), any_of(tuple(rules.request_words))
    past = any_of(tuple(rules.past_words))
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
            and not _other_region(patterns, sentence, m.start(), m.end(), region)
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
    first = patterns.rx(_first_course(rules.first_course)) if rules.first_course else None
    for sentence in [*summary, *own]:
        # "acupuncture was requested for the low back, which would be her first acupuncture": a request's
        # sentence says it too
        if first is None or sentence in stated[False]:
            continue
        for m in first.finditer(sentence.text):
            therapy = names.match(sentence.text, m.end())
            if therapy is None or ctx.skipped(sentence.text, m.start()):
                continue
            if ctx.assertion(sentence.text, therapy.start(), therapy.end()) == "absent":
                continue
            if _other_region(patterns, sentence, therapy.start(), therapy.end(), region):
                continue
            stated[False].append(sentence)
            break
    anything = any_of(tuple(rules.any_therapy))
    for sentence in summary:
        if about_request(sentence) or sentence in stated[False]:
            continue
        if "absent" in statuses(anything, sentence) and "present" not in statuses(names, sentence):
            stated[False].append(sentence)  # "no formal therapy of any kind"
    for value in (True, False):
        if stated[value] and not stated[not value]:
            evidence = [evidence_of(s) for s in stated[value]]
            item_facts["prior_course_completed"] = ReadFact(value=value, evidence=evidence)
            return
    if stated[True] or not lists:
        return  # contradictory, or no list to infer from
    if any(names.search(sentence.text, after) for sentence, after in lists):
        return  # the list names the therapy, had for another body region: nothing is said of this region's
    for sentence, after in lists:
        if "present" in statuses(unclear, sentence, after):
            return  # "therapy" unqualified: which one is not said
    outcome = any_of(tuple(rules.outcome_words))
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
    item_facts["prior_course_completed"] = ReadFact(
        value=False, evidence=[evidence_of(sentence) for sentence, _ in lists], inferred=True
    )


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


def _drug_names(rules: MedicationRules, word: str) -> list[str]:
    """A drug's names, generic and brands (requests.yaml `medication.same_drug`), or the word alone."""
    return next((g for g in rules.same_drug if word.lower() in map(str.lower, g)), [word])


def about_another_drug(
    name: str,
    service: str,
    other_items: list[tuple[str, str | None]],
    patterns: Patterns,
    every_drug: bool = False,
) -> re.Pattern[str] | None:
    """For a medication item whose name gives one drug: a pattern matching a sentence that names the drug of
    another item of the letter (`other_items`: name and service), with its other names (requests.yaml
    `medication.same_drug`), or the class of another item's service in words ("the NSAID"), and not this one
    nor its class, so that this item's own-drug facts
    (`medication.own_drug_facts`) are not read from that item's drug. A drug no other item requests is not
    set aside: "she cut her tramadol to one tablet a day" is the naproxen item's improvement (a reduced
    dependency on other treatment, 8 CCR 9792.20). With `every_drug` (for whether the drug is new or continues:
    "he was started on naproxen" says nothing of a tramadol item's drug) every drug the patterns know that is
    neither this one nor of its class is set aside too, requested or not, unless the sentence points to the
    item's drug ("this", "it"). None when there is nothing to set aside."""
    rules = patterns.requests.medication
    if rules is None or service not in rules.services:
        return None
    drug = drug_word(name, service, patterns)
    if drug is None:
        return None

    own = {n.lower() for n in _drug_names(rules, drug)}
    others = {
        n.lower()
        for other, other_service in other_items
        if other_service in rules.services and (word := drug_word(other, other_service, patterns)) is not None
        for n in _drug_names(rules, word)
    } - own
    kind = rules.classes.get(service)
    members: list[str] = []
    if every_drug:
        mine_class = {m.lower() for m in kind.members} if kind is not None else set()
        others |= {n.lower() for group in rules.same_drug for n in group} - own - mine_class
        # drugs by name, not a class in words ("chronic opioid therapy" may be what the item's rationale calls
        # its own drug's use)
        nouns = {n for c in rules.classes.values() for n in c.nouns}
        theirs_members = {m for other, c in rules.classes.items() if other != service for m in c.members}
        members = sorted(theirs_members - set(kind.members if kind is not None else []) - nouns)
    mine = [re.escape(n) for n in sorted(own)] + (list(kind.nouns) if kind is not None else [])
    if every_drug:
        # a sentence pointing to the item's drug is its own, whatever else it names: "This is her first
        # prescription, after acetaminophen did not help"
        mine += [r"this", r"it", r"the requested (?:medication|drug|prescription)"]
    # another requested drug's class in words ("the NSAID was prescribed for an initial trial" is the naproxen
    # item's, not the pantoprazole item's); not a class of this item's own service
    their_classes = sorted(
        {
            noun
            for _, other_service in other_items
            if other_service is not None
            and other_service != service
            and (other_kind := rules.classes.get(other_service)) is not None
            for noun in other_kind.nouns
        }
    )
    if not others and not their_classes and not members:
        return None
    theirs = "|".join([*(re.escape(n) for n in sorted(others)), *their_classes, *members])
    return re.compile(rf"^(?!.*\b(?:{'|'.join(mine)})\b).*\b(?:{theirs})\b", re.IGNORECASE | re.DOTALL)


# a drug named only by pointing back to the sentence before: "this medication", "that drug", "these medicines"
_POINTS_BACK = re.compile(r"\b(?:this|that|these|those) (?:medications?|medicines?|drugs?)\b", re.IGNORECASE)


def pointing_to_another_drug(
    name: str, service: str, groups: list[list[Sentence]], patterns: Patterns
) -> dict[int, Sentence | None]:
    """The sentences that name a drug as "this medication" (or "that drug"), the item's own drug not named
    before it, right after a sentence of the same section naming another drug and not the item's, by their
    start: None (the sentence is the other drug's: "Her previous medication was acetaminophen. She had no
    relief with this medication"), or, when a later clause names the item's drug, that clause on its own
    ("..., and naproxen was prescribed as a first trial" is the naproxen item's). `groups`: the sentences of
    each section in order (the summary, the item's rationale). Empty for an item whose name gives no one
    drug."""
    rules = patterns.requests.medication
    drug = drug_word(name, service, patterns) if rules is not None and service in rules.services else None
    if rules is None or drug is None:
        return {}
    own = {n.lower() for n in _drug_names(rules, drug)}
    every = {n.lower() for group in rules.same_drug for n in group}
    drugs = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(every, key=len, reverse=True)) + r")\b", re.I)
    out: dict[int, Sentence | None] = {}
    for group in groups:
        for before, sentence in itertools.pairwise(group):
            text = sentence.text
            back = _POINTS_BACK.search(text)
            if back is None or _named(drugs, text[: back.start()]) & own:
                continue  # "Naproxen was started and this medication helped" points to the item's own drug
            named = _named(drugs, before.text)
            if not named or named & own:
                continue
            cut = _CLAUSE_AFTER.search(text, back.end())
            rest = text[cut.end() :] if cut else ""
            out[sentence.start] = (
                Sentence(rest, sentence.start + cut.end(), sentence.end, sentence.section)
                if cut and _named(drugs, rest) & own
                else None
            )
    return out


# the end of the clause holding a pointer: "..., and", "...; ", "..., but", "..., while"
_CLAUSE_AFTER = re.compile(r";\s*|,\s*(?:and|but|while|whereas|so)\s+", re.IGNORECASE)


def _named(drugs: re.Pattern[str], text: str) -> set[str]:
    return {m.group(0).lower() for m in drugs.finditer(text)}


def medication_status(
    name: str,
    item_facts: dict[str, ReadFact],
    service: str,
    patterns: Patterns,
    summary: list[Sentence],
    own: list[Sentence],
    warnings: list[str],
    request_date: str | None = None,
) -> None:
    """medication_previously_used for the item's drug, when the item's own patterns did not read it, from the
    summary and the item's rationale: true when the drug or one of its class (requests.yaml `medication.classes`)
    is stated as taken; false when the drug is stated as started now (`new`), or it, its class or any drug is
    stated as never taken (`never`, whose negation is its own); else false, inferred, when the drug was
    prescribed on the request's day (`request_date`, ISO) and is named nowhere else (`prescribed_on`), or from a
    current medication list that names other drugs but not this one."""
    rules = patterns.requests.medication
    if rules is None or service not in rules.services or "medication_previously_used" in item_facts:
        return
    drug = drug_word(name, service, patterns)
    kind = rules.classes.get(service)
    if drug is None and kind is None:
        return
    # the drug's own names (none when the item's name gives no one drug: "Diclofenac 1% gel" is read by its class)
    names = [] if drug is None else _drug_names(rules, drug)
    own_names = [re.escape(n) for n in names]
    nouns = [*own_names, *(kind.nouns if kind is not None else [])]
    members = [*nouns, *kind.members] if kind is not None and kind.continues else own_names
    word = "(?:" + "|".join(own_names) + r")\b"
    found: dict[bool, list[Sentence]] = {True: [], False: []}
    groups = [
        (True, rules.continuing, members, ("present",)),
        (False, rules.new, own_names, ("present",)),
        (False, rules.never, nouns, ("present", "absent")),
    ]
    for value, group, words, statuses in groups:
        if not words:
            continue
        drug_words = "(?:" + "|".join(words) + r")\b"
        named_rx = re.compile(drug_words, re.IGNORECASE)
        for p in group:
            rx = patterns.rx(p.replace("{drug}", drug_words))
            for sentence in [*summary, *own]:
                for m in rx.finditer(sentence.text):
                    if patterns.context.skipped(sentence.text, m.start()):
                        continue
                    named = named_rx.search(m.group(0))  # the drug's own words in the match
                    at, end = (m.start() + named.start(), m.start() + named.end()) if named else (m.start(), m.end())
                    if patterns.context.assertion(sentence.text, at, end) not in statuses:
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
            item_facts["medication_previously_used"] = ReadFact(
                value=value, evidence=[evidence_of(s) for s in found[value]]
            )
            return
    started = _prescribed_on_request_day(word, patterns, summary, own, request_date) if own_names else []
    if started:
        item_facts["medication_previously_used"] = ReadFact(
            value=False, evidence=[evidence_of(s) for s in started], inferred=True
        )
        return
    listed = _medication_lists_without(word, patterns, summary, own) if own_names else []
    if listed:
        item_facts["medication_previously_used"] = ReadFact(
            value=False, evidence=[evidence_of(s) for s in listed], inferred=True
        )


def _prescribed_on_request_day(
    word: str, patterns: Patterns, summary: list[Sentence], own: list[Sentence], request_date: str | None
) -> list[Sentence]:
    """The sentences saying the drug (`word`: its names as a pattern) was prescribed or started on the request's
    day (requests.yaml `medication.prescribed_on`), when every other sentence naming it is a decision's, a
    request's or a restated guideline's; else none."""
    rules = patterns.requests.medication
    if rules is None or not rules.prescribed_on or request_date is None:
        return []
    drug = re.compile(word, re.IGNORECASE)
    ctx = patterns.context
    request = any_of(tuple(rules.decision_words))
    found: list[Sentence] = []
    for p in rules.prescribed_on:
        rx = patterns.rx(p.replace("{drug}", word))
        for sentence in [*summary, *own]:
            for m in rx.finditer(sentence.text):
                day = parse_date(m.group("date"))
                if day is None or day.isoformat() != request_date or ctx.skipped(sentence.text, m.start()):
                    continue
                named = drug.search(sentence.text, m.start())
                if named is None or ctx.assertion(sentence.text, named.start(), named.end()) != "present":
                    continue
                if sentence not in found:
                    found.append(sentence)
    if not found:
        return []
    for sentence in [*summary, *own]:
        if sentence in found or (request is not None and request.search(sentence.text)) or ctx.skipped(sentence.text):
            continue
        if drug.search(sentence.text):
            return []  # named elsewhere: whether it was taken before is for a person to read
    return found


def _medication_lists_without(
    word: str, patterns: Patterns, summary: list[Sentence], own: list[Sentence]
) -> list[Sentence]:
    """The summary's current medication lists when they name drugs but not this one (`word`: the drug's
    names as a pattern) nor a class or "other" medications that could cover it, and the drug is named
    outside a request, a decision, a guideline or the plan (`decision_words`) nowhere in the summary or the item's
    rationale; else none."""
    rules = patterns.requests.medication
    if rules is None or not rules.lists:
        return []
    heads, unclear = [patterns.rx(p) for p in rules.lists], any_of(tuple(rules.unclear))
    request = any_of(tuple(rules.decision_words))
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


def absent_from_lists(
    facts: dict[str, ReadFact], wanted: set[str], patterns: Patterns, summary: list[Sentence], rationale: list[Sentence]
) -> None:
    """Each case fact of requests.yaml `medication.not_in_lists` no words stated: false, inferred, when the
    summary's current medication lists name drugs but none of its drugs (nor a class that could cover one),
    and none is named elsewhere ("Medications: Norco, Flexeril and Prilosec" documents no aspirin, steroid or
    anticoagulant), with the lists as evidence. Added to `facts` in place."""
    rules = patterns.requests.medication
    if rules is None:
        return
    for fact in rules.not_in_lists:
        targets = [t for p in patterns.facts.facts if p.fact == fact for t in p.targets]
        if fact in facts or fact not in wanted or not targets:
            continue
        lists = _medication_lists_without("|".join(f"(?:{t})" for t in targets), patterns, summary, rationale)
        if lists:
            facts[fact] = ReadFact(value=False, evidence=[evidence_of(s) for s in lists], inferred=True)


def derive(item_facts: dict[str, ReadFact], case_facts: dict[str, ReadFact], patterns: Patterns) -> None:
    """Item facts computed from facts already read (a sum), with the evidence of every part (each once);
    inferred when a part is. A sum stated in the letter ("the six requested visits bring him to twelve")
    gives the one part not read (the visits had: twelve less the six requested); a part above zero makes its
    `zero_when_false` flag true when that was not read (visits had are a course had)."""
    for rule in patterns.requests.derived:
        parts: list[ReadFact | None] = []
        for name in rule.sum:
            part = item_facts.get(name) or case_facts.get(name)
            flag = rule.zero_when_false.get(name)
            if part is None and flag is not None:
                given = item_facts.get(flag) or case_facts.get(flag)
                if given is not None and given.value is False:
                    part = given.model_copy(update={"value": 0})  # e.g. no prior course: no visits completed
            parts.append(part)
        stated = item_facts.get(rule.fact)
        if stated is not None:
            _part_from_sum(rule.sum, rule.zero_when_false, parts, stated, item_facts)
            continue
        if any(p is None or not isinstance(p.value, (int, float)) for p in parts):
            continue
        evidence: list[ReadEvidence] = []
        for part in parts:
            assert part is not None
            evidence.extend(e for e in part.evidence if e not in evidence)
        item_facts[rule.fact] = ReadFact(
            value=sum(p.value for p in parts if p is not None),
            evidence=evidence,
            inferred=any(p is not None and p.inferred for p in parts),  # a sum of an inferred part is inferred too
        )


def _part_from_sum(
    names: list[str],
    flags: dict[str, str],
    parts: list[ReadFact | None],
    stated: ReadFact,
    item_facts: dict[str, ReadFact],
) -> None:
    """The one part of a stated sum that was not read: the sum less the others (never below zero), with the
    evidence of the sum and of the others; its flag (`zero_when_false`) true when it is above zero."""
    missing = [k for k, p in enumerate(parts) if p is None]
    known = [p for p in parts if p is not None]
    if len(missing) != 1 or not isinstance(stated.value, int):
        return
    if any(not isinstance(p.value, int) for p in known):
        return
    value = stated.value - sum(int(p.value) for p in known)
    if value < 0:
        return
    evidence = list(stated.evidence)
    for part in known:
        evidence.extend(e for e in part.evidence if e not in evidence)
    name = names[missing[0]]
    inferred = stated.inferred or any(p.inferred for p in known)
    item_facts[name] = ReadFact(value=value, evidence=evidence, inferred=inferred)
    flag = flags.get(name)
    if flag is not None and flag not in item_facts and value > 0:
        item_facts[flag] = ReadFact(value=True, evidence=list(evidence), inferred=inferred)
