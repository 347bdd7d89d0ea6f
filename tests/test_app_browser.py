"""app.py served by `solara run` and used in a real headless browser (Debian's chromium through
selenium, no network): the page loads, the map renders, a step changes it, bad input is one line
on the page, and the browser's console stays free of errors."""

from __future__ import annotations

import pytest

from tests.browser import chromium, click_button, console_errors, serve_app, type_into, wait_for_map

NAMES = ["EU Digital COVID Certificate", "China health-code certificate", "SMART Health Cards", "DIVOC",
         "ICAO VDS-NC"]


@pytest.fixture(scope="module")
def browser_page():
    with serve_app() as url, chromium() as driver:
        driver.get(url)
        yield driver


@pytest.mark.slow
def test_page_loads_with_the_standards_and_a_map(browser_page):
    driver = browser_page
    src = wait_for_map(driver)
    assert src.startswith(("blob:", "data:image/png"))
    body = driver.find_element("tag name", "body").text
    assert all(name in body for name in NAMES)
    assert "historical_2021" in body
    size = driver.execute_script("const i = document.querySelector('img.credential-map');"
                                 "return [i.naturalWidth, i.getBoundingClientRect().width];")
    assert size[0] > 400 and size[1] > 200  # drawn at a readable size, not a collapsed box
    assert console_errors(driver) == []


@pytest.mark.slow
def test_a_step_changes_the_map(browser_page):
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser_page
    before = wait_for_map(driver)
    click_button(driver, "Step")
    WebDriverWait(driver, 60).until(lambda d: wait_for_map(d) != before)
    WebDriverWait(driver, 30).until(lambda d: "2021-01 (month 1 of 36)" in d.find_element("tag name", "body").text)
    assert console_errors(driver) == []


@pytest.mark.slow
def test_bad_input_is_one_line_on_the_page(browser_page):
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser_page
    type_into(driver, ".credential-settings", "decision.rationality=-1")
    line = "decision.rationality = -1.0: must be a finite number >= 0 (or inf)"
    alert = WebDriverWait(driver, 30).until(
        lambda d: next((a for a in d.find_elements("css selector", ".v-alert") if line in a.text), None))
    assert alert.text.strip() == line
    assert "Traceback" not in driver.find_element("tag name", "body").text
    type_into(driver, ".credential-settings", "")
    WebDriverWait(driver, 30).until(lambda d: not d.find_elements("css selector", ".v-alert"))
    wait_for_map(driver)
    assert console_errors(driver) == []
