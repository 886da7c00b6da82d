"""Read a determination letter into a case file: items classified as services, facts with their sentences.

The stages, one module each under `imr_rules.reading`: `text` (normalising), `letter` (the letter's
structure), `sentences`, `patterns` (the YAML patterns, compiled), `context` (negation and uncertainty),
`facts` (one fact from a pool of sentences), `quantities` (numbers and spans in words), `requests` (each
item's service, quantities and regions), `history` (treatment history per item), and this module, which
puts them together into the case. Every pattern lives in `rules/extraction/` (YAML), so rule authors
extend extraction without Python.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path

from imr_rules import __version__
from imr_rules.errors import RuleLibraryError, location
from imr_rules.library.loading import EXTRACTION_DIR, RuleLibrary
from imr_rules.models import FactCriterion, Letter
from imr_rules.models.extracted import (
    DateKey,
    ExtractedItem,
    ExtractedLetter,
    ExtractionInfo,
    ReadEvidence,
    ReadFact,
)
from imr_rules.models.extraction import FactPattern, SinceInjury
from imr_rules.reading.context import alternation
from imr_rules.reading.facts import Pool, evidence_of, facts_used, read_entry
from imr_rules.reading.history import (
    about_another_drug,
    absent_from_lists,
    compile_history,
    course_from_history,
    derive,
    drop_other_therapy_visits,
    medication_status,
    pointing_to_another_drug,
    visits_from_history,
)
from imr_rules.reading.patterns import Patterns, load_patterns
from imr_rules.reading.quantities import Timeline
from imr_rules.reading.requests import (
    body_from_diagnoses,
    classify,
    item_regions,
    link_primary,
    name_sentence,
    performed_procedure,
    procedure_kind,
    regionless,
    requested_quantities,
    unclassified_reason,
    without_diagnostic_ecgs,
)
from imr_rules.reading.sentences import Sentence, sentences
from imr_rules.reading.text import Normalised, normalise, parse_date, remap_evidence

# a body_region value as the treated_regions fact names it (the spine's regions by their common names)
TREATED_AS = {"lumbar": "low_back", "cervical": "neck"}


def extract_case(
    letter: Letter, text: str, library: RuleLibrary, patterns: Patterns, only_used: bool = False
) -> ExtractedLetter:
    """The case that a letter documents, as read (`to_data()` is the case file's plain data).

    With `only_used`, only the facts the rules governing the letter's services test are read (plus age
    and sex): what `check` needs, several times faster on a large library. A case file for people to review
    reads every fact the patterns know.
    """
    warnings: list[str] = []
    joined = patterns.context.join_quoted_lists  # a guideline's list quoted item by item is one restatement
    summary = joined(sentences(text, letter.summary_span.start, letter.summary_span.end, "summary"))
    if not summary:
        warnings.append(
            "no clinical case summary found (a 'CLINICAL CASE SUMMARY' or 'Case Summary:' heading): "
            "facts are read from the items' rationales only"
        )
    rationales = [
        joined(sentences(text, it.rationale_span.start, it.rationale_span.end, "rationale")) for it in letter.items
    ]
    all_rationale = [s for group in rationales for s in group]
    names = [it.item for it in letter.items]
    services = without_diagnostic_ecgs(names, [classify(n, patterns) for n in names], summary, patterns)
    wanted = facts_used(library, {s for s in services if s is not None}) if only_used else set(library.facts)
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
    # a rationale's sentence is about its own item's regions where its words name none
    home = {s.start: regions[k][0] for k, group in enumerate(rationales) if regions[k][0] for s in group}
    per_item: dict[str, FactPattern] = {}

    regional_facts: dict[int, dict[str, ReadFact]] = {}
    dates, dated_by = _dates(letter, summary, patterns)
    missing = [
        k
        for k, found in (("injury", "injury" in dates), ("request", "request" in dates or "ur_decision" in dates))
        if not found
    ]
    if letter.header is None and missing:
        warnings.append(
            "no header block (IMR case number, date of injury, UR decision date): dates are read from the text "
            + (f"where it states them (found: {', '.join(sorted(dates))}); " if dates else "and none was found; ")
            + f"without the {' and '.join(missing)} date the phase (acute or chronic) and spans since the injury "
            f"cannot be worked out: add `dates:` ({', '.join(missing)}) to the case file"
        )
    asked = dates.get("request") or dates.get("ur_decision")
    timeline = (
        Timeline(dt.date.fromisoformat(asked), dt.date.fromisoformat(dates["injury"]) if "injury" in dates else None)
        if asked
        else None
    )
    facts: dict[str, ReadFact] = {}
    pools: dict[tuple[bool, bool], Pool] = {}
    for pattern in patterns.facts.facts:
        definition = library.facts.get(pattern.fact)
        if definition is None:
            raise RuleLibraryError(f"extraction pattern for undeclared fact '{pattern.fact}'", location(EXTRACTION_DIR))
        if definition.scope != "case" or pattern.fact not in wanted:
            continue
        if any((read := facts.get(req)) is None or read.value is not True for req in pattern.requires):
            continue
        where = ("summary" in pattern.sections, "rationale" in pattern.sections)
        pool = pools.get(where)
        if pool is None:
            pool = pools[where] = Pool((summary if where[0] else []) + (all_rationale if where[1] else []))
            pool.home = home
        if definition.regional and several and not pattern.requires:
            per_item[pattern.fact] = pattern
            continue
        region = letter_region if definition.regional else None
        entry = read_entry(pattern, patterns, library, pool, warnings, "", region, timeline)
        if entry is not None:
            facts[pattern.fact] = entry
    for name, pattern in per_item.items():
        where = ("summary" in pattern.sections, "rationale" in pattern.sections)
        users = [i for i, service in enumerate(services) if service and name in facts_used(library, {service})]
        if not only_used:
            # a case file for people to review states the finding for every item of a known region, not only
            # for the items whose rules test it ("radiating leg pain" beside an EMG of the arms and a lumbar MRI)
            users = sorted(set(users) | {i for i, r in enumerate(regions) if r[0]})
        reads = {
            i: read_entry(pattern, patterns, library, pools[where], warnings, "", regions[i][0] or None, timeline)
            for i in users
        }
        values = {repr(entry.value) if entry else None for entry in reads.values()}
        if len(values) <= 1:
            # every item that reads it reads the same (or none does): one case fact, as for one region
            first = next((entry for entry in reads.values() if entry), None)
            entry = (
                first if users else read_entry(pattern, patterns, library, pools[where], warnings, "", None, timeline)
            )
            if entry is not None:
                facts[name] = entry
            continue
        for index, entry in reads.items():  # the regions disagree: each item states its own
            if entry is not None:
                regional_facts.setdefault(index, {})[name] = entry

    absent_from_lists(facts, {f for f in wanted if f in library.facts}, patterns, summary, all_rationale)
    predated: list[str] = []  # facts whose words date the complaint before the injury
    for pattern in patterns.facts.facts:
        if (
            pattern.since_injury is not None
            and pattern.fact in wanted
            and pattern.fact in library.facts
            and _from_dates(pattern.fact, pattern.since_injury, text, dates, facts, warnings, dated_by)
        ):
            predated.append(pattern.fact)
    if "weeks_since_injury" in wanted and "weeks_since_injury" in library.facts and not predated:
        _weeks_from_dates(text, dates, facts, dated_by)
    items = _items(
        letter,
        text,
        library,
        patterns,
        services,
        summary,
        rationales,
        warnings,
        facts,
        wanted,
        [r[0] for r in regions],
        dates,
    )
    diagnosed = body_from_diagnoses(summary, patterns) if "body_region" in library.facts else None
    if diagnosed and any(r[0] and diagnosed[0] not in r[0] for r in regions):
        diagnosed = None  # another item is for another region (an X-ray of the shoulder): the course may be for either
    for index, item in enumerate(items):
        body = regions[index][1]
        extra = dict(regional_facts.get(index, {}))
        if body is not None:
            named = name_sentence(text, item.item, letter.items[index].heading_span.start)
            extra["body_region"] = ReadFact(value=body, evidence=[evidence_of(named)])
        elif diagnosed and not regions[index][0] and regionless(services[index], library, "requested_visits"):
            # "Occupational therapy for six sessions" names no region: the diagnoses name one
            extra["body_region"] = ReadFact(value=diagnosed[0], evidence=[evidence_of(diagnosed[1])])
            treated = TREATED_AS.get(diagnosed[0], diagnosed[0])
            if (
                "treated_regions" not in item.facts
                and _criteria_test(library, services[index], "treated_regions")
                and treated in (library.facts["treated_regions"].values or [])
            ):
                # the manipulation rule reads the regions treated ("Spinal manipulation 1 times 8", a lumbar
                # strain): inferred, as the request names none
                extra["treated_regions"] = ReadFact(
                    value=[treated], evidence=[evidence_of(diagnosed[1])], inferred=True
                )
        if extra:
            items[index] = item.model_copy(update={"facts": {**item.facts, **extra}})
    for index, item in enumerate(items):
        if (
            services[index] in patterns.requests.primary.after_surgery
            and "body_region" not in item.facts
            and not patterns.regions.named(item.item)
        ):
            # post-operative therapy or equipment naming no body part is for the region operated on
            # ("Post-op physical therapy 12 sessions" under a right shoulder arthroscopy; "2 leg wraps" names one)
            operated = _primary_body(item, letter, items, services, library, patterns, text)
            if operated is not None:
                items[index] = item.model_copy(update={"facts": {**item.facts, "body_region": operated}})
    return ExtractedLetter(
        case=(letter.header.case_number if letter.header and letter.header.case_number else Path(letter.source).stem),
        letter=letter.source,
        extraction=ExtractionInfo(
            tool=f"imr-rules {__version__} (patterns {patterns.digest[:12]})",
            letter_digest=letter.text_digest,
            layout=letter.layout,
            warnings=warnings,
        ),
        dates=dates,
        facts=facts,
        items=items,
    )


def _own_part(sentence: Sentence, pointing: dict[int, Sentence | None]) -> Sentence:
    """The part of a sentence about the item's own drug: a sentence pointing back to another drug gives its
    later clause naming the item's drug (`history.pointing_to_another_drug`)."""
    return pointing.get(sentence.start) or sentence


