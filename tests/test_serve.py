"""`imr-rules serve` (issue 17): the page and the JSON API through the framework's test client (httpx), on
letters written for the suite, through the real engine; the size limit, bad files, the private temporary
folder left empty, loopback by default; and the real command started in a subprocess."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from imr_rules.engine.certify import what_would_certify
from imr_rules.models.serve import CheckResponse, ErrorResponse, EvaluateResponse
from imr_rules.serve import Settings, create_app
from imr_rules.serve.uploads import private_folder, safe_name

from .conftest import CASES, RULES
from .test_check import CHECKER, ODG_DISCECTOMY, RED_FLAG_SUMMARY, SPECIAL_STUDIES, letter

# A denied MRI whose letter documents a red flag (an error: the documented facts decide Overturned), and a
# denied discectomy whose letter documents no criterion (consistent; what would certify it is listed).
CONTRADICTED = letter(
    RED_FLAG_SUMMARY, [("Lumbar MRI", "Upheld", SPECIAL_STUDIES, "The request is not medically necessary.")]
)
UNDOCUMENTED = letter(
    "This fictional worker is a 47 year old male warehouse clerk with low back pain after lifting a crate.",
    [("L4-L5 microdiscectomy", "Upheld", ODG_DISCECTOMY, "The request is not medically necessary.")],
)


@pytest.fixture()
def tmp_root(tmp_path: Path) -> Path:
    root = tmp_path / "tmp"
    root.mkdir()
    return root


@pytest.fixture()
def client(tmp_root: Path) -> TestClient:
    app = create_app(Settings(rules_dir=RULES, tmp_root=tmp_root, max_upload_bytes=200_000))
    return TestClient(app, base_url="http://127.0.0.1")


def _files(*named: tuple[str, str | bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, body.encode() if isinstance(body, str) else body, "text/plain")) for name, body in named]


def test_page_shows_verdicts_decisions_and_the_evidence_marked_in_the_letter(
    client: TestClient, tmp_root: Path
) -> None:
    response = client.post("/check", files=_files(("mri.txt", CONTRADICTED), ("surgery.txt", UNDOCUMENTED)))
    assert response.status_code == 200
    page = response.text
    assert "<title>imr-rules check: 2 letters</title>" in page
    assert "name='viewport'" in page or 'name="viewport"' in page
    # an index of the letters, the inconsistent one first
    index = page[page.index("Letters checked") : page.index("</table>")]
    assert index.index("mri.txt") < index.index("surgery.txt")
    # the chart of outcomes per service: the MRI Upheld by the letter, Overturned by the engine
    chart = page[page.index("<svg class='chart'") : page.index("</svg>")]
    assert "<title>mri_lumbar: letter Upheld 1</title>" in chart
    assert "<title>mri_lumbar: engine Overturned 1</title>" in chart
    assert "1 item, agree 0/1" in chart
    # per letter: verdict in words, the items with both decisions
    mri = page[page.index("id='letter-0'") : page.index("id='letter-1'")]
    assert "INCONSISTENT" in mri and "DECISION-CONTRADICTS-CRITERIA" in mri
    assert "Letter: <b>Upheld</b> &middot; rules: <b>Overturned</b>" in mri
    # the decisive evidence sentence is marked in the letter's own text
    marks = re.findall(r"<mark id='ev-0-\d+' class='decisive'>(.*?)</mark>", mri, re.S)
    assert any("saddle anesthesia" in " ".join(m.split()) for m in marks), marks
    # decisive criteria first, the full checklist folded
    assert mri.index("What decided it") < mri.index("<details><summary>Every criterion")
    surgery = page[page.index("id='letter-1'") :]
    assert "Letter: <b>Upheld</b> &middot; rules: <b>Upheld</b>" in surgery
    assert "What would certify it" in surgery and "Discectomy/laminectomy indications" in surgery
    assert "What would certify it" not in mri  # the MRI's decision already has what certifies it
    # downloads: the check as JSON and the case file, carried in the page (nothing kept on the server)
    links = dict(re.findall(r"download='([^']+)' href='data:[^;]+;charset=utf-8;base64,([^']+)'", surgery))
    check = json.loads(base64.b64decode(links["surgery.check.json"]))
    assert check["items"][0]["engine_decision"] == "Upheld"
    case = yaml.safe_load(base64.b64decode(links["surgery.yaml"]))
    assert case["letter"] == "surgery.txt" and case["items"][0]["service"] == "discectomy"
    # served locally: nothing fetched from elsewhere; a strict content policy
    assert not re.search(r"(src|href)=['\"]https?://", page)
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "<details class='letter-text'>" in page  # folded when the page shows several letters
    one = client.post("/check", files=_files(("mri.txt", CONTRADICTED))).text
    assert "<title>imr-rules check: mri.txt</title>" in one and "<details class='letter-text' open>" in one
    assert list(tmp_root.iterdir()) == []


def test_api_check_gives_decisions_severities_and_what_would_certify(client: TestClient, tmp_root: Path) -> None:
    response = client.post("/api/check", files=_files(("mri.txt", CONTRADICTED), ("surgery.txt", UNDOCUMENTED)))
    assert response.status_code == 200
    body = response.json()
    CheckResponse.model_validate(body)  # the shape the OpenAPI page documents
    assert body["errors"] == []
    mri, surgery = body["letters"]
    assert (mri["file"], mri["severity"], mri["consistent"]) == ("mri.txt", "error", False)
    item = mri["items"][0]
    assert (item["letter_decision"], item["engine_decision"]) == ("Upheld", "Overturned")
    assert [f["code"] for f in item["findings"]] == ["DECISION-CONTRADICTS-CRITERIA"]
    assert mri["certify"] == {}
    assert surgery["consistent"] is True
    changes = surgery["certify"]["L4-L5 microdiscectomy"]["changes"]
    odg = next(c for c in changes if c["rule"] == "odg-discectomy-laminectomy")
    assert odg["correction_needed"] is False
    texts = [r["text"] for r in odg["paths"][0]["requirements"]]
    assert any("Imaging shows nerve-root compression" in t for t in texts)
    assert all("Official Disability Guidelines" in r["citation"] for r in odg["paths"][0]["requirements"])
    assert "case_file" in surgery and surgery["kind"] == "letter"
    assert list(tmp_root.iterdir()) == []


def test_what_would_certify_names_the_criterion_documented_the_other_way(library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A denied discectomy whose letter documents imaging without compression: documentation alone cannot
    certify it; the imaging criterion is listed with what the letter documents."""
    path = tmp_path / "letter.txt"
    summary = (
        "This fictional worker is a 52 year old female nurse. The lumbar MRI showed no nerve root compression "
        "and no stenosis."
    )
    path.write_text(letter(summary, [("L5-S1 discectomy", "Upheld", ODG_DISCECTOMY, "Not medically necessary.")]))
    from imr_rules.checking.consistency import check_path

    det = check_path(path, CHECKER).items[0].determination
    assert det.outcome == "Upheld"
    found = what_would_certify(det, library)
    assert found is not None
    odg = next(c for c in found.changes if c.rule == "odg-discectomy-laminectomy")
    assert odg.correction_needed
    corrected = [r for r in odg.paths[0].requirements if r.documented is not None]
    assert [r.fact for r in corrected] == ["imaging_neural_compression"]
    assert corrected[0].documented is False and corrected[0].value is True
    # the rule's citation as a letter writes it (it was the bound method's repr)
    assert corrected[0].citation.startswith("Official Disability Guidelines (ODG), Low Back")
    # an Overturned item needs nothing
    assert what_would_certify(det.model_copy(update={"outcome": "Overturned"}), library) is None


