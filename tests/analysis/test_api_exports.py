"""The exports API (DESIGN §6): POST /api/v1/campaigns/{slug}/exports/ → 202 with id, status and
progress; GET /api/v1/exports/{id}/ → status, progress, the download URL once done, the error
once failed; GET /api/v1/exports/{id}/download/ → the file. Staff only; raw responses only for
those with the permission; bad input a 400 naming the field, with nothing stored."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from docx import Document

from analysis.exports import export_run
from analysis.models import Export, ExportStatus
from tests.accounts.helpers import activate_totp
from tests.analysis.test_exports import build_export_scenario, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STAFF_MFA_REQUIRED = False
    return build_export_scenario(count=30)


@pytest.fixture
def url(scenario) -> str:
    return f"/api/v1/campaigns/{scenario.campaign.slug}/exports/"


def post(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_staff_request_an_export_and_get_202_with_its_state(
    client, scenario, url, django_capture_on_commit_callbacks
):
    client.force_login(scenario.analyst)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, url, {"format": "docx", "language": "en"})

    assert response.status_code == 202
    body = response.json()
    export = Export.objects.get()
    assert body["id"] == export.pk
    assert body["status"] in ("queued", "running", "done")
    assert 0 <= body["progress"] <= 1
    assert response["Location"] == f"/api/v1/exports/{export.pk}/"


def test_the_state_gives_the_download_url_once_done_and_the_file_opens(
    client, scenario, url, django_capture_on_commit_callbacks
):
    client.force_login(scenario.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        created = post(client, url, {"format": "docx"}).json()

    state = client.get(f"/api/v1/exports/{created['id']}/").json()

    assert state["status"] == "done" and state["progress"] == 1
    assert state["error"] is None
    assert state["download"] == f"http://testserver/api/v1/exports/{created['id']}/download/"
    assert state["language"] == "nl"  # the request's language: Dutch first
    download = client.get(state["download"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert state["filename"] in download["Content-Disposition"]
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert document.paragraphs[0].text == "Campagne eindrapport-5"


def test_the_language_follows_the_request_when_not_given(
    client, scenario, url, django_capture_on_commit_callbacks
):
    client.force_login(scenario.analyst)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "fr"

    with django_capture_on_commit_callbacks(execute=True):
        body = post(client, url, {"format": "xlsx"}).json()

    assert body["language"] == "fr"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"format": "pdf"}, "format"),
        ({}, "format"),
        ({"format": "docx", "language": "de"}, "language"),
        ({"format": "xlsx", "include_raw": "maybe"}, "include_raw"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(client, scenario, url, body, field):
    client.force_login(scenario.staff)

    response = post(client, url, body)

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Export.objects.exists()


def test_a_body_that_is_not_json_is_a_400(client, scenario, url):
    client.force_login(scenario.staff)

    response = client.post(url, "format=docx", content_type="application/json")

    assert response.status_code == 400
    assert not Export.objects.exists()


@pytest.mark.parametrize("body", [{"format": "csv"}, {"format": "xlsx", "include_raw": True}])
def test_raw_responses_without_the_permission_are_refused_and_nothing_is_stored(
    client, scenario, url, body
):
    client.force_login(scenario.analyst)

    response = post(client, url, body)

    assert response.status_code == 403
    assert "include_raw" in response.json()["errors"]
    assert not Export.objects.exists()


def test_staff_with_the_permission_get_the_raw_responses(
    client, scenario, url, django_capture_on_commit_callbacks
):
    client.force_login(scenario.staff)

    with django_capture_on_commit_callbacks(execute=True):
        body = post(client, url, {"format": "csv"}).json()

    assert body["includes_raw_responses"] is True
    download = client.get(f"/api/v1/exports/{body['id']}/download/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert content.startswith("response_id,survey,submitted_on,age_band,language,organisation,")


def test_staff_without_the_permission_see_a_raw_export_but_cannot_download_it(client, scenario):
    export = Export.objects.create(
        campaign=scenario.campaign,
        format="csv",
        includes_raw_responses=True,
        requested_by=scenario.staff,
    )
    export_run(export_id=export.pk)
    client.force_login(scenario.analyst)

    state = client.get(f"/api/v1/exports/{export.pk}/").json()
    download = client.get(f"/api/v1/exports/{export.pk}/download/")

    assert state["status"] == "done" and state["download"] is None
    assert download.status_code == 403


def test_a_failed_export_says_why(client, scenario):
    export = Export.objects.create(
        campaign=scenario.campaign,
        format="docx",
        requested_by=scenario.staff,
        status=ExportStatus.FAILED,
        error_message="The export took longer than the 15 minutes allowed and was stopped.",
    )
    client.force_login(scenario.staff)

    state = client.get(f"/api/v1/exports/{export.pk}/").json()
    download = client.get(f"/api/v1/exports/{export.pk}/download/")

    assert state["status"] == "failed" and "15 minutes" in state["error"]
    assert state["download"] is None
    assert download.status_code == 409 and "15 minutes" in download.json()["detail"]


def test_an_export_still_running_cannot_be_downloaded_yet(client, scenario):
    export = Export.objects.create(
        campaign=scenario.campaign,
        format="docx",
        requested_by=scenario.staff,
        status=ExportStatus.RUNNING,
        progress=0.5,
    )
    client.force_login(scenario.staff)

    state = client.get(f"/api/v1/exports/{export.pk}/").json()

    assert state["status"] == "running" and state["progress"] == 0.5
    assert client.get(f"/api/v1/exports/{export.pk}/download/").status_code == 409


def test_a_removed_file_is_gone(client, scenario):
    from analysis.exports import export_cleanup

    export = Export.objects.create(
        campaign=scenario.campaign, format="docx", requested_by=scenario.staff
    )
    export_run(export_id=export.pk)
    Export.objects.filter(pk=export.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=30)
    )
    export_cleanup()
    client.force_login(scenario.staff)

    state = client.get(f"/api/v1/exports/{export.pk}/").json()

    assert state["file_removed_at"] is not None and state["download"] is None
    assert client.get(f"/api/v1/exports/{export.pk}/download/").status_code == 410


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/exports/424242/",
        "/api/v1/exports/424242/download/",
        "/api/v1/exports/99999999999999999999/",
    ],
)
def test_an_unknown_export_is_a_404(client, scenario, path):
    client.force_login(scenario.staff)

    assert client.get(path).status_code == 404


def test_an_unknown_campaign_is_a_404(client, scenario):
    client.force_login(scenario.staff)

    response = post(client, "/api/v1/campaigns/no-such-campaign/exports/", {"format": "docx"})

    assert response.status_code == 404
    assert not Export.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "expert", "staff_without_two_step_verification"])
def test_only_staff_with_two_step_verification_may_use_it(client, scenario, url, settings, who):
    export = Export.objects.create(
        campaign=scenario.campaign, format="docx", requested_by=scenario.staff
    )
    export_run(export_id=export.pk)
    settings.STAFF_MFA_REQUIRED = True
    if who == "expert":
        client.force_login(make_user("expert@ugent.example"))
    elif who != "anonymous":
        client.force_login(scenario.staff)

    assert post(client, url, {"format": "docx"}).status_code == 403
    assert client.get(f"/api/v1/exports/{export.pk}/").status_code == 403
    assert client.get(f"/api/v1/exports/{export.pk}/download/").status_code == 403
    assert Export.objects.count() == 1

    if who == "staff_without_two_step_verification":
        activate_totp(scenario.staff)
        assert client.get(f"/api/v1/exports/{export.pk}/download/").status_code == 200
