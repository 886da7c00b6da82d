"""Whether a mention in a sentence is asserted: negation, undocumented, uncertainty, history, restated guidelines.

Negation and uncertainty follow the NegEx/ConText algorithm (Chapman et al. 2001; Harkema et al. 2009):
a mention of a finding is present unless a trigger within a few words before or after it (and not cut
off by a termination term such as "but") says it is absent, undocumented or uncertain. Absent gives a
fact documented as false; undocumented and uncertain leave the fact out. Sentences that restate a
guideline or report utilization review's reasons are not findings and are skipped. The triggers are data
(`rules/extraction/context.yaml`); see README ("Reading letters") for why this is hand-written rather than
medspaCy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from imr_rules.models.extraction import ContextRules
from imr_rules.reading.sentences import Sentence

BARE_NEGATIONS = frozenset({"no", "not", "without", "none", "never", "nor", "neither", "absent"})
LIST_ITEM_WORDS = 7  # the longest item of a list a negation governs ("decreased sensation in the L5 dermatome")
QUOTED_ITEMS = 8  # the most sentences a guideline's list quoted item by item runs on for
QUOTED_ITEM_WORDS = 20  # the longest such item ("Failure to progress in a strengthening program intended to ...")


def alternation(patterns: Iterable[str]) -> re.Pattern[str] | None:
    parts = [f"(?:{p})" for p in patterns]
    if not parts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


# "a lack (absence) of" ending a negation trigger, and the records' word coordinated after the mention it governs
_LACK_OF = re.compile(r"(?<![\w-])(?:lack|absence) of$", re.IGNORECASE)
_AND_RECORDS = re.compile(
    r"^[^.;]{0,60}?\b(?:and|or|nor) (?:of )?(?:any |the )?(?:adequate |sufficient |clear |objective |clinical )?"
    r"(?:documentation|evidence|information|records)\b",
    re.IGNORECASE,
)


# a clause that leads a list of further clauses: "... includes", "the following:", "as follows", or a colon
# ("the ODG notes: A; B; C", "Criteria for imaging are: Emergence of a red flag; Failure to progress ...")
# the mention closes a list with "or" / "nor": "no fever, chills, weight loss or saddle anesthesia"
_OR_LAST = re.compile(r"(?:,\s*|\s)(?:or|nor|and/or)\s+(?:[\w/'-]+\s+){0,3}$", re.IGNORECASE)

# ... or names what it lists: "ACOEM lists the criteria for imaging as ...", "the indications are ..."
_LIST_LEAD = re.compile(
    r"\b(?:includes?|including|consists? of|the following|as follows|namely"
    r"|lists?|listed|enumerates?|enumerated|sets? (?:out|forth)|names? (?:the|these|its|four|three|two|five)"
    r"|(?:criteria|indications|requirements|conditions|prerequisites)(?: [\w/-]+){0,8}? (?:are|is|as|include)"
    r")\b|:",
    re.IGNORECASE,
)
# a quotation opened and not closed before the first semicolon: the guideline's list quoted whole
_OPEN_QUOTE = re.compile(r'^[^"]*"(?:[^"]*"[^"]*")*[^"]*$')


# a kind of context ("absent", "undocumented", "uncertain") with its triggers before and after a mention
_Kind = tuple[str, re.Pattern[str] | None, re.Pattern[str] | None]


@dataclass
class Context:
    rules: ContextRules
    kinds: list[_Kind] = field(default_factory=list)
    skip_cache: dict[tuple[str, str], bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        r = self.rules
        self.kinds = [
            ("absent", alternation(r.negation_before), alternation(r.negation_after)),
            ("undocumented", alternation(r.undocumented_before), alternation(r.undocumented_after)),
            ("uncertain", alternation(r.uncertain_before), alternation(r.uncertain_after)),
            ("historical", alternation(r.historical_before), alternation(r.historical_after)),
        ]
        self.evidence: _Kind = ("undocumented", alternation(r.evidence_before), alternation(r.evidence_after))
        self.pseudo = alternation(r.pseudo)
        self.undocumented_span = alternation(r.undocumented_span)
        self.evidence_span = alternation(r.evidence_span)
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
        self.guideline = alternation(r.guideline_sentence)
        self.reported = alternation(r.reported_decision)
        # breaks are written with their own boundaries (they may start at a comma): no word-bound wrapper
        self.clause_break = (
            re.compile("|".join(f"(?:{b})" for b in r.clause_break), re.IGNORECASE) if r.clause_break else None
        )
        self.complaint = alternation(r.complaint_before)
        self.complaint_end = alternation(r.complaint_end)
        self.case_sentence = alternation(r.case_sentence)
        self.requested_before = alternation(r.requested_before)
        self.requested_after = alternation(r.requested_after)
        self.requested_end = alternation(r.requested_end)
        self.requested_more = alternation(r.requested_more)
        self.study_before = alternation(r.study_before)

    def join_quoted_lists(self, found: list[Sentence]) -> list[Sentence]:
        """`found` with a guideline's list quoted item by item joined to the sentence that leads it, so the
        items are skipped as the restatement they are: "... Criteria for ordering imaging studies are:
        Emergence of a red flag. Physiologic evidence of tissue insult or neurologic dysfunction. Failure to
        progress in a strengthening program ..." is one restated sentence. The lead restates a guideline and
        ends with a colon and a short first item; the items that follow (at most QUOTED_ITEMS, each at most
        QUOTED_ITEM_WORDS words) name nothing of this case (context.yaml `case_sentence`); the first that
        does ends the list. Without `case_sentence` triggers nothing is joined."""
        if self.case_sentence is None:
            return found
        out: list[Sentence] = []
        k = 0
        while k < len(found):
            lead = found[k]
            k += 1
            colon = lead.text.rfind(":")
            first_item = lead.text[colon + 1 :]
            if (
                colon < 0
                or len(first_item.split()) > QUOTED_ITEM_WORDS
                or self.case_sentence.search(first_item)
                or self.skipped(lead.text) != "guideline"
            ):
                out.append(lead)
                continue
            joined = lead
            for item in found[k : k + QUOTED_ITEMS]:
                if (
                    item.section != lead.section
                    or len(item.text.split()) > QUOTED_ITEM_WORDS
                    or self.case_sentence.search(item.text)
                ):
                    break
                joined = Sentence(f"{joined.text} {item.text}", joined.start, item.end, joined.section)
                k += 1
            out.append(joined)
        return out

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
        """'present', 'absent', 'undocumented', 'uncertain' or 'historical' (a past condition an operation
        treated) for the mention sentence[start:end].

        `judgement` (a reviewer's judgement over the records, facts.yaml `judgement`): the evidence triggers
        ("no evidence of", "does not show") come first and make the mention undocumented, not absent. Triggers
        reach only within the mention's clause (context.yaml `clause_break`), an evidence trigger anywhere in it."""
        kinds = [self.evidence, *self.kinds] if judgement else self.kinds
        text = sentence
        if self.pseudo is not None:
            text = self.pseudo.sub(lambda m: " " * len(m.group(0)), text)
        clause_start, clause_end = self._clause(sentence, start)  # a trigger does not reach into another clause
        spans = [self.undocumented_span, self.evidence_span if judgement else None]
        for span in spans:
            if span is None:
                continue
            for m in span.finditer(text, clause_start, clause_end):
                if m.start() <= start and end <= m.end():
                    # "neither A nor B is addressed": the records are silent on both; "no functional improvement
                    # has been documented": the records are silent on a judgement
                    return "undocumented"
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
            if best[2] == "absent" and self._lack_of_records(before, best[0], after[:window_end]):
                return "undocumented"
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

    def _lack_of_records(self, before: str, trigger_end: int, after: str) -> bool:
        """Whether the negation ending at `trigger_end` is "a lack (absence) of" whose object goes on to the
        records' word on something ("a lack of complaints of X and adequate documentation regarding Y"): the
        reviewer finds the records silent on all of it, not X absent."""
        return bool(_LACK_OF.search(before[:trigger_end])) and bool(_AND_RECORDS.match(after))

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
            if pre is None or kind in ("uncertain", "historical"):
                continue
            for m in pre.finditer(before, start):
                if m.start() >= window_start:
                    break  # within the window: the ordinary pass has seen it
                between = before[m.end() :]
                if m.group(0).lower() in BARE_NEGATIONS and not _OR_LAST.search(between):
                    # "no deformity, tenderness of the trapezius, spasm ..." lists findings both ways; a list
                    # closed by "or" before the mention is one denied list: "no fever, chills, ... or saddle
                    # anesthesia"
                    continue
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

    def in_study_result(self, sentence: str, start: int) -> bool:
        """Whether the mention at `start` is in a test's result: a context.yaml `study_before` trigger (a
        study named) earlier in its clause, not cut off by a termination term ("EMG/NCS: normal study, no
        evidence of median neuropathy"; not "the MRI was normal, but she has no neuropathic symptoms")."""
        if self.study_before is None:
            return False
        clause_start, _ = self._clause(sentence, start)
        before = sentence[clause_start:start]
        return any(not self._terminated(before[m.end() :]) for m in self.study_before.finditer(before))

    _ITEM_SEPARATOR = re.compile(r",|\b(?:and|or|plus|as well as|along with)\b", re.IGNORECASE)

    def requested(self, sentence: str, start: int, end: int) -> bool:
        """Whether the mention sentence[start:end] names what is requested, planned or recommended, not care
        had (for a `care_had` fact): a context.yaml `requested_before` trigger within `window_words` before
        it in its clause, with no `requested_end` or termination term between ("the provider requested a
        lumbar epidural injection and six visits of chiropractic"; not "... an MRI because ibuprofen
        failed"), or a `requested_after` trigger right after it ("a caudal epidural was requested"). A
        mention whose own list item asks for more of it (`requested_more`: "a refill of tramadol",
        "additional physical therapy") names care had, and is not requested."""
        if self.requested_before is None and self.requested_after is None:
            return False
        clause_start, clause_end = self._clause(sentence, start)
        before = sentence[clause_start:start]
        item = self._ITEM_SEPARATOR.split(before)[-1]
        if self.requested_more is not None and self.requested_more.search(item):
            return False
        if self.requested_before is not None:
            words = list(re.finditer(r"\S+", before))
            reach = words[-self.rules.window_words].start() if len(words) >= self.rules.window_words else 0
            for m in self.requested_before.finditer(before, reach):
                between = before[m.end() :]
                if self._terminated(between) or (self.requested_end is not None and self.requested_end.search(between)):
                    continue
                return True
        if self.requested_after is not None:
            return self.requested_after.search(sentence[end:clause_end]) is not None
        return False

    def negates_earlier_item(self, sentence: str, start: int) -> bool:
        """Whether the last negation trigger before the mention at `start` (in its clause) is separated from it
        by a comma or semicolon: it negates an earlier item of a list, not this one ("no weakness in the legs,
        negative straight leg raise and intact sensation": the normal result is stated, not denied)."""
        pre = self.kinds[0][1]
        if pre is None:
            return False
        clause_start, _ = self._clause(sentence, start)
        before = sentence[clause_start:start]
        last = None
        for m in pre.finditer(before):
            last = m
        return last is not None and bool(re.search(r"[,;]", before[last.end() :]))

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
            if (_LIST_LEAD.search(first) or _OPEN_QUOTE.match(first)) and self._guideline(first):
                # "Documentation of the four A's includes ...; ...; ...", 'ACOEM lists the criteria as "a red
                # flag; failure to progress in a strengthening program; ..."': one restated list
                return "guideline"
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