def test_checks_running_at_once_each_get_their_own_answer(client: TestClient, tmp_root: Path) -> None:
    """Checks run in worker threads: several at once must not mix up their letters."""
    from concurrent.futures import ThreadPoolExecutor

    def post(n: int) -> tuple[int, str, str]:
        name, body = ("mri.txt", CONTRADICTED) if n % 2 else ("surgery.txt", UNDOCUMENTED)
        answer = client.post("/api/check", files=_files((f"{n}-{name}", body))).json()["letters"][0]
        return n, answer["file"], answer["items"][0]["engine_decision"]

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(post, range(8)))
    for n, file, decision in answers:
        assert file.startswith(f"{n}-")
        assert decision == ("Overturned" if n % 2 else "Upheld")
    assert list(tmp_root.iterdir()) == []


def test_api_evaluate_takes_case_files_and_letters(client: TestClient, tmp_root: Path) -> None:
    case = (CASES / "001_dbfc6dcde667e7b2.yaml").read_bytes()
    response = client.post("/api/evaluate", files=_files(("001.yaml", case), ("surgery.txt", UNDOCUMENTED)))
    assert response.status_code == 200
    EvaluateResponse.model_validate(response.json())
    first, second = response.json()["evaluations"]
    assert first["file"] == "001.yaml" and len(first["determinations"]) == 5
    assert {d["outcome"] for d in first["determinations"]} == {"Upheld"}
    assert second["determinations"][0]["outcome"] == "Upheld"
    assert list(tmp_root.iterdir()) == []


