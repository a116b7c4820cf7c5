"""Exports as services: staff request one (raw responses only with the permission, nothing
written otherwise), a task renders it with progress into a stored file, a failure says why and
leaves no file, a done export is never rendered twice, and old files are cleaned up while the
rows stay as the log.

``build_export_scenario`` (also used by the other export tests) builds a campaign with a survey
of every question kind tagged with UNCRC articles, seeded random responses (some withdrawn), a
coded quote, a roundtable outcome and two findings.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import User
from analysis import exports
from analysis.coding import answer_coding_save, code_create
from analysis.exports import (
    export_cleanup,
    export_download,
    export_request,
    export_run,
)
from analysis.findings import (
    evidence_add_outcome_point,
    evidence_add_question,
    evidence_add_quote,
    finding_create,
)
from analysis.models import Export, ExportStatus, Finding
from config.exceptions import ConflictError, InvalidInputError, NotAllowedError
from consultations.models import Campaign, CrcArticle, MemberOrganisation
from consultations.services import invite_link_create, member_organisation_create
from roundtables.models import Outcome, OutcomePoint, Roundtable, RoundtableStatus
from surveys.models import Answer, Response, Survey, SurveyStatus
from surveys.services import response_submit, response_withdraw
from tests.analysis.conftest import add_question, make_campaign, random_answers
from tests.every_kind import add_every_kind

pytestmark = pytest.mark.django_db

QUOTE = "Op de speelplaats voel ik me niet veilig"
POINT = "Scholen hebben een vertrouwenspersoon nodig"
OTHER_POINT = "Meer onderzoek naar pesten online"
ARTICLES = {"mood": ["12"], "say": ["12"], "sport": ["31"], "hobbies": ["31"], "priorities": ["28"]}


@dataclass
class ExportScenario:
    campaign: Campaign
    survey: Survey
    staff: User  # may export raw responses
    analyst: User  # staff, without that permission
    finding: Finding
    other_finding: Finding
    chiro: MemberOrganisation
    scouts: MemberOrganisation


def make_user(email: str, *, raw: bool = False, **fields) -> User:
    user = User.objects.create_user(email=email, password="x" * 20, **fields)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    if raw:
        user.user_permissions.add(
            Permission.objects.get(
                codename="export_raw_responses", content_type__app_label="analysis"
            )
        )
        user = User.objects.get(pk=user.pk)  # a fresh permission cache
    return user


def build_export_scenario(*, count: int = 80, seed: int = 5, k: int = 5) -> ExportScenario:
    campaign = make_campaign(
        f"eindrapport-{k}",
        min_cell_size=k,
        title_en="Wellbeing at school",
        title_fr="Bien-être à l'école",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 6, 30),
    )
    survey = Survey.objects.create(
        campaign=campaign,
        slug=f"op-school-{k}",
        title_nl="Op school",
        title_en="At school",
        title_fr="À l'école",
        status=SurveyStatus.OPEN,
    )
    add_every_kind(survey, add_question)
    for question in survey.questions.all():
        codes = ARTICLES.get(question.key, [])
        question.articles.set(CrcArticle.objects.filter(code__in=codes))

    chiro = member_organisation_create(name=f"Chiro Gent {k}")
    scouts = member_organisation_create(name=f"Scouts Leuven {k}")
    campaign.organisations.add(chiro, scouts)
    invites = [
        invite_link_create(campaign=campaign, organisation=chiro, label="Groep 3"),
        invite_link_create(campaign=campaign, organisation=scouts, label="Welpen"),
    ]
    rng = random.Random(seed)
    for index in range(count):
        age = rng.randint(6, 17)
        answers = random_answers(rng, age)
        if index == 0:
            answers["story"] = QUOTE
        invite = rng.choice([None, *invites, invites[0]])
        result = response_submit(
            survey=survey,
            client_token=uuid.uuid4(),
            language=rng.choice(["nl", "nl", "nl", "fr", "en"]),
            age=age,
            invite_code=invite.code if invite else None,
            assent=True,
            answers=answers,
        )
        if index and rng.random() < 0.1:
            response_withdraw(code=result.receipt)

    staff = make_user(f"raw-{k}@coalition.example", raw=True, is_staff=True)
    analyst = make_user(f"analyst-{k}@coalition.example", is_staff=True)
    safety = code_create(campaign=campaign, label="Veiligheid", article_numbers=["19"], user=staff)
    quote_answer = Answer.objects.get(question__survey=survey, text_value=QUOTE)
    coding = answer_coding_save(
        answer_id=quote_answer.pk,
        campaign=campaign,
        code_ids=[safety.pk],
        is_quote=True,
        user=staff,
    )
    starts = timezone.now() - datetime.timedelta(days=7)
    roundtable = Roundtable.objects.create(
        campaign=campaign,
        slug=f"rondetafel-{k}",
        title_nl="Rondetafel veiligheid",
        title_en="Roundtable on safety",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=20,
        venue="Brussel",
        status=RoundtableStatus.PUBLISHED,
    )
    outcome = Outcome.objects.create(roundtable=roundtable, summary="Samenvatting", author=staff)
    point = OutcomePoint.objects.create(outcome=outcome, text=POINT, order=0)
    point.articles.set(CrcArticle.objects.filter(code="19"))
    OutcomePoint.objects.create(outcome=outcome, text=OTHER_POINT, order=1)

    finding = finding_create(
        campaign=campaign,
        title="Kinderen willen meer inspraak",
        statement="Jongeren voelen zich weinig gehoord op school.",
        article_numbers=["12"],
        priority=1,
        user=staff,
    )
    evidence_add_question(
        finding=finding,
        question_id=survey.questions.get(key="mood").pk,
        breakdown="age_band",
    )
    evidence_add_quote(finding=finding, coding_id=coding.pk, note="Typisch voor de 12-14-jarigen")
    evidence_add_outcome_point(finding=finding, point_id=point.pk)
    other = finding_create(
        campaign=campaign,
        title="Een bevinding zonder artikel",
        statement="Nog te koppelen.",
        priority=3,
        user=staff,
    )
    return ExportScenario(campaign, survey, staff, analyst, finding, other, chiro, scouts)


@pytest.fixture
def scenario(settings, tmp_path) -> ExportScenario:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STAFF_MFA_REQUIRED = False
    return build_export_scenario()


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# --- Requesting ----------------------------------------------------------------------------------


def test_a_request_is_rendered_on_commit_into_a_stored_file(
    scenario, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        export = export_request(
            campaign=scenario.campaign,
            format="docx",
            language="en",
            include_raw=False,
            user=scenario.analyst,
        )
    assert len(callbacks) == 1

    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.progress == 1.0
    assert export.started_at <= export.finished_at
    assert (
        export.filename == f"{scenario.campaign.slug}-end-report-input-{timezone.localdate()}.docx"
    )
    assert export.size == default_storage.size(export.file.name) > 0
    assert export.filename in export.file.name and export.file.name != f"exports/{export.filename}"
    assert len(stored_files(settings)) == 1


def test_it_is_queued_until_the_transaction_commits(scenario):
    export = export_request(
        campaign=scenario.campaign,
        format="xlsx",
        language="nl",
        include_raw=False,
        user=scenario.analyst,
    )

    export.refresh_from_db()
    assert export.status == ExportStatus.QUEUED
    assert export.progress == 0


@pytest.mark.parametrize(
    ("format", "include_raw"), [("csv", False), ("csv", True), ("xlsx", True), ("docx", True)]
)
def test_raw_responses_without_the_permission_are_refused_and_nothing_is_written(
    scenario, settings, format, include_raw, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(NotAllowedError) as refusal,
    ):
        export_request(
            campaign=scenario.campaign,
            format=format,
            language="nl",
            include_raw=include_raw,
            user=scenario.analyst,
        )

    assert refusal.value.field == "include_raw"
    assert "permission" in refusal.value.message
    assert not Export.objects.exists()
    assert stored_files(settings) == []


def test_a_csv_always_holds_the_raw_responses_and_is_logged(
    scenario, caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.INFO, logger="inspraak.audit"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        export = export_request(
            campaign=scenario.campaign,
            format="csv",
            language="nl",
            include_raw=False,
            user=scenario.staff,
        )

    export.refresh_from_db()
    assert export.includes_raw_responses is True
    assert export.status == ExportStatus.DONE
    audit = [record.getMessage() for record in caplog.records if record.name == "inspraak.audit"]
    assert len(audit) == 2
    assert f"requested: export={export.pk}" in audit[0] and scenario.staff.email in audit[0]
    counted = Response.objects.filter(survey=scenario.survey, withdrawn_at__isnull=True).count()
    assert f"rendered: export={export.pk}" in audit[1] and f"rows={counted}" in audit[1]


def test_an_export_without_raw_responses_is_not_in_the_audit_log(
    scenario, caplog, django_capture_on_commit_callbacks
):
    with (
        caplog.at_level(logging.INFO, logger="inspraak.audit"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        export_request(
            campaign=scenario.campaign,
            format="xlsx",
            language="nl",
            include_raw=False,
            user=scenario.staff,
        )

    assert [record for record in caplog.records if record.name == "inspraak.audit"] == []


@pytest.mark.parametrize(
    ("format", "language", "field"), [("pdf", "nl", "format"), ("docx", "de", "language")]
)
def test_a_bad_format_or_language_is_named_and_nothing_is_stored(scenario, format, language, field):
    with pytest.raises(InvalidInputError) as error:
        export_request(
            campaign=scenario.campaign,
            format=format,
            language=language,
            include_raw=False,
            user=scenario.staff,
        )

    assert error.value.field == field
    assert not Export.objects.exists()


def test_someone_who_is_not_staff_cannot_export(scenario):
    expert = make_user("expert@ugent.example")

    with pytest.raises(NotAllowedError):
        export_request(
            campaign=scenario.campaign, format="docx", language="nl", include_raw=False, user=expert
        )
    assert not Export.objects.exists()


# --- Rendering -----------------------------------------------------------------------------------


def queued(scenario: ExportScenario, format: str = "xlsx", **fields) -> Export:
    fields.setdefault("includes_raw_responses", format == "csv")
    fields.setdefault("language", "en")  # its messages are written in the export's language
    return Export.objects.create(
        campaign=scenario.campaign, format=format, requested_by=scenario.staff, **fields
    )


def test_progress_is_written_as_it_renders_throttled(scenario, monkeypatch):
    export = queued(scenario, "xlsx", includes_raw_responses=True)
    seen: list[float] = []
    original = exports._ProgressWriter.__call__

    def spy(self, share: float) -> None:
        original(self, share)
        seen.append(Export.objects.get(pk=self.export_id).progress)

    monkeypatch.setattr(exports._ProgressWriter, "__call__", spy)
    monkeypatch.setattr(exports, "PROGRESS_SECONDS", 3600)

    export_run(export_id=export.pk)

    written = sorted(set(seen))
    assert len(written) >= 3
    assert written == sorted(written) and written[0] > 0 and written[-1] < 1
    steps = [later - earlier for earlier, later in itertools.pairwise(written)]
    assert min(steps) >= exports.PROGRESS_STEP - 1e-9
    export.refresh_from_db()
    assert export.progress == 1.0 and export.status == ExportStatus.DONE


def test_a_failure_says_why_and_leaves_no_file(scenario, settings, monkeypatch):
    export = queued(scenario, "docx")

    def broken(**kwargs):
        raise RuntimeError("the renderer tripped")

    monkeypatch.setattr(exports, "render_docx", broken)

    export_run(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "Something unexpected stopped the export (RuntimeError)" in export.error_message
    assert str(export.pk) in export.error_message
    assert not export.file and export.finished_at is not None
    assert stored_files(settings) == []


def test_a_failure_to_store_the_file_says_so_and_leaves_no_file(scenario, settings, monkeypatch):
    export = queued(scenario, "csv")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Export.file.field.storage, "save", full_disk)

    export_run(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "could not be written (No space left on device)" in export.error_message
    assert stored_files(settings) == []


def test_a_failure_after_the_file_was_stored_removes_it(scenario, settings, monkeypatch):
    export = queued(scenario, "csv")
    storage = Export.file.field.storage
    real_save = storage.save

    def save_then_lose_the_claim(name, content, **kwargs):
        stored = real_save(name, content, **kwargs)
        # Meanwhile the row was changed by someone else: it is no longer ours to finish.
        Export.objects.filter(pk=export.pk).update(status=ExportStatus.QUEUED)
        return stored

    monkeypatch.setattr(storage, "save", save_then_lose_the_claim)

    export_run(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "stopped while it was being written" in export.error_message
    assert stored_files(settings) == []


def test_a_done_export_is_not_rendered_twice(scenario, settings, monkeypatch):
    export = queued(scenario, "docx")
    export_run(export_id=export.pk)
    export.refresh_from_db()
    first = (export.file.name, export.finished_at)

    def must_not_render(**kwargs):
        raise AssertionError("rendered twice")

    monkeypatch.setattr(exports, "render_docx", must_not_render)
    again = export_run(export_id=export.pk)

    assert again.status == ExportStatus.DONE
    assert (again.file.name, again.finished_at) == first
    assert len(stored_files(settings)) == 1


def test_a_second_delivery_while_it_renders_leaves_it_to_the_first(scenario, monkeypatch):
    export = queued(scenario, "docx")
    from django.core.cache import cache

    cache.add(exports._lock_key(export.pk), "the first worker", timeout=60)

    returned = export_run(export_id=export.pk)

    assert returned.status == ExportStatus.QUEUED
    export.refresh_from_db()
    assert export.status == ExportStatus.QUEUED and not export.file


def test_a_deleted_export_is_nothing_to_render():
    assert export_run(export_id=987654) is None


# --- Downloading ---------------------------------------------------------------------------------


def test_raw_responses_are_only_downloaded_with_the_permission_and_logged(scenario, caplog):
    export = queued(scenario, "csv")
    export_run(export_id=export.pk)
    export.refresh_from_db()

    with pytest.raises(NotAllowedError):
        export_download(export=export, user=scenario.analyst)
    with caplog.at_level(logging.INFO, logger="inspraak.audit"):
        download = export_download(export=export, user=scenario.staff)
    with download.file:
        assert download.file.read().startswith("\ufeffresponse_id,".encode())
    assert download.filename.endswith("-raw-responses-" + str(timezone.localdate()) + ".csv")
    assert any(
        f"downloaded: export={export.pk}" in record.getMessage() for record in caplog.records
    )


def test_an_unfinished_or_failed_export_cannot_be_downloaded(scenario):
    export = queued(scenario, "docx")
    with pytest.raises(ConflictError, match="not ready"):
        export_download(export=export, user=scenario.staff)

    Export.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error_message="Kapot.")
    export.refresh_from_db()
    with pytest.raises(ConflictError, match="Kapot"):
        export_download(export=export, user=scenario.staff)


# --- Cleaning up ---------------------------------------------------------------------------------


def test_old_files_are_removed_and_the_rows_stay_as_the_log(scenario, settings):
    old = queued(scenario, "docx")
    recent = queued(scenario, "docx")
    for export in (old, recent):
        export_run(export_id=export.pk)
    Export.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    old.refresh_from_db()
    old_file = old.file.name

    assert export_cleanup() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert not default_storage.exists(old_file)
    assert old.file_removed_at is not None and not old.file
    assert old.filename and old.size and old.status == ExportStatus.DONE  # the log stays
    assert default_storage.exists(recent.file.name) and recent.file_removed_at is None
    with pytest.raises(exports.ExportFileRemoved):
        export_download(export=old, user=scenario.staff)
    assert export_cleanup() == 0  # nothing left to remove


def test_the_retention_follows_the_setting_and_the_argument(scenario, settings):
    export = queued(scenario, "docx")
    export_run(export_id=export.pk)
    Export.objects.filter(pk=export.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=3)
    )

    settings.EXPORT_RETENTION_DAYS = 7
    assert export_cleanup() == 0
    settings.EXPORT_RETENTION_DAYS = 2
    assert export_cleanup() == 1
    export.refresh_from_db()
    assert export.file_removed_at is not None


def test_an_explicit_age_overrides_the_setting(scenario):
    export = queued(scenario, "docx")
    export_run(export_id=export.pk)
    Export.objects.filter(pk=export.pk).update(
        finished_at=timezone.now() - datetime.timedelta(hours=2)
    )

    assert export_cleanup(older_than=datetime.timedelta(hours=3)) == 0
    assert export_cleanup(older_than=datetime.timedelta(hours=1)) == 1


def test_an_export_lost_on_the_way_is_failed_saying_so(scenario):
    lost = queued(scenario, "docx")
    waiting = queued(scenario, "docx")
    Export.objects.filter(pk=lost.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))

    export_cleanup()

    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert lost.status == ExportStatus.FAILED and "Request it again" in lost.error_message
    assert waiting.status == ExportStatus.QUEUED


# --- Tasks ---------------------------------------------------------------------------------------


def test_the_export_tasks_run_on_the_exports_queue():
    from analysis.tasks import export_cleanup_task, export_render_task
    from config.celery import app

    for task in (export_render_task, export_cleanup_task):
        assert task.name.startswith("analysis.tasks.export_")
        assert app.amqp.router.route({}, task.name)["queue"].name == "exports"


def test_the_render_task_renders_and_tolerates_a_deleted_export(scenario):
    from analysis.tasks import export_render_task

    export = queued(scenario, "xlsx")

    assert export_render_task.delay(export.pk).get() == ExportStatus.DONE
    assert export_render_task.delay(987654).get() is None


def test_the_cleanup_task_removes_old_files(scenario):
    from analysis.tasks import export_cleanup_task

    export = queued(scenario, "docx")
    export_run(export_id=export.pk)
    Export.objects.filter(pk=export.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=30)
    )

    assert export_cleanup_task.delay().get() == 1