def _criteria_test(library: RuleLibrary, service: str | None, fact: str) -> bool:
    """Whether a criterion of a rule governing `service` tests `fact` (not only routing reads it)."""
    rules = library.rules_for_service(service) if service is not None else []
    return any(isinstance(node, FactCriterion) and node.fact == fact for rule in rules for node in rule.criteria.walk())


def _primary_body(
    item: ExtractedItem,
    letter: Letter,
    items: list[ExtractedItem],
    services: list[str | None],
    library: RuleLibrary,
    patterns: Patterns,
    text: str,
) -> ReadFact | None:
    """The body region of a post-operative item's primary procedure, as its `body_region` fact: the region of
    the procedure item's service (a rotator cuff repair: shoulder), else the one region its name names (its
    `body_region`); for a procedure only the text names, the one region its words name ("right knee
    arthroscopy"), with the sentence naming it. None when no primary is linked or its region is not one."""
    if item.primary is None:
        return None
    at = next((k for k, it in enumerate(letter.items) if it.item == item.primary and items[k] is not item), None)
    if at is not None:
        definition = library.services.get(services[at] or "")
        named = items[at].facts.get("body_region")
        region: str | None = definition.region if definition is not None else None
        if region is None and named is not None and isinstance(named.value, str):
            region = named.value
        if region is None:
            return None
        heading = name_sentence(text, letter.items[at].item, letter.items[at].heading_span.start)
        return ReadFact(value=region, evidence=[evidence_of(heading)])
    bodies = {patterns.regions.lexicon.regions[group].body_region for group, _ in patterns.regions.named(item.primary)}
    procedure = item.facts.get("primary_procedure")
    if len(bodies) != 1 or None in bodies or procedure is None:
        return None
    return ReadFact(value=next(iter(bodies)), evidence=list(procedure.evidence))


