"""Text normalisation (imr_rules/text.py): what it folds, what it drops, and that every offset maps back
to the same words in the text as given."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imr_rules.models.extracted import ExtractedItem, ExtractedLetter, ExtractionInfo, ReadEvidence, ReadFact
from imr_rules.reading.text import normalise, parse_date, remap_evidence


def words(text: str) -> list[str]:
    return text.split()


def test_plain_ascii_text_is_unchanged() -> None:
    text = "Decision rationale: The MRI showed a tear.\n\nThe request is not medically necessary.\n"
    norm = normalise(text)
    assert norm.text == text
    assert not norm.changed
    assert norm.span(5, 20) == (5, 20)


def test_typographic_characters_fold_to_what_patterns_expect() -> None:
    text = (
        "The patient\u2019s \ufb01rst \ufb02are\u00a0up \u2013 L4\u20135 \u201cpain\u201d \u2014 re\u00adlief"
        "\u200b, 5\u202fmg\ufeff \u2212 ok"
    )
    assert normalise(text).text == 'The patient\'s first flare up - L4-5 "pain" - relief, 5 mg - ok'


@pytest.mark.parametrize("apostrophe", ["\u2019", "\u02bc", "\u02bb", "\u2032", "\u00b4", "\u2035"])
def test_every_apostrophe_a_letter_may_use_reads_as_one(apostrophe: str) -> None:
    given = f"Tinel{apostrophe}s sign was positive; she doesn{apostrophe}t have red flags."
    norm = normalise(given)
    assert norm.text == "Tinel's sign was positive; she does not have red flags."
    assert norm.original[slice(*norm.span(0, 7))] == f"Tinel{apostrophe}s"


@pytest.mark.parametrize(
    ("given", "read"),
    [
        ("She doesn't have weakness.", "She does not have weakness."),
        ("He hasn\u2019t had therapy.", "He has not had therapy."),
        (
            "It didn't help, isn't helping and wasn't tolerated.",
            "It did not help, is not helping and was not tolerated.",
        ),
        ("She can't sit; he won't; they shan't.", "She cannot sit; he will not; they shall not."),
        ("THE MRI DOESN'T SHOW IT; CAN'T", "THE MRI DOES NOT SHOW IT; CANNOT"),
        ("Weren\u2018t, aren't, don't, couldn't, wouldn't", "Were not, are not, do not, could not, would not"),
    ],
)
def test_negative_contractions_are_written_out(given: str, read: str) -> None:
    norm = normalise(given)
    assert norm.text == read
    for m in re.finditer(r"\bnot\b|nnot", norm.text):  # the written-out part maps to the contraction's letters
        start, end = norm.span(m.start(), m.end())
        assert given[start:end].lower().replace("\u2019", "'").replace("\u2018", "'").endswith(("n't", "'t"))


@pytest.mark.parametrize(
    ("given", "read"),
    [
        ("DDD at C5-6 w/o foraminal stenosis.", "DDD at C5-6 without foraminal stenosis."),
        ("S/p 8 PT visits w/o relief.", "status post 8 PT visits without relief."),
        ("Pt c/o LBP w/radiation; h/o DM.", "Pt complains of LBP with radiation; history of DM."),
        ("W/O RELIEF, S/P ESI", "WITHOUT RELIEF, STATUS POST ESI"),
        ("pain w/ walking", "pain with walking"),
    ],
)
def test_slash_shorthand_is_written_out(given: str, read: str) -> None:
    norm = normalise(given)
    assert norm.text == read
    for word in ("without", "status post", "history of", "complains of"):
        at = norm.text.lower().find(word)
        if at >= 0:  # the written-out words map back to the shorthand they stand for
            start, end = norm.span(at, at + len(word))
            assert "/" in given[start:end] and len(given[start:end]) == 3


def test_words_that_only_look_like_contractions_are_unchanged() -> None:
    for text in ("The patient's knee", "Tinel's sign", "the workers' claim", "Dont", "ain't", "Hadn", "n't",
                 "and/or", "a w/c", "in w/c", "kw/h", "d/c"):  # fmt: skip
        assert normalise(text).text == text


def test_line_ends_form_feeds_and_pdfium_hyphens() -> None:
    assert normalise("one\r\ntwo\rthree\ffour").text == "one\ntwo\nthree\nfour"
    assert normalise("range-of\ufffemotion").text == "range-of-motion"


def test_words_split_by_a_wrap_are_joined() -> None:
    assert normalise("a bucket-\n   handle tear").text == "a bucket-handle tear"
    assert normalise("treat\u00ad\nment").text == "treatment"
    # a hyphen before a decision or a heading in capitals is not a broken word; before a capitalised word
    # it is ("Prothrombin time-Partial thromboplastin time" wrapped at its hyphen)
    assert normalise("Norco-\nUpheld").text == "Norco-\nUpheld"
    assert normalise("fracture-\nIMR ISSUES").text == "fracture-\nIMR ISSUES"
    assert normalise("time-\nPartial thromboplastin").text == "time-Partial thromboplastin"


def test_page_furniture_is_dropped_and_the_header_block_kept() -> None:
    body = "\n".join(f"Line {k} of the rationale goes on here." for k in range(3))
    text = (
        "Case Number: CM12-3456789\nDate Assigned: 01/02/2017\n"
        + body
        + "\n\fPage 2 of 3\nCM12-3456789\n01/04/2017\n"
        + body
        + "\n- 3 -\nIndependent Medical Review Determination\n"
        + "MRI of the knee: Upheld\n"
    )
    out = normalise(text).text
    assert "Case Number: CM12-3456789" in out  # the header block, not furniture
    assert "Page 2" not in out and "- 3 -" not in out and "01/04/2017" not in out
    assert "\nCM12-3456789\n" not in out
    assert "Independent Medical Review Determination" not in out  # running title next to a page number
    assert "MRI of the knee: Upheld" in out


def test_repeated_body_lines_are_not_furniture() -> None:
    """Four items with the same rationale repeat whole lines; none of them is page furniture."""
    para = "the patient has not failed to improve with conservative\ntreatment so the request is not necessary.\n"
    out = normalise(para * 4).text
    assert out == para * 4


def test_repeated_running_header_is_dropped_wherever_it_falls() -> None:
    header = "IMR Case Number CM16-0001234    Page {k} of 4    01/04/2017"
    lines = []
    for k in range(1, 5):
        lines += [header.format(k=k), f"Paragraph {k} has words."]
    out = normalise("\n".join(lines)).text
    assert out == "\n".join(f"Paragraph {k} has words." for k in range(1, 5))


def test_remap_evidence_maps_case_and_item_evidence_into_the_text_as_given() -> None:
    original = "\ufb01rst \ufb01nding: MRI shows stenosis."
    norm = normalise(original)
    start = norm.text.index("MRI")
    ev = ReadEvidence(quote="MRI shows stenosis.", start=start, end=len(norm.text), section="summary")
    read = ExtractedLetter(
        case="c",
        letter="c.txt",
        extraction=ExtractionInfo(tool="t", letter_digest="0", layout="plain"),
        facts={"a": ReadFact(value=True, evidence=[ev])},
        items=[ExtractedItem(item="MRI", decision="Upheld", facts={"b": ReadFact(value=True, evidence=[ev, ev])})],
    )
    mapped = remap_evidence(read, norm)
    spans = [mapped.facts["a"].evidence[0], *mapped.items[0].facts["b"].evidence]
    assert [original[e.start : e.end] for e in spans] == ["MRI shows stenosis."] * 3
    assert read.facts["a"].evidence[0].start == start  # the letter as read is left as it was
    assert remap_evidence(read, normalise("plain text")) is read  # nothing to map


# --------------------------------------------------------------------------------------------------
# Property: every span of whole words in the normalised text maps to the same words as given.

_PIECES = st.sampled_from(
    [
        "pain", "office", "fluid", "the", "L4\u20135", "\u201cquote\u201d", "patient\u2019s", "\ufb01le",
        "\ufb02ow", "e\u0301t\u00e9", "re\u00adlief", "\u00bd", "5\u00a0mg", "x\u200by", "tear.", "MRI",
    ]
)  # fmt: skip
_GAPS = st.sampled_from([" ", "  ", "\u00a0", "\u2009", "\n", "\r\n", "\n\n", "\f", "\t", " \u3000 "])


@st.composite
def letters_text(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 40))
    parts = []
    for _ in range(n):
        parts.append(draw(_PIECES))
        parts.append(draw(_GAPS))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(letters_text(), st.data())
def test_mapped_offsets_frame_the_same_words(text: str, data: st.DataObject) -> None:
    norm = normalise(text)
    bounds = [m.span() for m in re.finditer(r"\S+", norm.text)]
    if not bounds:
        return
    i = data.draw(st.integers(0, len(bounds) - 1))
    j = data.draw(st.integers(i, len(bounds) - 1))
    start, end = bounds[i][0], bounds[j][1]
    o_start, o_end = norm.span(start, end)
    assert 0 <= o_start <= o_end <= len(text)
    assert words(normalise(text[o_start:o_end]).text) == words(norm.text[start:end])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_maps_monotonically_into_the_original(text: str) -> None:
    norm = normalise(text)
    previous = 0
    for pos in range(len(norm.text) + 1):
        start = norm.start(pos)
        assert previous <= start <= len(text)
        previous = start
        assert norm.end(pos) <= len(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("3/4/2014", "2014-03-04"),
        ("Date of injury: 03-04-14", "2014-03-04"),
        ("12/31/99", "1999-12-31"),
        ("March 4, 2014", "2014-03-04"),
        ("approved on Mar 4, 2014 and 5/6/2015", "2014-03-04"),
        ("13/40/2014", None),
        ("February 30, 2014", None),
        ("no date here", None),
    ],
)
def test_one_date_parser_reads_the_dates_letters_write(text: str, day: str | None) -> None:
    found = parse_date(text)
    assert (found.isoformat() if found else None) == day
