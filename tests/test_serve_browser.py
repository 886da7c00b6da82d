"""The page in a real headless Chromium (Debian's chromium package, driven by Playwright with the system
browser: Playwright's own browser download is never used): load it, choose two letters written for the
suite, check them, and see the index, the chart of outcomes, the items, both decisions and the decisive
evidence sentence marked in the letter's text. Screenshots (desktop and phone widths) are saved under
build/test-artefacts/. Skips with a reason where Chromium or Playwright is not installed (`.ci/run`
installs both: `apt-get install -y chromium`, `pip install playwright`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .test_serve import CONTRADICTED, UNDOCUMENTED, running_server

CHROMIUM = os.environ.get("IMR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
ARTEFACTS = Path(__file__).resolve().parents[1] / "build" / "test-artefacts"
FLAGS = [  # a closed network: no background connections, no look-ups at start
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)")


def test_a_person_checks_two_letters_in_chromium(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
    letters = [tmp_path / "mri-letter.txt", tmp_path / "surgery-letter.txt"]
    letters[0].write_text(CONTRADICTED)
    letters[1].write_text(UNDOCUMENTED)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    assert CHROMIUM is not None
    with running_server() as address, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1100})
            page.goto(address)
            assert "Drop letters or case files here" in page.locator(".drop").inner_text()
            page.set_input_files("#files", [str(p) for p in letters])
            # the page's script (allowed by its content policy) lists the chosen files
            page.wait_for_function("document.getElementById('chosen').textContent.includes('mri-letter.txt')")
            page.click("form.upload button[type=submit]")
            page.wait_for_selector("section.letter", timeout=60_000)
            assert page.title() == "imr-rules check: 2 letters"
            # the index and the chart of outcomes per service
            assert page.locator("table.index").is_visible()
            chart = page.locator("svg.chart")
            assert chart.is_visible() and chart.bounding_box()["height"] > 50  # type: ignore[index]
            labels = chart.text_content() or ""
            assert "mri_lumbar" in labels and "discectomy" in labels
            item = page.locator("#letter-0 .item").first
            text = item.inner_text()
            assert "Lumbar MRI" in text
            assert "Letter: Upheld · rules: Overturned" in text
            assert "INCONSISTENT" in text and "DECISION-CONTRADICTS-CRITERIA" in text
            # several letters: each letter's text is folded; open the first and see its decisive sentence
            page.locator("#letter-0 details.letter-text > summary").click()
            marks = page.locator("#letter-0 .letter-text mark.decisive")
            shown = [
                marks.nth(k)
                for k in range(marks.count())
                if marks.nth(k).is_visible() and "saddle anesthesia" in " ".join(marks.nth(k).inner_text().split())
            ]
            assert shown, marks.all_inner_texts()
            page.screenshot(path=str(ARTEFACTS / "serve-page-1280.png"), full_page=False)
            page.set_viewport_size({"width": 390, "height": 1600})
            page.screenshot(path=str(ARTEFACTS / "serve-page-390.png"), full_page=False)
            # nothing on the page is wider than a phone's screen
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            browser.close()
    assert (ARTEFACTS / "serve-page-1280.png").stat().st_size > 10_000