def compile_all(patterns: Patterns) -> Patterns:
    """`patterns` with every pattern the reader can compile without a letter in `patterns.compiled` (the
    fact patterns are there already): dates, services, procedures, quantities, primary statuses and the
    history's. The cache (imr_rules.cache) stores them compiled, so a letter compiles almost none; without
    the cache they are compiled when first used, as before. A pattern that does not compile is left to
    fail where it is used, as without the cache."""
    requests = patterns.requests
    found = [p for regexes in patterns.facts.dates.values() for p in regexes]
    found += [p for tier in patterns.facts.request_dates for p in tier.patterns]
    for group in (requests.not_services, requests.services, requests.procedures, requests.primary.statuses):
        found += [p for rule in group for p in rule.patterns]
    found += [qp.regex for quantity in requests.quantities for qp in quantity.patterns]
    for p in found:
        with contextlib.suppress(RuleLibraryError):
            patterns.rx(p)
    with contextlib.suppress(RuleLibraryError):
        compile_history(patterns)
    return patterns


def _dates(
    letter: Letter, summary: list[Sentence], patterns: Patterns
) -> tuple[dict[DateKey, str], dict[DateKey, Sentence]]:
    """The letter's dates (ISO strings) and, for those read from a summary sentence, that sentence: its
    header's, else the first summary sentence a `dates` pattern of facts.yaml matches, for each date in the
    patterns' order; the request's from `request_dates` (`_request_date`)."""
    out: dict[DateKey, str] = {}
    found_in: dict[DateKey, Sentence] = {}
    header = letter.header
    if header is not None:
        stated: tuple[tuple[DateKey, dt.date | None], ...] = (
            ("injury", header.date_of_injury),
            ("ur_decision", header.ur_denial_date),
            ("imr_decision", header.decision_date),
        )
        for key, value in stated:
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
                found_in[key] = sentence
                break
    if "request" not in out and (asked := _request_date(summary, patterns, out)) is not None:
        out["request"] = asked[0].isoformat()
        found_in["request"] = asked[1]
    return out, found_in


