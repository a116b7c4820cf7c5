"""GET /api/v1/surveys/{slug}/results/: staff only, small cells hidden, clear errors."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from analysis.models import ResultSnapshot
from analysis.services import survey_results_refresh
from tests.accounts.helpers import activate_totp

pytestmark = pytest.mark.django_db


def url(slug: str, by: str | None = None) -> str:
    return f"/api/v1/surveys/{slug}/results/" + (f"?by={by}" if by else "")


@pytest.fixture
def make_user(django_user_model):
    def make(email: str, **fields):
        user = django_user_model.objects.create_user(email=email, password="x" * 20, **fields)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user

    return make


@pytest.fixture
def staff(make_user):
    user = make_user("analyst@coalition.example", is_staff=True)
    activate_totp(user)
    return user


@pytest.fixture
def staff_without_app(make_user):
    return make_user("new-analyst@coalition.example", is_staff=True)


@pytest.fixture
def expert(make_user):
    return make_user("expert@example.org")


@pytest.fixture
def coordinator(make_user, invites):
    user = make_user("coordinator@example.org")
    invites[0].organisation.coordinators.add(user)
    return user


@pytest.fixture
def other_coordinator(make_user, invites):
    user = make_user("other-coordinator@example.org")
    invites[1].organisation.coordinators.add(user)
    return user


@pytest.fixture
def results_survey(seed_responses):
    seeded = seed_responses(count=60, seed=1)
    survey_results_refresh(survey=seeded.survey)
    return seeded.survey


class TestWhoMayRead:
    @pytest.fixture(autouse=True)
    def _two_step_verification_required(self, settings):
        settings.STAFF_MFA_REQUIRED = True

    def test_an_anonymous_visitor_is_refused(self, client, results_survey):
        assert client.get(url(results_survey.slug)).status_code in (401, 403)

    @pytest.mark.parametrize("persona", ["expert", "coordinator", "other_coordinator"])
    def test_experts_and_coordinators_are_refused(self, client, results_survey, persona, request):
        client.force_login(request.getfixturevalue(persona))
        response = client.get(url(results_survey.slug, "organisation"))
        assert response.status_code == 403
        assert "questions" not in response.json()

    def test_staff_without_two_step_verification_are_refused(
        self, client, results_survey, staff_without_app
    ):
        client.force_login(staff_without_app)
        response = client.get(url(results_survey.slug))
        assert response.status_code == 403
        assert "/2fa/totp/activate/" in response.json()["detail"]

    def test_staff_read_the_results(self, client, results_survey, staff):
        client.force_login(staff)
        assert client.get(url(results_survey.slug)).status_code == 200


def test_staff_see_counts_per_option_and_the_breakdown_with_small_cells_hidden(
    client, results_survey, staff
):
    client.force_login(staff)
    response = client.get(url(results_survey.slug, "age_band"))
    assert response.status_code == 200
    body = response.json()
    snapshot = ResultSnapshot.objects.get(survey=results_survey)
    assert body["computed_at"] is not None
    assert body["response_count"] == snapshot.response_count
    assert [group["key"] for group in body["groups"]] == ["6-8", "9-11", "12-14", "15-17"]
    k = body["min_cell_size"]
    mood = next(q for q in body["questions"] if q["key"] == "mood")
    assert mood["kind"] == "scale"
    assert [cell["value"] for cell in mood["results"]["counts"]] == ["1", "2", "3", "4", "5"]
    assert "mean" in mood["results"]
    for question in body["questions"]:
        for entry in question["breakdown"]:
            if entry["suppressed"]:
                assert entry["results"] is None
                continue
            for cell in entry["results"].get("counts", []):
                assert cell["suppressed"] == (cell["count"] is None)
                assert cell["count"] is None or not 0 < cell["count"] < k


def test_results_can_be_crossed_with_a_single_choice_question(client, results_survey, staff):
    client.force_login(staff)
    body = client.get(url(results_survey.slug, "sport")).json()
    assert [group["key"] for group in body["groups"]] == ["football", "swimming", "dance"]
    hobbies = next(q for q in body["questions"] if q["key"] == "hobbies")
    assert [entry["key"] for entry in hobbies["breakdown"]] == ["football", "swimming", "dance"]


def test_an_unknown_breakdown_is_a_400_naming_by(client, results_survey, staff):
    client.force_login(staff)
    response = client.get(url(results_survey.slug, "shoe_size"))
    assert response.status_code == 400
    assert "by" in response.json()["errors"]


def test_an_unknown_survey_is_a_404(client, staff):
    client.force_login(staff)
    assert client.get(url("no-such-survey")).status_code == 404


def test_the_first_look_at_a_survey_computes_its_snapshot(client, survey, staff):
    """Without a worker (tasks in-process) the snapshot exists at once."""
    client.force_login(staff)
    body = client.get(url(survey.slug)).json()
    assert body["computed_at"] is not None
    assert ResultSnapshot.objects.filter(survey=survey).exists()


def test_in_the_local_demo_staff_without_an_app_read_the_results(
    client, results_survey, staff_without_app, settings
):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(staff_without_app)
    assert client.get(url(results_survey.slug)).status_code == 200
