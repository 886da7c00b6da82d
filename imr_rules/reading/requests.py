"""What each disputed item asks for: its service, quantities, body regions, and a dependent item's primary."""

from __future__ import annotations

import re

from imr_rules.library.loading import RuleLibrary
from imr_rules.models import Letter
from imr_rules.models.extracted import ReadFact
from imr_rules.reading.context import alternation
from imr_rules.reading.facts import evidence_of, facts_used
from imr_rules.reading.patterns import Patterns
from imr_rules.reading.quantities import duration, number
from imr_rules.reading.sentences import Sentence

# an imaging study: its name's body regions decide which guideline governs it
_IMAGING = re.compile(
    r"\b(?:MRIs?|MR arthrogra\w*|magnetic resonance|CT|CAT scan|computed tomography|x-?rays?|radiographs?)\b",
    re.IGNORECASE,
)


def imaging_regions(name: str, patterns: Patterns) -> list[str]:
    """The body regions (lexicon `body_region`s, in order, once each) an imaging item's name names, or []
    when the name is not an imaging study. A limb word ("left lower extremity") names no body region."""
    if not _IMAGING.search(name):
        return []
    out: list[str] = []
    for group, _ in patterns.regions.named(name):
        body = patterns.regions.lexicon.regions[group].body_region
        if body is not None and body not in out:
            out.append(body)
    return out


def classify(name: str, patterns: Patterns) -> str | None:
    """The service an item's name asks for (the first matching service pattern), or None.

    An imaging study that names two body regions ("MRI of neck and right hand") is two studies governed by
    two guidelines: it is left unclassified (see `unclassified_reason`), never classified as one of them.
    """
    if len(imaging_regions(name, patterns)) > 1 or not_a_service(name, patterns) is not None:
        return None
    for rule in patterns.requests.services:
        if any(patterns.rx(p).search(name) for p in rule.patterns):
            return rule.service
    return None


def not_a_service(name: str, patterns: Patterns) -> str | None:
    """Why a name that resembles a service asks for something else (requests.yaml `not_services`: "Morphine
    pump refill" is not a prescription of morphine, "Intrathecal baclofen pump" not an oral muscle relaxant),
    or None."""
    for rule in patterns.requests.not_services:
        if any(patterns.rx(p).search(name) for p in rule.patterns):
            return rule.reason
    return None


def unclassified_reason(name: str, patterns: Patterns) -> str:
    """Why an item `classify` returns None for is not classified, as a warning's words."""
    other = not_a_service(name, patterns)
    if other is not None:
        return other
    if classify(name, patterns) == "preop_ekg":
        return DIAGNOSTIC_ECG
    regions = imaging_regions(name, patterns)
    if len(regions) > 1:
        return f"names several body regions ({', '.join(regions)}), each its own study: not classified as one"
    if _IMAGING.search(name) and not regions:
        named = [group for group, _ in patterns.regions.named(name)]
        if any(patterns.regions.lexicon.regions[g].body_region is None for g in named):
            return "names a limb, not a joint or spine region: which study it is is not guessed"
    return "not classified as a service the rules know"


# a name that ties an ECG to surgery: "Pre-op EKG", "Associated surgical service: EKG", "Labs to include: EKG"
_SURGICAL_NAME = re.compile(r"pre[- ]?op|pre[- ]?surg|surg|clearance|associated|to include", re.IGNORECASE)
DIAGNOSTIC_ECG = "an ECG with no surgery named or planned in the letter is diagnostic, not pre-operative testing"


def surgery_planned(names: list[str], summary: list[Sentence], patterns: Patterns) -> bool:
    """Whether a letter's items name a procedure, or its summary says one is planned ("is scheduled for a
    left L5-S1 microdiscectomy")."""
    if any(procedure_kind(n, patterns) is not None for n in names):
        return True
    planned = alternation(patterns.requests.primary.planned)
    if planned is None:
        return False
    for sentence in summary:
        m = planned.search(sentence.text)
        if m and not patterns.context.skipped(sentence.text) and procedure_kind(sentence.text[m.end() :], patterns):
            return True
    return False