def _request_date(
    summary: list[Sentence], patterns: Patterns, dates: dict[DateKey, str]
) -> tuple[dt.date, Sentence] | None:
    """The date of the request (the visit or request for authorization that made it) and its sentence, from
    facts.yaml `request_dates`: the first tier that finds a date on or after the injury and on or before
    utilization review's decision (and IMR's) gives the latest it finds. None when no tier finds one (UR's
    decision date then stands for the request's)."""
    low = dt.date.fromisoformat(dates["injury"]) if "injury" in dates else dt.date.min
    bounds = [dt.date.fromisoformat(dates[k]) for k in ("ur_decision", "imr_decision") if k in dates]
    high = min(bounds) if bounds else dt.date.max
    for tier in patterns.facts.request_dates:
        found: list[tuple[dt.date, Sentence]] = []
        for sentence in summary:
            for regex in tier.patterns:
                for m in patterns.rx(regex).finditer(sentence.text):
                    day = parse_date(m.group("date"))
                    if day is not None and low <= day <= high:
                        found.append((day, sentence))
        if found:
            return max(found, key=lambda f: f[0])
    return None


def _span_evidence(
    text: str, injury: dt.date, key: DateKey, asked: dt.date, by: dict[DateKey, Sentence]
) -> list[ReadEvidence]:
    """The evidence of a span from the injury to the request (`key`: its date's name): each date's sentence or
    line, those the letter's text shows."""
    pairs: list[tuple[DateKey, dt.date]] = [("injury", injury), (key, asked)]
    return [ev for k, day in pairs if (ev := _date_evidence(text, day, by.get(k))) is not None]


def _date_evidence(text: str, day: dt.date, sentence: Sentence | None) -> ReadEvidence | None:
    """A date's evidence: the summary sentence it was read from, else the letter's first line writing it."""
    return evidence_of(sentence) if sentence is not None else _date_line(text, day)


def _from_dates(
    name: str,
    span: SinceInjury,
    text: str,
    dates: dict[DateKey, str],
    facts: dict[str, ReadFact],
    warnings: list[str],
    dated_by: dict[DateKey, Sentence] | None = None,
) -> bool:
    """A boolean fact from the days between the injury date and the request's date (else UR's decision
    date) (facts.yaml `since_injury`: the acute phase under 90 days, pain of three months from 90 days).
    Marked inferred (a flare of an old injury is acute again), with the letter's lines or sentences stating
    both dates as evidence. Where this fact's words are silent, the words of its `opposite` decide it the
    other way, as words (with their sentences: "symptoms for two years" is past the acute period). Words
    that say otherwise than the dates stand when they give the `predating` value (the complaint began before
    the injury), as does a value the `opposite`'s words give too (they stood against the dates themselves);
    else the fact is left out; a warning either way.
    True when words stood against the dates (the injury does not date the complaint)."""
    read = facts.get(name)
    opposite = facts.get(span.opposite) if span.opposite else None
    worded = opposite is not None and not opposite.inferred and isinstance(opposite.value, bool)
    if read is None and worded and opposite is not None:
        read = facts[name] = ReadFact(value=not opposite.value, evidence=list(opposite.evidence))
    # the opposite's words give this value too (they stood against the dates themselves)
    backed = worded and opposite is not None and read is not None and read.value is (not opposite.value)
    by: dict[DateKey, Sentence] = dated_by or {}
    if "injury" not in dates or not (dates.get("request") or dates.get("ur_decision")):
        return False
    injury = dt.date.fromisoformat(dates["injury"])
    key: DateKey = "request" if dates.get("request") else "ur_decision"
    asked = dt.date.fromisoformat(dates[key])
    if asked < injury:
        return False
    days = (asked - injury).days
    value = span.holds(days)
    if read is not None and read.value is not value:
        if backed or (span.predating is not None and read.value is span.predating):
            warnings.append(
                f"{name}: the letter's words say {read.value!r} (the complaint began before the injury) though "
                f"the injury ({injury}) and request ({asked}) dates are {days} days apart; the words stand"
            )
            return True
        del facts[name]
        warnings.append(
            f"{name}: the letter's words say {read.value!r} but the injury ({injury}) and request "
            f"({asked}) dates are {days} days apart; left out"
        )
        return False
    if read is not None or (span.only_true and not value):
        return False
    evidence = _span_evidence(text, injury, key, asked, by)
    if len(evidence) == 2:  # else the dates cannot be shown in the letter's own text
        facts[name] = ReadFact(value=value, evidence=evidence, inferred=True)
    return False


