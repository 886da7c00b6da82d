"""The page in a real headless Chromium (Debian's chromium and chromium-driver, driven by Selenium): load
it, choose a letter written for the suite, check it, and see the items, both decisions and the decisive
evidence sentence marked in the letter's text. Screenshots (desktop and phone widths) are saved under
build/test-artefacts/. Skips with a reason where Chromium or its driver is not installed
(`apt-get install -y chromium chromium-driver`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .test_serve import CONTRADICTED, running_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
ARTEFACTS = Path(__file__).resolve().parents[1] / "build" / "test-artefacts"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None, reason="Chromium and chromedriver are not installed (Debian: chromium-driver)"
)


def test_a_person_checks_a_letter_in_chromium(tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    letter = tmp_path / "mri-letter.txt"
    letter.write_text(CONTRADICTED)
    options = webdriver.ChromeOptions()
    assert CHROMIUM is not None and DRIVER is not None
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"):
        options.add_argument(flag)
    options.add_argument("--window-size=1280,1600")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with running_server() as address:
        driver = webdriver.Chrome(options=options, service=Service(executable_path=DRIVER))
        try:
            driver.get(address)
            assert "Drop letters or case files here" in driver.find_element(By.CSS_SELECTOR, ".drop").text
            driver.find_element(By.ID, "files").send_keys(str(letter))
            # the page's script (allowed by its content policy) lists the chosen file
            WebDriverWait(driver, 10).until(
                expected_conditions.text_to_be_present_in_element((By.ID, "chosen"), "mri-letter.txt")
            )
            driver.find_element(By.CSS_SELECTOR, "form.upload button[type=submit]").click()
            WebDriverWait(driver, 60).until(
                expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "section.letter"))
            )
            assert driver.title == "imr-rules check: mri-letter.txt"
            item = driver.find_element(By.CSS_SELECTOR, "section.letter .item")
            assert "Lumbar MRI" in item.text
            assert "Letter: Upheld · rules: Overturned" in item.text
            assert "INCONSISTENT" in item.text and "DECISION-CONTRADICTS-CRITERIA" in item.text
            marks = driver.find_elements(By.CSS_SELECTOR, ".letter-text mark.decisive")
            shown = [m for m in marks if m.is_displayed() and "saddle anesthesia" in " ".join(m.text.split())]
            assert shown, [m.text for m in marks]
            driver.save_screenshot(str(ARTEFACTS / "serve-page-1280.png"))
            driver.set_window_size(390, 1600)
            driver.save_screenshot(str(ARTEFACTS / "serve-page-390.png"))
            # nothing on the page is wider than a phone's screen
            assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
        finally:
            driver.quit()
    assert (ARTEFACTS / "serve-page-1280.png").stat().st_size > 10_000
