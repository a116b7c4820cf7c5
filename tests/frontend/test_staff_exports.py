"""The staff export pages: a form (raw responses only offered to those allowed), the list of a
campaign's exports with progress bars, one export's page with its download link or why it
failed; staff only, bad input answered on the page, no inline script, no self-reloading page."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from analysis.exports import export_run
from analysis.models import Export, ExportStatus
from tests.analysis.test_exports import build_export_scenario, make_user
from tests.frontend.html_checks import parse, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def scenario(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STAFF_MFA_REQUIRED = False
    return build_export_scenario(count=30)


@pytest.fixture
def url(scenario) -> str:
    return f"/staff/campaigns/{scenario.campaign.slug}/exports/"


def test_an_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_an_expert_is_refused(client, url):
    client.force_login(make_user("expert@ugent.example"))

    assert client.get(url).status_code == 403
    assert client.get("/staff/exports/1/").status_code == 403


def test_staff_without_the_permission_are_not_offered_raw_responses(client, scenario, url):
    client.force_login(scenario.analyst)

    response = client.get(url)

    assert response.status_code == 200
    page = parse(response.content)
    formats = [radio["value"] for radio in page.find("input", type="radio", name="format")]
    assert formats == ["docx", "xlsx"]
    assert page.find("input", name="include_raw") == []
    assert page.csp_problems == []
    assert page.find("meta", http_equiv="refresh") == []
    assert page.find("a", href=url, aria_current="page")  # "Exports" in the sub-navigation


def test_staff_with_the_permission_are_offered_csv_and_raw_responses(client, scenario, url):
    client.force_login(scenario.staff)

    page = parse(client.get(url).content)

    formats = [radio["value"] for radio in page.find("input", type="radio", name="format")]
    assert formats == ["docx", "xlsx", "csv"]
    assert page.find("input", type="checkbox", name="include_raw")
    assert "/static/inspraak/exports.js" in page.scripts


def test_requesting_an_export_leads_to_its_page_with_the_download(
    client, scenario, url, django_capture_on_commit_callbacks
):
    client.force_login(scenario.analyst)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"format": "docx", "language": "fr"})

    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/exports/{export.pk}/"
    assert export.language == "fr" and export.requested_by == scenario.analyst

    page = client.get(response["Location"])
    text = text_of(page.content)
    assert f"Export {export.pk}: Word document (end-report input)" in text
    assert "Done" in text and "Download the file" in text
    parsed = parse(page.content)
    assert parsed.find("progress", value="1.000", max="1")
    assert parsed.find("a", href=f"/api/v1/exports/{export.pk}/download/")
    assert parsed.find("meta", http_equiv="refresh") == []
    assert parsed.csp_problems == []


def test_a_raw_data_request_by_staff_without_the_permission_changes_nothing(client, scenario, url):
    client.force_login(scenario.analyst)

    response = client.post(url, {"format": "csv", "language": "nl", "include_raw": "on"})

    assert response.status_code == 400
    assert "Select a valid choice" in text_of(response.content)
    assert not Export.objects.exists()

    response = client.post(url, {"format": "xlsx", "language": "nl", "include_raw": "on"})
    # The box is not offered to them: a forged one is ignored, the export has no raw responses.
    assert response.status_code == 302
    assert Export.objects.get().includes_raw_responses is False


def test_a_bad_language_is_answered_on_the_page(client, scenario, url):
    client.force_login(scenario.staff)

    response = client.post(url, {"format": "docx", "language": "de"})

    assert response.status_code == 400
    assert "Please check the fields marked below." in text_of(response.content)
    assert not Export.objects.exists()


def test_a_running_export_shows_its_progress_and_a_refresh_link(client, scenario, url):
    export = Export.objects.create(
        campaign=scenario.campaign,
        format="xlsx",
        requested_by=scenario.staff,
        status=ExportStatus.RUNNING,
        progress=0.42,
    )
    client.force_login(scenario.analyst)

    for page_url in (url, f"/staff/exports/{export.pk}/"):
        response = client.get(page_url)
        parsed = parse(response.content)
        assert parsed.find("progress", value="0.420")
        assert "42%" in text_of(response.content) and "Running" in text_of(response.content)
        assert parsed.find("div", data_export_url=f"/api/v1/exports/{export.pk}/")
        assert "Refresh to see how far" in text_of(response.content)
        # The link waits, hidden, for the script to show it once the file is ready.
        rows = [a for tag, a in parsed.elements if tag == "p" and "data-export-download-row" in a]
        assert rows and all("hidden" in row for row in rows)


def test_a_failed_export_says_why(client, scenario):
    export = Export.objects.create(
        campaign=scenario.campaign,
        format="docx",
        requested_by=scenario.staff,
        status=ExportStatus.FAILED,
        error_message="The file could not be written (No space left on device).",
    )
    client.force_login(scenario.staff)

    text = text_of(client.get(f"/staff/exports/{export.pk}/").content)

    assert "Failed" in text and "No space left on device" in text
    assert "Download the file" not in text


def test_a_raw_data_export_is_listed_but_only_downloadable_with_the_permission(client, scenario):
    export = Export.objects.create(
        campaign=scenario.campaign,
        format="csv",
        includes_raw_responses=True,
        requested_by=scenario.staff,
    )
    export_run(export_id=export.pk)

    client.force_login(scenario.analyst)
    text = text_of(client.get(f"/staff/exports/{export.pk}/").content)
    assert "only staff with the permission" in text and "Download the file" not in text

    client.force_login(scenario.staff)
    text = text_of(client.get(f"/staff/exports/{export.pk}/").content)
    assert "Download the file" in text


def test_an_unknown_export_or_campaign_is_not_found(client, scenario):
    client.force_login(scenario.staff)

    assert client.get("/staff/exports/999999/").status_code == 404
    assert client.get("/staff/campaigns/no-such-campaign/exports/").status_code == 404


def test_the_list_shows_the_campaigns_exports_newest_first(client, scenario, url):
    first = Export.objects.create(
        campaign=scenario.campaign, format="docx", requested_by=scenario.staff
    )
    second = Export.objects.create(
        campaign=scenario.campaign, format="xlsx", requested_by=scenario.staff
    )
    client.force_login(scenario.staff)

    page = parse(client.get(url).content)

    links = [
        link["href"]
        for link in page.find("a")
        if (link.get("href") or "").startswith("/staff/exports/")
    ]
    assert links == [f"/staff/exports/{second.pk}/", f"/staff/exports/{first.pk}/"]