def _weeks_from_dates(
    text: str, dates: dict[DateKey, str], facts: dict[str, ReadFact], dated_by: dict[DateKey, Sentence] | None = None
) -> None:
    """weeks_since_injury from the injury date and the request's date (the visit or request for authorization
    that made the request; else UR's decision date), to a tenth of a week, marked inferred (a flare of an
    old injury restarts the count), with the lines or sentences stating both dates as evidence."""
    if "injury" not in dates or not (dates.get("request") or dates.get("ur_decision")):
        return
    by: dict[DateKey, Sentence] = dated_by or {}
    injury = dt.date.fromisoformat(dates["injury"])
    key: DateKey = "request" if dates.get("request") else "ur_decision"
    asked = dt.date.fromisoformat(dates[key])
    evidence = _span_evidence(text, injury, key, asked, by)
    if asked >= injury and len(evidence) == 2 and "weeks_since_injury" not in facts:
        facts["weeks_since_injury"] = ReadFact(
            value=round((asked - injury).days / 7, 1), evidence=evidence, inferred=True
        )


def _date_line(text: str, day: dt.date) -> ReadEvidence | None:
    """The first line of the letter that writes this date (as 01/02/2016, 1/2/2016, 01-02-2016, 01/02/16 or
    January 2, 2016), as evidence with its offsets; on a header line of several labelled dates ("Date
    Assigned: ... Date of Injury: ..."), only the label and date that write it ("Date of Injury: 10/27/2016")."""
    forms = {
        day.strftime("%m/%d/%Y"),
        f"{day.month}/{day.day}/{day.year}",
        day.strftime("%m-%d-%Y"),
        day.strftime("%m/%d/%y"),
        f"{day.strftime('%B')} {day.day}, {day.year}",
    }
    found = [(i, f) for f in forms if (i := text.find(f)) >= 0]
    if not found:
        return None
    at, form = min(found)
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    label = _LABEL_BEFORE.search(text, start, at)
    if label is not None:
        start, end = label.start(), at + len(form)
        while end < len(text) and text[end].isdigit():  # "03/02/20" found inside "03/02/2020"
            end += 1
    line = " ".join(text[start:end].split())
    lead = len(text[start:end]) - len(text[start:end].lstrip())
    return ReadEvidence(quote=line, start=start + lead, end=start + len(text[start:end].rstrip()), section="header")


# a header's label just before a date on its line: "Date of Injury:  " (the line may hold other labels' dates)
_LABEL_BEFORE = re.compile(r"\b[A-Z][A-Za-z()]*(?: [A-Za-z()]+){0,4}:[ \t]*$")