def test_the_same_letter_evaluated_twice_has_the_same_case_digest(client: TestClient) -> None:
    # the case read from an uploaded letter names the letter as uploaded, not the private temporary copy
    def digest() -> str:
        answer = client.post("/api/evaluate", files=_files(("surgery.txt", UNDOCUMENTED))).json()
        return str(answer["evaluations"][0]["provenance"]["case_digest"])

    assert digest() == digest()


def test_a_case_file_is_checked_against_the_uploaded_letter_it_names(client: TestClient) -> None:
    extracted = client.post("/api/check", files=_files(("mri.txt", CONTRADICTED))).json()["letters"][0]
    case_yaml = extracted["case_file"]
    both = client.post("/api/check", files=_files(("reviewed.yaml", case_yaml), ("mri.txt", CONTRADICTED))).json()
    assert [(letter["file"], letter["kind"]) for letter in both["letters"]] == [("reviewed.yaml", "case")]
    assert both["letters"][0]["severity"] == "error"
    alone = client.post("/api/check", files=_files(("reviewed.yaml", case_yaml))).json()["letters"][0]
    skipped = [f for f in alone["findings"] if f["code"] == "LETTER-CHECKS-SKIPPED"]
    assert skipped and "imr-serve-" not in skipped[0]["message"]


def test_a_case_file_never_makes_the_server_read_its_own_files(client: TestClient, tmp_path: Path) -> None:
    secret = tmp_path / "server-side.txt"
    secret.write_text(CONTRADICTED)
    case = {"case": "probe", "letter": str(secret), "items": [{"item": "Lumbar MRI", "service": "mri_lumbar"}]}
    body = client.post("/api/check", files=_files(("probe.yaml", yaml.safe_dump(case)))).json()
    (result,) = body["letters"]
    assert any(f["code"] == "LETTER-CHECKS-SKIPPED" for f in result["findings"])
    assert "saddle" not in json.dumps(result)