def without_diagnostic_ecgs(
    names: list[str], services: list[str | None], summary: list[Sentence], patterns: Patterns
) -> list[str | None]:
    """`services` with a pre-operative ECG set to None where the item's name does not tie it to surgery
    and the letter names or plans no surgery (an "Electrocardiogram" for palpitations is a diagnostic test
    the pre-operative rules do not govern; issue 12)."""
    ecgs = [i for i, s in enumerate(services) if s == "preop_ekg" and not _SURGICAL_NAME.search(names[i])]
    if not ecgs or surgery_planned(names, summary, patterns):
        return services
    return [None if i in ecgs else s for i, s in enumerate(services)]


def procedure_kind(text: str, patterns: Patterns) -> tuple[str, re.Match[str]] | None:
    for rule in patterns.requests.procedures:
        for p in rule.patterns:
            m = patterns.rx(p).search(text)
            if m:
                return rule.value, m
    return None


def requested_quantities(name: str, service: str, patterns: Patterns) -> dict[str, int]:
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


# a sentence naming the conditions treated: a diagnosis, or what the patient is treated for ("is being treated
# for a lumbar disc herniation", "Impression: right shoulder impingement", "Dx: cervical strain")
_DIAGNOSES = re.compile(
    r"\bdiagnos(?:is|es|ed)\b|\b(?:being|is|was|were|been) (?:\w+ )?treated for\b|\bunder(?:going)? (?:\w+ )?"
    r"(?:treatment|care) for\b|\b(?:impressions?|assessments?|Dx)\s*:",
    re.IGNORECASE,
)


def body_from_diagnoses(summary: list[Sentence], patterns: Patterns) -> tuple[str, Sentence] | None:
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


def regionless(service: str | None, library: RuleLibrary, fact: str) -> bool:
    """A known service of no region of its own, depending on no primary, whose rules test `fact`: with
    "requested_visits", a course of visits (therapy, chiropractic, acupuncture), which treats a body region
    as a drug or a urine test does not."""
    definition = library.services.get(service) if service is not None else None
    if service is None or definition is None or definition.region is not None or definition.depends_on_primary:
        return False
    return fact in facts_used(library, {service})


def name_sentence(text: str, name: str, start: int) -> Sentence:
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


# a clause's end: a semicolon, a contrast, or a conclusion drawn from it ("NSAIDs are not appropriate and
# therefore, the PPI is not medically necessary": the status after it is the dependent item's own)
_CLAUSE = re.compile(
    r";|,? \b(?:but|while|whereas|however|although|(?:and )?(?:therefore|thus|hence))\b", re.IGNORECASE
)


def link_primary(
    letter_text: str,
    item_facts: dict[str, ReadFact],
    index: int,
    letter: Letter,
    patterns: Patterns,
    primary_items: list[int],
    summary: list[Sentence],
    own: list[Sentence],
    service: str | None = None,
) -> str | None:
    """A dependent item's primary, returned by name: a procedure item of the same letter (`primary_items`,
    indexes into `letter.items`), else one the text names, else "the primary procedure" when only its status
    is stated; None when none is found. Adds, in place, the item facts `primary_procedure` (the kind of
    procedure, when known) and `primary_status` (when the text states one) to `item_facts`.

    `service` is the dependent item's: its primary is named by that service's words (`mention_by_service`:
    a PPI's by NSAID words, never a surgery's dependents), and a service given after its surgery
    (`after_surgery`, post-operative therapy) may have a procedure already done as its primary ("underwent a
    right carpal tunnel release on 3/4/2016"): `primary_status` certified, inferred (a surgery done was
    authorised; a person confirms it), and `postsurgical_period` true, with that sentence as evidence."""
    others = [i for i in primary_items if i != index]
    if others:
        primary = letter.items[others[0]]
        kind = procedure_kind(primary.item, patterns)
        if kind is not None:
            span = name_sentence(letter_text, primary.item, primary.heading_span.start)
            item_facts["primary_procedure"] = ReadFact(value=kind[0], evidence=[evidence_of(span)])
        return primary.item
    rules = patterns.requests.primary
    mention = alternation(rules.mention_by_service.get(service or "", rules.mention))
    planned = alternation(rules.planned)
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
        named = (value, _phrase(sentence.text, at, at + len(m.group(0))), sentence)
        break
    done: tuple[str, str, Sentence] | None = None
    if named is None and service in rules.after_surgery:
        done = performed_procedure([*own, *summary], patterns)
        named = done
    name: str | None = None
    if named is not None:
        name = re.sub(r"^(?:a|an|the|to|with|have|his|her|their)\s+", "", named[1], flags=re.IGNORECASE)
        item_facts["primary_procedure"] = ReadFact(value=named[0], evidence=[evidence_of(named[2])])
    if status is not None:
        item_facts["primary_status"] = ReadFact(value=status[0], evidence=[evidence_of(status[1])])
        if name is None:
            name = "the primary procedure"
    elif done is not None:
        item_facts["primary_status"] = ReadFact(value="certified", evidence=[evidence_of(done[2])], inferred=True)
    if done is not None:
        item_facts["postsurgical_period"] = ReadFact(value=True, evidence=[evidence_of(done[2])])
    return name