def _items(
    letter: Letter,
    text: str,
    library: RuleLibrary,
    patterns: Patterns,
    services: list[str | None],
    summary: list[Sentence],
    rationales: list[list[Sentence]],
    warnings: list[str],
    case_facts: dict[str, ReadFact],
    wanted: set[str],
    item_region: list[frozenset[str]],
    dates: dict[DateKey, str] | None = None,
) -> list[ExtractedItem]:
    """Each item's entry (service, quantities, item facts). `item_region`: each item's body regions, for its
    regional item facts (a prior injection of another region is not this item's)."""
    primary_items = [i for i, s in enumerate(services) if s is not None]
    items: list[ExtractedItem] = []
    for index, (it, service) in enumerate(zip(letter.items, services, strict=True)):
        if service is None:
            warnings.append(f"item '{it.item}': {unclassified_reason(it.item, patterns)}")
        primary: str | None = None
        item_facts: dict[str, ReadFact] = {}
        heading = name_sentence(text, it.item, it.heading_span.start)
        if service is not None:
            # after a UR modification IMR judges the remainder against the original request's size
            asked = it.original_request or it.item
            asked_sentence = name_sentence(text, asked, it.heading_span.start) if it.original_request else heading
            for fact, value in requested_quantities(asked, service, patterns).items():
                item_facts[fact] = ReadFact(value=value, evidence=[evidence_of(asked_sentence)])
        own = rationales[index]
        pool_by_section = {
            "summary": summary,
            "item_name": [heading],
            "item_rationale": [Sentence(s.text, s.start, s.end, "item_rationale") for s in own],
        }
        item_pools: dict[tuple[tuple[str, ...], bool, bool], Pool] = {}
        medication = patterns.requests.medication
        own_drug_facts = set(medication.own_drug_facts) if medication is not None else set()
        other_items = [(o.item, services[k]) for k, o in enumerate(letter.items) if k != index]
        other_drug = about_another_drug(it.item, service, other_items, patterns) if service is not None else None
        # whether the drug is new or continues: any other drug's sentence is set aside, requested or not
        any_other_drug = (
            None if service is None else about_another_drug(it.item, service, other_items, patterns, every_drug=True)
        )
        # "this medication" right after a sentence naming another drug is that drug
        pointing = pointing_to_another_drug(it.item, service, [summary, own], patterns) if service else {}
        for pattern in patterns.facts.facts:
            definition = library.facts.get(pattern.fact)
            if definition is None or definition.scope != "item" or pattern.fact not in wanted:
                continue
            if pattern.services and service not in pattern.services:
                continue  # a fact of another kind of item ("upper_limb_study" of a study, not an injection)
            sections = tuple(pattern.sections)
            # the item's own drug: a sentence naming only another drug is that drug's evidence
            others = any_other_drug if pattern.fact == "medication_previously_used" else other_drug
            own_drug = (others is not None or bool(pointing)) and pattern.fact in own_drug_facts
            key = (sections, own_drug, others is not other_drug)
            pool = item_pools.get(key)
            if pool is None:
                pool = item_pools[key] = Pool(
                    _own_part(s, pointing) if own_drug else s
                    for sec in sections
                    if sec in pool_by_section
                    for s in pool_by_section[sec]
                    if not (own_drug and others is not None and others.search(s.text))
                    and not (own_drug and s.start in pointing and pointing[s.start] is None)
                )
            region = (item_region[index] or None) if definition.regional else None
            read = read_entry(pattern, patterns, library, pool, warnings, f"item '{it.item}': ", region)
            if read is not None:
                item_facts[pattern.fact] = read
        if service is not None and library.services[service].depends_on_primary:
            allowed = set(patterns.requests.primary.by_service.get(service, patterns.requests.primary.services))
            candidates = [i for i in primary_items if services[i] in allowed]
            primary = link_primary(text, item_facts, index, letter, patterns, candidates, summary, own, service)
            _no_course_before_its_surgery(
                primary, item_facts, service, letter, text, patterns, candidates, index, services, summary
            )
        if service is not None and not library.services[service].depends_on_primary:
            _postsurgical_course(item_facts, service, library, patterns, [*own, *summary], item_region[index], dates)
        if service is not None:
            drop_other_therapy_visits(item_facts, service, patterns)
            visits_from_history(it.item, item_facts, service, patterns, summary, own, warnings, item_region[index])
            _visits_since_surgery(it.item, item_facts, service, patterns, summary, warnings)
            course_from_history(item_facts, service, patterns, summary, own, item_region[index])
            if "medication_previously_used" in wanted:
                asked_on = dates.get("request") if dates is not None else None
                medication_status(it.item, item_facts, service, patterns, summary, own, warnings, asked_on)
        derive(item_facts, case_facts, patterns)
        items.append(
            ExtractedItem(item=it.item, service=service, decision=it.decision, primary=primary, facts=item_facts)
        )
    return items