def test_upload_over_the_limit_is_refused_with_413(client: TestClient, tmp_root: Path) -> None:
    big = UNDOCUMENTED + "x" * 250_000
    response = client.post("/api/check", files=_files(("big.txt", big)))
    assert response.status_code == 413
    assert "too large" in response.json()["errors"][0]["error"]
    page = client.post("/check", files=_files(("big.txt", big)))
    assert page.status_code == 413 and "too large" in page.text
    assert list(tmp_root.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("binary.txt", b"\x00\x01\x02 not text", "binary.txt: binary file, expected text"),
        ("notes.txt", "Just some notes, no decisions.\n", "notes.txt: no decisions section"),
        ("case.yaml", "case: x\nitems: [\n", "case.yaml:"),
        ("script.sh", "#!/bin/sh\nrm -rf /\n", "unsupported file type"),
        ("letter.pdf", b"%PDF-1.4\n not really a PDF", "letter.pdf"),
    ],
)
def test_a_bad_file_gets_one_line_and_a_4xx(
    client: TestClient, tmp_root: Path, name: str, body: str, expected: str
) -> None:
    response = client.post("/api/check", files=_files((name, body)))
    assert response.status_code == 400
    (error,) = ErrorResponse.model_validate(response.json()).errors
    assert expected in error.error and "\n" not in error.error
    assert "Traceback" not in response.text and str(tmp_root) not in response.text
    page = client.post("/check", files=_files((name, body)))
    assert page.status_code == 400 and "Could not read" in page.text and "Traceback" not in page.text
    assert list(tmp_root.iterdir()) == []


def test_no_file_chosen_and_a_foreign_host_are_refused(client: TestClient) -> None:
    assert client.post("/check", files=[("files", ("", b"", "application/octet-stream"))]).status_code == 400
    page = client.post("/check", files=[("files", ("", b"", "application/octet-stream"))])
    assert "choose at least one file" in page.text
    missing = client.post("/api/check")
    assert missing.status_code == 422 and missing.json()["errors"][0]["error"] == "files: Field required"
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400


