"""The ops console in a real headless Chromium (Debian's chromium + chromium-driver, driven by selenium),
served by ``medscribe serve`` at /console, signed in with Cognito ID tokens from the local user pool."""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ops_support import Serve, seed, start_serve
from pg_support import own_database

pytestmark = pytest.mark.e2e
SCREENSHOT = os.environ.get("MEDSCRIBE_CONSOLE_SCREENSHOT")  # optional: where to keep the page's PNG
GREEN = "rgb(46, 125, 50)"


@pytest.fixture(scope="module")
def serve(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    with own_database(database_url, f"console_{os.getpid()}") as url:
        server = start_serve(url, tmp_path_factory.mktemp("serve-home"))
        try:
            seed(server)
            yield server
        finally:
            server.stop()


def token(serve: Serve, email: str, tenant: str, role: str) -> str:
    from medscribe.cli_front import add_user, id_token

    password = "Local-test-pass1!"
    add_user(serve.url, email, tenant, role, password)
    return id_token(serve.url, email, password)


@pytest.fixture(scope="module")
def operator(serve: Serve) -> str:
    return token(serve, "ops@example.org", "default", "operator")


@pytest.fixture(scope="module")
def clinician(serve: Serve) -> str:
    return token(serve, "doc@example.org", "clinic-a", "clinician")


def call(serve: Serve, path: str, bearer: str, method: str = "GET") -> tuple[int, Any]:
    request = urllib.request.Request(
        f"{serve.api_url}/console{path}", method=method, headers={"Authorization": f"Bearer {bearer}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the module (a start took about 1 s of setup and up to 2.6 s of teardown per
    test); each test gets it on a blank page (``browser``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = (
        os.environ.get("MEDSCRIBE_CHROME") or shutil.which("chromium") or "/usr/bin/chromium"
    )
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium') / 'profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(
        service=Service(
            os.environ.get("MEDSCRIBE_CHROMEDRIVER")
            or shutil.which("chromedriver")
            or "/usr/bin/chromedriver"
        ),
        options=options,
    )
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser(chromium: Any) -> Iterator[Any]:
    """The module's Chromium on a blank page: a test's ``get`` of the console is a whole page load (never only a
    change of the fragment on a page still open), so the page reads that test's token; the console keeps the
    token in sessionStorage, which the next test's fragment replaces."""
    chromium.get("about:blank")
    yield chromium
    chromium.get("about:blank")  # the page's own timers (it re-renders every second) stop with it


def cells(driver: Any, rid: str) -> list[str]:
    """The row's cell texts, read in one go (the page re-renders its table every second)."""
    texts: list[str] = driver.execute_script(
        "const r = document.querySelector(`tr[data-recording='${arguments[0]}']`);"
        "return r ? Array.from(r.cells, c => c.textContent) : [];",
        rid,
    )
    return texts


def badge_colour(driver: Any, rid: str) -> str:
    colour: str = driver.execute_script(
        "const b = document.querySelector(`tr[data-recording='${arguments[0]}'] .badge`);"
        "return b ? getComputedStyle(b).backgroundColor : '';",
        rid,
    )
    return colour


def outcomes(driver: Any) -> dict[str, str]:
    """State name -> outcome as coloured in the graph (read in one go)."""
    found: dict[str, str] = driver.execute_script(
        "return Object.fromEntries(Array.from(document.querySelectorAll('#graph g.state'),"
        " g => [g.dataset.state, g.dataset.outcome]));"
    )
    return found


def click_row(driver: Any, rid: str) -> None:
    driver.execute_script("document.querySelector(`tr[data-recording='${arguments[0]}']`).click();", rid)


def test_console_shows_both_recordings_and_redrive_turns_the_failed_one_green(
    serve: Serve, operator: str, browser: Any
) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    failed = serve.failed[1]
    # Given an operator opening the console with their token
    browser.get(f"{serve.api_url}/console#token={operator}")
    wait = WebDriverWait(
        browser, 60, poll_frequency=0.2, ignored_exceptions=(StaleElementReferenceException,)
    )
    wait.until(lambda d: cells(d, serve.succeeded) and cells(d, failed))
    # Then the table shows the succeeded and the failed recording, the failed one with its error name
    assert "token=" not in browser.current_url  # the token left the address bar
    ok_cells, bad_cells = cells(browser, serve.succeeded), cells(browser, failed)
    assert ok_cells[1:3] == ["clinic-a", "SUCCEEDED"]
    assert bad_cells[1:3] == ["clinic-b", "FAILED"]
    assert bad_cells[4] == "States.Runtime"

    # When the operator opens the failed execution
    click_row(browser, failed)
    wait.until(lambda d: "DetectEntities" in outcomes(d))
    # Then the graph colours each state by outcome and the timeline lists the states
    outcome = outcomes(browser)
    assert outcome["ValidateAudio"] == "succeeded"
    assert outcome["DetectEntities"] == "failed"
    assert outcome["RenderPdf"] == "not-entered"
    timeline: list[str] = browser.execute_script(
        "return Array.from(document.querySelectorAll('#timeline tbody tr'), r => r.innerText);"
    )
    assert timeline[-1].startswith("DetectEntities")
    assert "States.Runtime" in timeline[-1]
    assert not browser.find_element("id", "document").is_displayed()  # operators never get the PDF
    if SCREENSHOT:
        browser.save_screenshot(SCREENSHOT.replace(".png", "-before.png"))

    # When they press Redrive
    button = browser.find_element("id", "redrive")
    assert button.is_displayed()
    button.click()
    # Then the execution resumes and its row turns green
    wait = WebDriverWait(
        browser, 180, poll_frequency=0.5, ignored_exceptions=(StaleElementReferenceException,)
    )
    wait.until(lambda d: cells(d, failed)[2:3] == ["SUCCEEDED"])
    assert badge_colour(browser, failed) == GREEN
    assert cells(browser, failed)[4] == ""  # no error any more
    wait.until(
        lambda d: (
            d.find_element("css selector", '#graph g[data-state="PublishCompletion"]').get_attribute(
                "data-outcome"
            )
            == "succeeded"
        )
    )
    if SCREENSHOT:
        browser.save_screenshot(SCREENSHOT)


def test_roles_and_tenants_in_the_console_api(serve: Serve, operator: str, clinician: str) -> None:
    # A clinician sees their own tenant only; another tenant's id is 404; no redrive
    status, body = call(serve, "/api/recordings", clinician)
    assert status == 200
    assert {r["tenant"] for r in body["recordings"]} == {"clinic-a"}
    assert call(serve, f"/api/recordings/{serve.failed[0]}", clinician)[0] == 404
    assert call(serve, f"/api/recordings/{serve.succeeded}/redrive", clinician, "POST")[0] == 403
    # and may download their document
    request = urllib.request.Request(
        f"{serve.api_url}/console/api/recordings/{serve.succeeded}/document",
        headers={"Authorization": f"Bearer {clinician}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.read().startswith(b"%PDF")
    # An operator sees every tenant but never a document
    status, body = call(serve, "/api/recordings", operator)
    assert {r["tenant"] for r in body["recordings"]} == {"clinic-a", "clinic-b"}
    assert call(serve, f"/api/recordings/{serve.succeeded}/document", operator)[0] == 403
    # No token: 401
    assert call(serve, "/api/recordings", "not-a-token")[0] == 401


def test_a_clinician_finds_a_recording_by_a_word_it_says(
    serve: Serve, clinician: str, browser: Any, database_url: str
) -> None:
    import psycopg
    from psycopg.conninfo import make_conninfo
    from selenium.webdriver.support.ui import WebDriverWait

    with psycopg.connect(make_conninfo(database_url, dbname=f"console_{os.getpid()}")) as conn:
        row = conn.execute(
            "SELECT text FROM transcriptions WHERE recording_id = %s", (serve.succeeded,)
        ).fetchone()
    assert row is not None
    word = max(row[0].split(), key=len).strip(".,;:")
    # Given a clinician of the recording's tenant in the console
    browser.get(f"{serve.api_url}/console#token={clinician}")
    wait = WebDriverWait(browser, 60, poll_frequency=0.2)
    wait.until(lambda d: d.find_element("id", "search").is_displayed())
    # When they search for a word the dictation says
    browser.find_element("id", "search-q").send_keys(word)
    browser.find_element("css selector", "#search-form button").click()
    # Then the recording is a hit, the word highlighted in its snippet
    wait.until(lambda d: d.find_elements("css selector", "#hits tbody tr"))
    hits: list[str] = browser.execute_script(
        "return Array.from(document.querySelectorAll('#hits tbody tr'), r => r.cells[0].textContent);"
    )
    assert serve.succeeded in hits
    marked: list[str] = browser.execute_script(
        "return Array.from(document.querySelectorAll('#hits tbody mark'), m => m.textContent.toLowerCase());"
    )
    assert marked


def test_the_console_offers_operators_no_search(serve: Serve, operator: str, browser: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{serve.api_url}/console#token={operator}")
    WebDriverWait(browser, 60, poll_frequency=0.2).until(
        lambda d: d.find_element("id", "who").text.startswith("operator")
    )
    assert not browser.find_element("id", "search").is_displayed()


SHORT = Path(__file__).resolve().parents[2] / "corpus" / "audio" / "d20.wav"  # 6 s of dictation


@pytest.fixture(scope="module")
def clinic_admin(serve: Serve) -> str:
    return token(serve, "admin@example.org", "clinic-a", "clinic-admin")


def start_backfill(serve: Serve, bearer: str, prefix: str) -> str:
    """POST /backfills on the API itself (not the console), as the page's user would."""
    request = urllib.request.Request(
        f"{serve.api_url}/backfills",
        method="POST",
        data=json.dumps({"prefix": prefix}).encode(),
        headers={"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 202
        backfill_id: str = json.loads(response.read())["backfill_id"]
    return backfill_id


def test_a_clinic_admin_sees_a_backfills_counts_and_its_failed_item(
    serve: Serve, clinic_admin: str, browser: Any
) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # Given a clinic-a archive of one short dictation and one file that is not audio, backfilled by its admin
    s3 = serve.client("s3")
    s3.put_object(Bucket=serve.bucket, Key="backfill/clinic-a/console/visit.wav", Body=SHORT.read_bytes())
    s3.put_object(Bucket=serve.bucket, Key="backfill/clinic-a/console/notes.wav", Body=b"not audio")
    backfill_id = start_backfill(serve, clinic_admin, "backfill/clinic-a/console/")
    # When the admin opens the console and selects the backfill
    browser.get(f"{serve.api_url}/console#token={clinic_admin}")
    wait = WebDriverWait(
        browser, 180, poll_frequency=0.3, ignored_exceptions=(StaleElementReferenceException,)
    )
    wait.until(lambda d: d.find_elements("css selector", f"tr[data-backfill='{backfill_id}']"))
    assert browser.find_element("id", "backfills").is_displayed()
    browser.execute_script(
        "document.querySelector(`tr[data-backfill='${arguments[0]}']`).click();", backfill_id
    )
    # Then, once it ends, it shows the counts by outcome, 100 %, and the failed item by its error name
    wait.until(lambda d: d.find_element("id", "backfill-status").text == "SUCCEEDED")
    counts: dict[str, str] = browser.execute_script(
        "return Object.fromEntries(Array.from(document.querySelectorAll('#backfill-counts td'),"
        " c => [c.dataset.count, c.textContent]));"
    )
    assert counts == {"items": "2", "started": "2", "skipped": "0", "succeeded": "1", "failed": "1"}
    assert browser.find_element("id", "backfill-percent").text.startswith("100 %")
    failed: list[list[str]] = browser.execute_script(
        "return Array.from(document.querySelectorAll('#backfill-failed tbody tr'),"
        " r => Array.from(r.cells, c => c.textContent));"
    )
    assert [row[2] for row in failed] == ["UnsupportedAudioFormat"]
    assert failed[0][1].startswith("u")  # the opaque recording id, never the file name
    assert "notes" not in browser.find_element("id", "backfills").text
    if SCREENSHOT:
        browser.save_screenshot(SCREENSHOT.replace(".png", "-backfill.png"))


def test_the_console_offers_clinicians_no_backfills(serve: Serve, clinician: str, browser: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    # Given a clinician in the console
    browser.get(f"{serve.api_url}/console#token={clinician}")
    WebDriverWait(browser, 60, poll_frequency=0.2).until(
        lambda d: d.find_element("id", "who").text.startswith("clinician")
    )
    # Then there is no Backfills section (and the API refuses them anyway)
    assert not browser.find_element("id", "backfills").is_displayed()
    request = urllib.request.Request(
        f"{serve.api_url}/backfills", headers={"Authorization": f"Bearer {clinician}"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