def _postsurgical_course(
    item_facts: dict[str, ReadFact],
    service: str,
    library: RuleLibrary,
    patterns: Patterns,
    pool: list[Sentence],
    regions: frozenset[str],
    dates: dict[DateKey, str] | None,
) -> None:
    """postsurgical_period (and the procedure, primary_procedure) for a course of therapy that is not itself
    post-operative (physical therapy the Postsurgical Treatment Guidelines' table also governs) when the
    letter says a surgery of the item's region was done on a date: inside the table's postsurgical physical
    medicine treatment period for that procedure (8 CCR 9792.24.3) at the request's (UR's) date, or not, and
    the surgery done (primary_procedure) either way. postsurgical_period is marked inferred (worked out from
    dates); both have the surgery's sentence as evidence. Nothing is read when
    the item's region, the surgery's region or date, or the request's date is unknown."""
    asked = (dates or {}).get("request") or (dates or {}).get("ur_decision")
    tables = [t for t in library.tables if service in t.governs]
    if "postsurgical_period" in item_facts or not regions or not asked or not tables:
        return
    done = performed_procedure(pool, patterns)
    if done is None:
        return
    value, phrase, sentence = done
    at = sentence.text.find(phrase)
    where = patterns.regions.of_mention(sentence.text, max(at, 0), max(at, 0) + len(phrase))
    if not where or not where & regions:
        return  # a surgery of another region (or of no region named) is not this course's
    periods = [
        row.period_months
        for table in tables
        for condition in table.conditions
        if condition.region in where & regions
        for row in condition.rows
        if value in row.procedures
    ]
    day = parse_date(sentence.text[at + len(phrase) :]) if at >= 0 else None
    if not periods or day is None:
        return
    months = (dt.date.fromisoformat(asked) - day).days / (365.25 / 12)
    if months < 0:
        return
    inside = months <= max(periods)
    evidence = [evidence_of(sentence)]
    item_facts["postsurgical_period"] = ReadFact(value=inside, evidence=evidence, inferred=True)
    if "primary_procedure" not in item_facts:
        # the surgery the therapy follows, inside the period or not (outside it, no postsurgical rule applies)
        item_facts["primary_procedure"] = ReadFact(value=value, evidence=list(evidence))


def _visits_since_surgery(
    name: str,
    item_facts: dict[str, ReadFact],
    service: str,
    patterns: Patterns,
    summary: list[Sentence],
    warnings: list[str],
) -> None:
    """prior_postop_visits for a post-operative course whose surgery the summary says was done
    (`postsurgical_period` read from that sentence by `link_primary`): therapy visits the summary counts
    after the surgery, in its own sentence after the procedure or in a later sentence ("underwent a right
    carpal tunnel release on 3/4/2016 and has had 6 therapy visits since"; "He then attended four therapy
    visits"), read with the words of any therapy, since a course after the surgery is the post-operative
    one; a count before the surgery's words is not. Also prior_visits_completed, when not read already.
    Without a surgery said done, visits counted in words of post-operative therapy ("has completed eight
    post-operative therapy visits") are post-operative visits too."""
    done = item_facts.get("postsurgical_period")
    primary = item_facts.get("primary_procedure")
    if service not in patterns.requests.primary.after_surgery:
        if done is not None and primary is not None and done.evidence and done.inferred:
            _visits_after_dated_surgery(name, item_facts, done, patterns, summary, warnings)
        return
    if done is None or primary is None or not done.evidence:
        had = item_facts.get("prior_visits_completed")
        history = patterns.requests.history
        postop = alternation(history.therapies.get(service, [])) if history is not None else None
        if had is not None and postop is not None and all(postop.search(e.quote) for e in had.evidence):
            item_facts["prior_postop_visits"] = ReadFact(value=had.value, evidence=list(had.evidence))
        return
    at = next((k for k, s in enumerate(summary) if s.start == done.evidence[0].start), None)
    if at is None:
        return
    first = summary[at]
    cut = _after_procedure(first.text, patterns)
    later = [Sentence(first.text[cut:], first.start + cut, first.end, first.section), *summary[at + 1 :]]
    found = dict(item_facts)
    if "prior_visits_completed" not in found:
        found.pop("prior_course_completed", None)
        visits_from_history(name, found, "any_therapy", patterns, later, [], warnings)
    _postop_visits(found, item_facts)


def _postop_visits(found: dict[str, ReadFact], item_facts: dict[str, ReadFact]) -> None:
    """The visits `found` counted after a surgery, as the item's post-operative visits (and its visits and
    course, where the item has none read)."""
    visits = found.get("prior_visits_completed")
    if visits is None:
        return
    item_facts.setdefault("prior_visits_completed", visits)
    if "prior_course_completed" in found:
        item_facts.setdefault("prior_course_completed", found["prior_course_completed"])
    item_facts["prior_postop_visits"] = ReadFact(value=visits.value, evidence=list(visits.evidence))


