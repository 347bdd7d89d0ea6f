"""Serve app.py with `solara run` and drive it in Debian's headless Chromium (selenium), offline.

Used by tests/test_app_browser.py, and by hand to refresh the screenshot in docs/:

    .venv/bin/python -m tests.browser docs/app.png
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1600,1250")
START_TIMEOUT = 90  # seconds for `solara run` to answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(port: int | None = None) -> Iterator[str]:
    """`solara run app.py --host 127.0.0.1 --port N` from the repository; yields its URL. The server is
    ended (its process group, by id) however the block ends."""
    port = port or free_port()
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "PYTHONUNBUFFERED": "1"}
    log = tempfile.NamedTemporaryFile("w+", prefix="solara-", suffix=".log", delete=False)  # noqa: SIM115
    command = [sys.executable, "-m", "solara", "run", "app.py", "--host", "127.0.0.1", "--port", str(port),
               "--production"]
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"solara run exited with {server.returncode}:\n{log.read()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"solara run did not answer on {url} within {START_TIMEOUT} s")
            time.sleep(0.5)
        yield url
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()
        Path(log.name).unlink(missing_ok=True)


@contextlib.contextmanager
def chromium() -> Iterator:
    """A selenium driver on Debian's chromium and chromedriver, with a fresh profile and the browser's
    console log kept; never downloads a browser."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            raise RuntimeError(f"{path} is missing: apt-get install chromium chromium-driver (.ci/run does)")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = Options()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver) -> list[str]:
    """The browser console's errors so far (SEVERE entries)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def wait_for_map(driver, timeout: float = 90) -> str:
    """Wait until the world map image has loaded; return its src."""
    from selenium.webdriver.support.ui import WebDriverWait

    script = ("const img = document.querySelector('img.credential-map');"
              "return img && img.complete && img.naturalWidth > 0 ? img.src : null;")
    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script))


def click_button(driver, label: str) -> None:
    button = driver.find_element("xpath", f"//button[normalize-space(.)='{label}' or .//span[normalize-space(.)="
                                          f"'{label}']]")
    button.click()


def type_into(driver, css: str, text: str, tries: int = 5) -> None:
    """Type `text` into the text field under `css` as a user does, replacing what it held, then press
    Enter. A field re-drawn while the page updates loses what was typed: check, and type again."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    for _ in range(tries):
        try:
            field = driver.find_element("css selector", f"{css} input")
            field.click()  # element.send_keys can blur the field after its first key: type through actions
            ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL) \
                .send_keys(Keys.DELETE).send_keys(text).perform()
            time.sleep(0.3)
            if field.get_attribute("value") == text:
                ActionChains(driver).send_keys(Keys.ENTER).perform()
                return
        except StaleElementReferenceException:
            pass
        time.sleep(1)
    raise RuntimeError(f"could not type {text!r} into {css}")


def main(argv: list[str]) -> None:
    """Serve the page, step it a year, and save a screenshot to argv[0]."""
    target = Path(argv[0] if argv else "docs/app.png")
    from selenium.webdriver.support.ui import WebDriverWait

    with serve_app() as url, chromium() as driver:
        driver.get(url)
        first = wait_for_map(driver)
        click_button(driver, "+6 months")
        WebDriverWait(driver, 60).until(lambda d: wait_for_map(d) != first)
        second = wait_for_map(driver)
        click_button(driver, "+6 months")
        WebDriverWait(driver, 60).until(lambda d: wait_for_map(d) != second)
        time.sleep(2)
        driver.save_screenshot(str(target))
        print(f"{target}; console errors: {console_errors(driver)}")


if __name__ == "__main__":
    main(sys.argv[1:])
