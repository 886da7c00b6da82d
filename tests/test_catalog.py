"""The topic catalog (rules/catalog.yaml, `imr-rules rules catalog`, docs/CATALOG.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from imr_rules import RuleLibrary
from imr_rules.cli import main
from imr_rules.errors import SchemaError
from imr_rules.library.catalog import check_catalog, load_catalog, render_markdown, table_rows

from .conftest import ROOT, RULES, bundled_library

CATALOG_PAGE = ROOT / "docs" / "CATALOG.md"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_rule_is_in_the_catalog_and_every_named_rule_exists(library: RuleLibrary) -> None:
    assert check_catalog(load_catalog(RULES), library) == []


def test_committed_page_is_up_to_date() -> None:
    page = render_markdown(load_catalog(RULES, table_rows(bundled_library())))
    committed = CATALOG_PAGE.read_text(encoding="utf-8")
    assert committed == page, "regenerate with: imr-rules rules catalog --format markdown -o docs/CATALOG.md"


def test_the_catalog_has_every_guideline_and_the_share_encoded() -> None:
    code, out, err = invoke("rules", "catalog", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    groups = {g["id"]: g for g in data["groups"]}
    for required in (
        "cpmtg",
        "opioids-2016",
        "postsurgical",
        "acoem-ch5",
        "acoem-ch7",
        "acoem-ch8",
        "acoem-ch9",
        "mtus-elbow",
        "acoem-ch11",
        "acoem-ch12",
        "acoem-ch13",
        "acoem-ch14",
        "odg",
    ):
        assert groups[required]["topics"], required
    assert data["total"] == sum(g["total"] for g in data["groups"])
    assert data["encoded"] == sum(1 for g in data["groups"] for t in g["topics"] if t.get("rules"))
    for group in data["groups"]:
        for topic in group["topics"]:
            assert topic["citation"]
            assert bool(topic.get("rules")) != bool(topic.get("not_encoded")), topic["id"]
    text_code, text, _ = invoke("rules", "catalog")
    assert text_code == 0
    percent = 100 * data["encoded"] / data["total"]
    first = f"Topic catalog: {data['encoded']} of {data['total']} topics encoded ({percent:.0f}%)"
    assert text.splitlines()[0] == first


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(RULES, root)
    return root


def test_an_unknown_rule_and_an_unnamed_rule_are_reported_with_their_files(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    catalog = root / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    assert "  - mtus-cpmtg-massage\n" in text
    catalog.write_text(text.replace("  - mtus-cpmtg-massage\n", "  - mtus-cpmtg-massages\n"), encoding="utf-8")
    code, _, err = invoke("rules", "catalog", "--rules", str(root))
    assert code == 1
    lines = err.splitlines()
    unknown = "names rule 'mtus-cpmtg-massages', which does not exist"
    assert any("catalog.yaml:" in line and unknown in line for line in lines)
    assert any("mtus-cpmtg-massage.yaml:1:" in line and "named by no topic" in line for line in lines)


def test_a_topic_without_rules_must_say_why(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    catalog = root / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace("  not_encoded: not yet encoded\n", "\n", 1), encoding="utf-8")
    with pytest.raises(SchemaError, match="must say why it is not encoded"):
        load_catalog(root)
    code, _, err = invoke("rules", "catalog", "--rules", str(root))
    assert code == 2
    assert err.startswith("error: ") and "catalog.yaml:" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("not_encoded: not yet encoded", "not_encoded: maybe later", "not_encoded"),
        ("group: cpmtg\n", "group: nowhere\n", "names group 'nowhere'"),
    ],
)
def test_bad_catalog_is_one_line_and_exit_2(tmp_path: Path, old: str, new: str, message: str) -> None:
    root = _copy(tmp_path)
    catalog = root / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    code, _, err = invoke("rules", "catalog", "--rules", str(root))
    assert code == 2
    assert message in err and len(err.splitlines()) == 1


def test_a_library_without_a_catalog_is_exit_2(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "catalog.yaml").unlink()
    code, _, err = invoke("rules", "catalog", "--rules", str(root))
    assert code == 2 and "no topic catalog" in err


def test_the_catalog_file_is_not_read_as_a_rule(library: RuleLibrary) -> None:
    assert all(Path(lr.path).name != "catalog.yaml" for lr in library.rules)


def test_markdown_output_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "CATALOG.md"
    code, _, _ = invoke("rules", "catalog", "--format", "markdown", "-o", str(out))
    assert code == 0
    assert out.read_text(encoding="utf-8") == CATALOG_PAGE.read_text(encoding="utf-8")


def test_the_postsurgical_tables_rows_show_as_encoded() -> None:
    """Each topic a table rule encodes lists the table's rows under it, with the numbers the rule uses."""
    code, out, err = invoke("rules", "catalog")
    assert code == 0, err
    assert (
        "      table row: Fusion: general course 34 visits over 16 weeks (after graft maturity), initial course 17"
        in out
    )
    code, out, err = invoke("rules", "catalog", "--format", "json")
    topics = [t for g in json.loads(out)["groups"] for t in g["topics"]]
    rows = {row for t in topics for row in t.get("table_rows", [])}
    library = bundled_library()
    expected = {
        f"{row.procedure}: general course {row.general_course}, initial course {row.initial_visits} visits, "
        f"period {row.period_months} months"
        for table in library.tables
        for condition in table.conditions
        for row in condition.rows
    }
    assert expected and rows == expected


def test_every_topic_without_a_rule_says_why_and_the_text_view_shows_it() -> None:
    catalog = load_catalog(RULES).catalog
    unexplained = [t.id for t in catalog.topics if not t.rules and t.not_encoded == "not yet encoded" and not t.note]
    assert unexplained == [], "a topic 'not yet encoded' needs a note saying what stands in the way"
    code, out, _ = invoke("rules", "catalog")
    assert code == 0
    lines = out.splitlines()
    for name in ("Electroencephalography (EEG)", "Somatosensory evoked potentials (SSEP)", "Ketorolac (Toradol)"):
        assert any(line.strip().startswith(name) for line in lines), name
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("Somatosensory evoked potentials"))
    assert lines[at + 1].strip() == "not encoded: no copy of the text to encode from"
    assert lines[at + 2].strip().startswith("why: no public copy of ODG's evoked-potential entries")