def test_openapi_page_is_served_locally(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/check", "/api/evaluate"} <= set(schema["paths"])
    answers = schema["paths"]["/api/check"]["post"]["responses"]
    assert answers["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/CheckResponse")
    assert {"400", "413", "422"} <= set(answers)
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert not re.search(r"(src|href)=['\"]https?://", docs.text)
    script = re.search(r"src=['\"]([^'\"]*swagger-ui-bundle\.js)", docs.text)
    assert script is not None and client.get(script.group(1)).status_code == 200


def test_uploads_are_named_safely_in_a_private_folder(tmp_root: Path) -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\me\\letter one.txt") == "letter one.txt"
    assert safe_name("..") == "upload"
    with private_folder(tmp_root) as folder:
        assert folder.parent == tmp_root and (folder.stat().st_mode & 0o777) == 0o700
    assert list(tmp_root.iterdir()) == []


def test_loopback_is_the_default() -> None:
    from imr_rules.cli.commands.serve import serve

    assert Settings(rules_dir=RULES).host == "127.0.0.1"
    assert next(p for p in serve.params if p.name == "host").default == "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(*args: str) -> Iterator[str]:
    """The real `imr-rules serve` on a free loopback port, in a subprocess; yields its address."""
    port = _free_port()
    exe = Path(sys.executable).parent / "imr-rules"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "imr_rules.cli"]
    proc = subprocess.Popen(
        [*command, "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        address = f"http://127.0.0.1:{port}/"
        assert address in line, line
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(address, timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield address
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_the_real_command_serves_a_page_on_loopback() -> None:
    with running_server() as address:
        with urllib.request.urlopen(address, timeout=5) as response:
            status, text = response.status, response.read().decode()
        assert status == 200 and "Drop letters" in text
        port = int(address.rstrip("/").rsplit(":", 1)[1])
        tcp = Path("/proc/net/tcp")
        if tcp.exists():  # the listening socket's local address is 127.0.0.1 (0100007F), not 0.0.0.0
            listening = [ln.split()[1] for ln in tcp.read_text().splitlines()[1:] if ln.split()[3] == "0A"]
            assert f"0100007F:{port:04X}" in listening
            assert f"00000000:{port:04X}" not in listening


def _contrast(a: str, b: str) -> float:
    from .test_check_calibration import _luminance

    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_page_colours_meet_wcag_aa() -> None:
    """The page's own style sheet: each rule's text on its background, and the text colours used on the
    page's other backgrounds (4.5:1); the drop zone's border against its surroundings (3:1, WCAG 1.4.11)."""
    css = (Path(__file__).resolve().parents[1] / "imr_rules" / "serve" / "static" / "serve.css").read_text()
    checked = 0
    for body in re.findall(r"\{([^}]*)\}", css):
        colour = re.search(r"(?:^|[;\s])color:\s*(#[0-9a-f]{6})", body)
        background = re.search(r"background:\s*(#[0-9a-f]{6})", body)
        if colour and background:
            assert _contrast(colour.group(1), background.group(1)) >= 4.5, body
            checked += 1
    assert checked >= 3  # the Check button, the outline buttons, the decisive mark
    text_on = [
        ("#0b57a4", "#ffffff"),  # links and outline buttons
        ("#0b57a4", "#eaf2fb"),  # outline button, hovered
        ("#ffffff", "#08437f"),  # the Check button, hovered
        ("#4a4a4a", "#f5f8fb"),  # muted text in the drop zone
        ("#1a1a1a", "#eaf2fb"),  # the drop zone, hovered
        ("#3d3d3d", "#eef4fb"),  # citations in "what would certify it"
        ("#1a1a1a", "#fafafa"),  # the letter's text
    ]
    for text, background in text_on:
        assert text in css or text in ("#ffffff", "#1a1a1a", "#4a4a4a"), text
        assert _contrast(text, background) >= 4.5, (text, background)
    from imr_rules.output.report import OUTCOME_COLOURS

    for colour in OUTCOME_COLOURS.values():  # the chart's bars: white counts on them, on a white page
        assert _contrast("#ffffff", colour) >= 4.5 and _contrast(colour, "#ffffff") >= 3, colour
    assert _contrast("#5a6b7d", "#f5f8fb") >= 3 and _contrast("#5a6b7d", "#ffffff") >= 3


def test_an_item_the_rules_cannot_decide_is_neither_confirmed_nor_contradicted_on_the_page_and_api(
    client: TestClient,
) -> None:
    from .test_cli_views import _no_rule_letter

    page = client.post("/check", files=_files(("hardware.txt", _no_rule_letter()))).text
    assert "<span class='verdict sev-unchecked'>neither confirmed nor contradicted</span>" in page
    assert "the rules decide none of its items" in page and "verdict sev-none" not in page
    body = client.post("/api/check", files=_files(("hardware.txt", _no_rule_letter()))).json()
    CheckResponse.model_validate(body)
    (letter_out,) = body["letters"]
    assert letter_out["verdict"] == "not_checked" and letter_out["items"][0]["verdict"] == "not_checked"


def test_what_would_certify_lists_alternatives_without_a_dangling_and() -> None:
    """Alternatives with nothing shared read "one of:", and "and one of:" only after shared requirements
    (the page once read "The letter would need to document: and one of: ...")."""
    from imr_rules.models.certify import Alternative, Certification, Requirement, RuleChange
    from imr_rules.serve.render import certify_html

    def req(fact: str, text: str) -> Requirement:
        return Requirement(criterion=f"r/{fact}", text=text, citation="MTUS", fact=fact, value=True)

    limited, failed, lesion = (
        req("limited", "Activity has been limited."),
        req("failed", "An exercise program failed."),
        req("lesion", "A surgical lesion on imaging."),
    )

    def page(paths: list[list[Requirement]]) -> str:
        change = RuleChange(
            rule="r",
            title="Knee surgery",
            citation="MTUS",
            status="not_documented",
            effect="supports",
            correction_needed=False,
            paths=[Alternative(requirements=p) for p in paths],
        )
        return certify_html(Certification(item="Knee arthroscopy", changes=[change]))

    alone = page([[limited], [failed]])
    assert "<li>one of:" in alone and "and one of" not in alone
    shared = page([[lesion, limited], [lesion, failed]])
    assert "<li>and one of:" in shared and shared.index("A surgical lesion") < shared.index("and one of")
