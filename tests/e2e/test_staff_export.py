"""Staff request a DOCX export of a campaign, watch its progress bar move and reach done while
the export renders, and download a file that opens in python-docx (issue 6, acceptance 3).
axe-core checks the exports page and the export's page; the ``page`` fixture fails on any
request to another host or CSP violation.

The task queue is replaced by the test itself: the request only queues the export, and the test
runs the worker's service (``export_run``) slowed down, so that the browser sees the bar move
as a worker would make it move.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.db import connections
from docx import Document
from playwright.sync_api import expect

from analysis import exports
from analysis.exports import export_run
from analysis.models import Export, ExportStatus
from tests.analysis.test_exports import build_export_scenario
from tests.e2e.helpers import DESKTOP, assert_no_serious_axe_violations, save_screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "x" * 20  # tests.analysis.test_exports.make_user's
# Record every value the progress bar takes (the page's script sets it), from the first poll on.
WATCH_PROGRESS = """() => {
  window.progressSeen = [];
  const bar = document.querySelector("progress");
  new MutationObserver(() => window.progressSeen.push(bar.value))
    .observe(bar, {attributes: true, attributeFilter: ["value"]});
}"""


@pytest.fixture(autouse=True)
def _staff_pages_without_a_second_factor(settings, tmp_path):
    """Two-step verification of staff is tested in tests/accounts and tests/frontend."""
    settings.STAFF_MFA_REQUIRED = False
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def browser_context_args() -> dict:
    return {"locale": "nl-BE", "viewport": DESKTOP, "accept_downloads": True}


@pytest.fixture
def scenario(live_url):
    return build_export_scenario(count=30)


@pytest.fixture
def queued_only(monkeypatch) -> list[int]:
    """The task queue: remembers what was queued, runs nothing."""
    queued: list[int] = []
    monkeypatch.setattr("analysis.tasks.export_render_task", SimpleNamespace(delay=queued.append))
    return queued


def start_slow_worker(monkeypatch, export_id: int) -> Callable[[], None]:
    """Run the export as a worker would, in a thread of its own, each step of the document a
    little slower; returns a function that waits for it (and raises what it raised).

    Not in the test's thread: Playwright's sync API answers the page's requests (the
    ``page`` fixture routes them) only while that thread waits in a Playwright call."""
    render = exports.render_docx

    def slowly(*, report, out, progress=None):
        def step(share: float) -> None:
            time.sleep(0.15)
            progress(share)

        render(report=report, out=out, progress=step)

    monkeypatch.setattr(exports, "render_docx", slowly)
    monkeypatch.setattr(exports, "PROGRESS_SECONDS", 0.1)
    # An in-memory SQLite database lives in one connection, which the live server shares too.
    shared = connections["default"]
    in_memory = shared.vendor == "sqlite" and shared.is_in_memory_db()
    failures: list[BaseException] = []

    def work() -> None:
        if in_memory:
            connections["default"] = shared
        try:
            export_run(export_id=export_id)
        except BaseException as error:  # handed to the test's thread
            failures.append(error)
        finally:
            if not in_memory:
                connections.close_all()

    if in_memory:
        shared.inc_thread_sharing()
    worker = threading.Thread(target=work, daemon=True)
    worker.start()

    def wait() -> None:
        worker.join(timeout=60)
        if in_memory:
            shared.dec_thread_sharing()
        if failures:
            raise failures[0]

    return wait


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("main input[name=login]").fill(email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("form[action='/accounts/logout/'] button")).to_be_visible()


def test_staff_request_a_docx_watch_it_reach_done_and_download_it(
    page, scenario, queued_only, monkeypatch, tmp_path
):
    sign_in(page, scenario.analyst.email)

    page.goto(f"/staff/campaigns/{scenario.campaign.slug}/exports/")
    assert_no_serious_axe_violations(page)
    expect(page.locator("input[name=format][value=csv]")).to_have_count(0)  # not theirs
    page.locator("input[name=format][value=docx]").check()
    page.locator("select[name=language]").select_option("en")
    page.locator("form.staff-form button[type=submit]").click()

    export = Export.objects.get()
    page.wait_for_url(f"**/staff/exports/{export.pk}/")
    assert queued_only == [export.pk]
    status = page.locator("[data-export-url]")
    expect(status).to_have_attribute("data-export-status", ExportStatus.QUEUED)
    expect(page.locator("progress")).to_have_js_property("value", 0)
    expect(page.locator("[data-export-refresh]")).to_be_hidden()  # the script follows it
    assert_no_serious_axe_violations(page)
    page.evaluate(WATCH_PROGRESS)

    finished = start_slow_worker(monkeypatch, export.pk)

    expect(status).to_have_attribute("data-export-status", ExportStatus.RUNNING, timeout=10_000)
    expect(status).to_have_attribute("data-export-status", ExportStatus.DONE, timeout=20_000)
    finished()
    expect(page.locator("progress")).to_have_js_property("value", 1)
    seen = page.evaluate("window.progressSeen")
    assert any(0 < value < 1 for value in seen), seen  # it moved on the way, not only at the end
    assert seen[-1] == 1 and seen == sorted(seen)
    download_link = page.locator("a[data-export-download]")
    expect(download_link).to_be_visible()
    assert_no_serious_axe_violations(page)
    save_screenshot(page, "staff-export-done")

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    document = Document(str(target))
    assert document.paragraphs[0].text == "Wellbeing at school"
    assert "General principles" in [
        p.text for p in document.paragraphs if p.style.name == "Heading 1"
    ]


def test_the_exports_page_lists_a_failed_export_with_its_reason(page, scenario):
    Export.objects.create(
        campaign=scenario.campaign,
        format="xlsx",
        requested_by=scenario.staff,
        status=ExportStatus.FAILED,
        error_message="The file could not be written (No space left on device).",
    )
    sign_in(page, scenario.analyst.email)

    page.goto(f"/staff/campaigns/{scenario.campaign.slug}/exports/")

    expect(page.locator("#exports")).to_contain_text("No space left on device")
    assert_no_serious_axe_violations(page)