def _visits_after_dated_surgery(
    name: str,
    item_facts: dict[str, ReadFact],
    done: ReadFact,
    patterns: Patterns,
    summary: list[Sentence],
    warnings: list[str],
) -> None:
    """prior_postop_visits for a course of therapy that is not itself post-operative, after a dated surgery
    of its region (`_postsurgical_course`: postsurgical_period inferred from that sentence): therapy visits
    the summary counts after the surgery's words ("A carpal tunnel release was performed on 09/14/2016.
    Afterwards she attended eight therapy sessions"); a count before the surgery is not a post-operative one."""
    at = next((k for k, s in enumerate(summary) if s.start == done.evidence[0].start), None)
    if at is None:
        return
    first = summary[at]
    cut = _after_procedure(first.text, patterns)
    later = [Sentence(first.text[cut:], first.start + cut, first.end, first.section), *summary[at + 1 :]]
    found = {k: v for k, v in item_facts.items() if k not in ("prior_visits_completed", "prior_course_completed")}
    visits_from_history(name, found, "any_therapy", patterns, later, [], warnings)
    _postop_visits(found, item_facts)


def _after_procedure(text: str, patterns: Patterns) -> int:
    """The offset in a sentence just after the first procedure it names (0 when it names none)."""
    kind = procedure_kind(text, patterns)
    return 0 if kind is None else kind[1].end()


def _no_course_before_its_surgery(
    primary: str | None,
    item_facts: dict[str, ReadFact],
    service: str,
    letter: Letter,
    text: str,
    patterns: Patterns,
    candidates: list[int],
    index: int,
    services: list[str | None],
    summary: list[Sentence],
) -> None:
    """A dependent course of therapy (post-operative) whose surgery is requested in the same letter has not
    begun: no course of it was had (prior_course_completed false), inferred. Its evidence is what shows the
    surgery is not yet done: the summary's sentence requesting (planning) that procedure ("The surgeon
    requests a left knee arthroscopy ... and postoperative therapy"), else the surgery item's heading (an item
    in dispute). Only when the item's own name and rationale say nothing of a course had, and never when the
    summary says that procedure was already performed (a retrospective request for a surgery done)."""
    history = patterns.requests.history
    if history is None or service not in history.therapies or "prior_course_completed" in item_facts:
        return
    surgery = next((i for i in candidates if i != index and letter.items[i].item == primary), None)
    medication = patterns.requests.medication
    if surgery is None or (medication is not None and services[surgery] in medication.services):
        return  # no surgery of this letter (a drug linked as the primary is not an operation not yet done)
    surgery_item = letter.items[surgery]
    kind = procedure_kind(surgery_item.item, patterns)
    done = performed_procedure(summary, patterns)
    if kind is not None and done is not None and done[0] == kind[0]:
        return  # the summary says this procedure was done: a course after it may have been had
    evidence = name_sentence(text, surgery_item.item, surgery_item.heading_span.start)
    planned = alternation(patterns.requests.primary.planned)
    for sentence in summary:
        trigger = planned.search(sentence.text) if planned is not None and kind is not None else None
        found = procedure_kind(sentence.text[trigger.end() :], patterns) if trigger else None
        same = found is not None and kind is not None and found[0] == kind[0]
        if same and not patterns.context.skipped(sentence.text):
            evidence = sentence
            break
    item_facts["prior_course_completed"] = ReadFact(value=False, evidence=[evidence_of(evidence)], inferred=True)


def extract(letter_path: str | Path, library: RuleLibrary, patterns: Patterns | None = None) -> ExtractedLetter:
    """Read a letter file (text, PDF, or "-" for standard input) and return it as read; the caller
    validates it as a case (`reading.casefile.case_from_data`). Evidence offsets point into the text as
    given (a PDF's: as extracted); `extraction.pdf_digest` is the PDF's sha256 when the letter was one."""
    from imr_rules.sources import read_letter_source

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
) -> ExtractedLetter:
    """The letter given as text, as read: normalised for reading (`imr_rules.reading.text`), evidence
    offsets mapped back into `text`. `name` is the letter's path as the case file records it."""
    from imr_rules.reading.letter import parse_normalised

    norm = normalise(text)
    return extract_normalised(parse_normalised(norm, name), norm, library, patterns, pdf_digest, only_used)


def extract_normalised(
    letter: Letter,
    norm: Normalised,
    library: RuleLibrary,
    patterns: Patterns,
    pdf_digest: str | None = None,
    only_used: bool = False,
) -> ExtractedLetter:
    """`extract_case` on a letter read from `norm.text`, with its evidence offsets mapped into
    `norm.original` and the PDF's digest recorded (`extraction.pdf_digest`) when there was one."""
    read = remap_evidence(extract_case(letter, norm.text, library, patterns, only_used=only_used), norm)
    if pdf_digest is not None:
        read = read.model_copy(update={"extraction": read.extraction.model_copy(update={"pdf_digest": pdf_digest})})
    return read