def _phrase(text: str, start: int, end: int, floor: int = 0) -> str:
    """The procedure's words with up to three words before it (none before `floor`) and "surgery" after it:
    "right carpal tunnel release", "left L5-S1 laminotomy and discectomy"."""
    head = text[max(floor, start - 60) : start]
    lead = re.search(r"(?:[\w-]+\s+){0,3}$", head)
    tail = re.match(r"[\w-]*(?:\s+surgery)?", text[end:])
    return ((lead.group(0) if lead else "") + text[start:end] + (tail.group(0) if tail else "")).strip()


# the words between a "done" trigger and its procedure stay in one clause of a few words
_DONE_GAP = 80


def performed_procedure(pool: list[Sentence], patterns: Patterns) -> tuple[str, str, Sentence] | None:
    """The first procedure the sentences say was already done, as (primary_procedure value, its words, the
    sentence): a `performed` trigger before it ("underwent a right carpal tunnel release", "status post
    L5-S1 discectomy", "following her rotator cuff repair") or a `performed_after` one after it ("a knee
    arthroscopy was performed on 2/1/2017"), in one clause. A negated, planned, requested or restated
    procedure is not one done ("has not undergone surgery", "is to undergo a fusion", "guidelines allow 16
    visits after a discectomy"): a sentence the context skips, or a clause with a request word or a
    negation before the trigger, is passed over."""
    rules = patterns.requests.primary
    before = alternation(rules.performed)
    after = alternation(rules.performed_after)
    refused = alternation(rules.not_performed)
    predicate = re.compile("|".join(f"(?:{p})" for p in rules.not_performed_after), re.IGNORECASE)
    for sentence in pool:
        text = sentence.text
        if patterns.context.skipped(text):
            continue
        for clause in _CLAUSE.split(text):
            # (procedure start, its end, the end of what must not be refused, value, where its words may start)
            found: list[tuple[int, int, int, str, int]] = []
            for trigger in before.finditer(clause) if before is not None else ():
                kind = procedure_kind(clause[trigger.end() : trigger.end() + _DONE_GAP], patterns)
                if kind is not None:
                    at = trigger.end() + kind[1].start()
                    found.append((at, at + len(kind[1].group(0)), at + len(kind[1].group(0)), kind[0], trigger.end()))
            for trigger in after.finditer(clause) if after is not None else ():
                lo = max(0, trigger.start() - _DONE_GAP)
                kind = procedure_kind(clause[lo : trigger.start()], patterns)
                if kind is not None:
                    at = lo + kind[1].start()
                    found.append((at, at + len(kind[1].group(0)), trigger.end(), kind[0], lo))
            for at, stop, end, value, floor in found:
                if refused is not None and refused.search(clause[:end]):
                    continue
                if rules.not_performed_after and predicate.match(clause[stop:]):
                    continue  # "a carpal tunnel release is planned", "... was requested"
                return value, _phrase(clause, at, stop, floor), sentence
    return None
