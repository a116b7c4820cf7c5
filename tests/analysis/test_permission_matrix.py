"""Who may open every analysis endpoint and page: one matrix over anonymous visitors, an expert,
the coordinator of organisation A, the coordinator of organisation B, staff without two-step
verification and staff with it (issue 5, acceptance 4).

The matrix is complete by construction: ``test_every_analysis_route_is_in_the_matrix`` walks the
URL configuration and fails on any analysis page or endpoint that has no row here, so a new page
cannot ship without its permissions being decided and tested.

Besides the status code, every refused response is checked for what must never leak to the
wrong person: an open answer's text, a code's label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from analysis.coding import answer_coding_save, code_create
from analysis.models import ThemeSuggestion
from analysis.services import survey_results_refresh
from surveys.models import Answer
from tests.accounts.helpers import activate_totp
from tests.analysis.test_reach import SECRET_ANSWER, Scenario, build_scenario

pytestmark = pytest.mark.django_db

CODE_LABEL = "Turnzaal te klein"

# The modules whose routes are analysis pages and endpoints.
ANALYSIS_VIEW_MODULES = {
    "analysis.api",
    "analysis.coding_api",
    "frontend.views.staff_analysis",
    "frontend.views.staff_coding",
    "frontend.views.coordinator",
}

PERSONAS = ["anonymous", "expert", "coordinator_a", "coordinator_b", "staff_no_mfa", "staff"]


# --- The world every cell of the matrix is tried in ----------------------------------------------


@dataclass
class World:
    scenario: Scenario
    staff: User
    code_id: int
    other_code_id: int
    answer_id: int
    suggestion_id: int

    @property
    def campaign(self) -> str:
        return self.scenario.campaign.slug

    @property
    def survey(self) -> str:
        return self.scenario.survey.slug


@pytest.fixture
def world(django_user_model) -> World:
    scenario = build_scenario(k=5)
    survey_results_refresh(survey=scenario.survey)
    staff = make_user("analist@coalitie.example", is_staff=True)
    code = code_create(campaign=scenario.campaign, label=CODE_LABEL, user=staff)
    other = code_create(campaign=scenario.campaign, label="Meer sport", user=staff)
    answer = (
        Answer.objects.filter(
            response__survey=scenario.survey,
            response__withdrawn_at__isnull=True,
            text_value__isnull=False,
        )
        .order_by("id")
        .first()
    )
    answer_coding_save(
        answer_id=answer.pk,
        campaign=scenario.campaign,
        code_ids=[code.pk],
        is_quote=True,
        user=staff,
    )
    suggestion = ThemeSuggestion.objects.create(
        campaign=scenario.campaign, language="nl", phrase="turnzaal", answer_count=12
    )
    return World(scenario, staff, code.pk, other.pk, answer.pk, suggestion.pk)


def make_user(email: str, **fields) -> User:
    user = User.objects.create_user(email=email, password="x" * 20, **fields)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def sign_in(client: Client, persona: str, world: World, settings) -> None:
    settings.STAFF_MFA_REQUIRED = True
    if persona == "anonymous":
        return
    if persona == "expert":
        user = make_user("sara.peeters@ugent.example")
    elif persona == "coordinator_a":
        user = make_user("leiding@chiro.example")
        world.scenario.chiro.coordinators.add(user)
    elif persona == "coordinator_b":
        user = make_user("leiding@scouts.example")
        world.scenario.scouts.coordinators.add(user)
    elif persona == "staff_no_mfa":
        user = make_user("nieuw@coalitie.example", is_staff=True)
    else:
        user = world.staff
        activate_totp(user)
    client.force_login(user)


# --- The matrix ----------------------------------------------------------------------------------

# What each persona gets, by the kind of route. "login": sent to sign in; "mfa": sent to set up
# two-step verification; a number: that status code. For the allowed persona the route gives its
# own success status.
STAFF_PAGE = {
    "anonymous": "login",
    "expert": 403,
    "coordinator_a": 403,
    "coordinator_b": 403,
    "staff_no_mfa": "mfa",
    "staff": "ok",
}
STAFF_API = {
    "anonymous": 403,
    "expert": 403,
    "coordinator_a": 403,
    "coordinator_b": 403,
    "staff_no_mfa": 403,
    "staff": "ok",
}
REACH_OF_A = {
    "anonymous": "login",
    "expert": 403,
    "coordinator_a": "ok",
    "coordinator_b": 403,
    "staff_no_mfa": "mfa",
    "staff": "ok",
}
COORDINATOR_HOME = {
    "anonymous": "login",
    "expert": 403,
    "coordinator_a": "ok",
    "coordinator_b": "ok",
    "staff_no_mfa": "mfa",
    "staff": "ok",
}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    url: Callable[[World], str]
    access: dict[str, str | int]
    ok: int = 200
    data: Callable[[World], dict] | None = None


def page(name: str, url: Callable[[World], str], **kwargs) -> Route:
    return Route(name, "get", url, STAFF_PAGE, **kwargs)


def action(name: str, url: Callable[[World], str], data=None, ok: int = 302) -> Route:
    return Route(name, "post", url, STAFF_PAGE, ok=ok, data=data)


ROUTES: list[Route] = [
    # Survey results and the campaign overview (staff).
    page("frontend:staff_survey_list", lambda w: "/staff/surveys/"),
    page("frontend:staff_campaign_overview", lambda w: f"/staff/campaigns/{w.campaign}/overview/"),
    page(
        "frontend:staff_survey_results", lambda w: f"/staff/surveys/{w.survey}/results/?by=age_band"
    ),
    page(
        "frontend:staff_survey_results_chart",
        lambda w: f"/staff/surveys/{w.survey}/results/sport.svg",
    ),
    action(
        "frontend:staff_survey_results_refresh",
        lambda w: f"/staff/surveys/{w.survey}/results/refresh/",
    ),
    Route(
        "analysis:survey-results",
        "get",
        lambda w: f"/api/v1/surveys/{w.survey}/results/",
        STAFF_API,
    ),
    # Open answers: codebook, coding, quotes, theme suggestions (staff).
    page("frontend:staff_codebook", lambda w: f"/staff/campaigns/{w.campaign}/codebook/"),
    action(
        "frontend:staff_codebook",
        lambda w: f"/staff/campaigns/{w.campaign}/codebook/",
        data=lambda w: {"label": "Nieuwe code"},
    ),
    page("frontend:staff_code_edit", lambda w: f"{codes(w)}{w.code_id}/"),
    action(
        "frontend:staff_code_edit",
        lambda w: f"{codes(w)}{w.code_id}/",
        data=lambda w: {"label": "Turnzaal", "description": ""},
    ),
    page("frontend:staff_code_delete", lambda w: f"{codes(w)}{w.code_id}/delete/"),
    action("frontend:staff_code_delete", lambda w: f"{codes(w)}{w.code_id}/delete/"),
    page("frontend:staff_code_merge", lambda w: f"{codes(w)}{w.code_id}/merge/"),
    action(
        "frontend:staff_code_merge",
        lambda w: f"{codes(w)}{w.code_id}/merge/",
        data=lambda w: {"target": w.other_code_id},
    ),
    action("frontend:staff_themes_refresh", lambda w: f"{themes(w)}refresh/"),
    action("frontend:staff_theme_accept", lambda w: f"{themes(w)}{w.suggestion_id}/accept/"),
    action("frontend:staff_theme_ignore", lambda w: f"{themes(w)}{w.suggestion_id}/ignore/"),
    page("frontend:staff_coding", lambda w: f"/staff/campaigns/{w.campaign}/coding/?status=all"),
    page("frontend:staff_coding_answer", lambda w: f"{coding(w)}{w.answer_id}/"),
    action(
        "frontend:staff_coding_answer",
        lambda w: f"{coding(w)}{w.answer_id}/",
        data=lambda w: {"codes": [w.code_id, w.other_code_id]},
    ),
    page("frontend:staff_quotes", lambda w: f"/staff/campaigns/{w.campaign}/quotes/"),
    Route(
        "analysis:campaign-codebook",
        "get",
        lambda w: f"/api/v1/campaigns/{w.campaign}/codebook/",
        STAFF_API,
    ),
    Route(
        "analysis:campaign-quotes",
        "get",
        lambda w: f"/api/v1/campaigns/{w.campaign}/quotes/",
        STAFF_API,
    ),
    # Coordinators: their own organisation's reach, counts only.
    Route("frontend:coordinator_home", "get", lambda w: "/coordinator/", COORDINATOR_HOME),
    Route(
        "frontend:coordinator_reach",
        "get",
        lambda w: f"/coordinator/{w.scenario.chiro.slug}/{w.campaign}/",
        REACH_OF_A,
    ),
]


def codes(world: World) -> str:
    return f"/staff/campaigns/{world.campaign}/codebook/codes/"


def themes(world: World) -> str:
    return f"/staff/campaigns/{world.campaign}/codebook/themes/"


def coding(world: World) -> str:
    return f"/staff/campaigns/{world.campaign}/coding/"


def matrix() -> Iterator[tuple[Route, str]]:
    for route in ROUTES:
        for persona in PERSONAS:
            yield route, persona


@pytest.mark.parametrize(
    ("route", "persona"),
    list(matrix()),
    ids=[f"{route.method}-{route.name}-{persona}" for route, persona in matrix()],
)
def test_the_permission_matrix(client, world, settings, route, persona):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    sign_in(client, persona, world, settings)
    url = route.url(world)
    data = route.data(world) if route.data else {}

    response = getattr(client, route.method)(url, data)

    expected = route.access[persona]
    if expected == "login":
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    elif expected == "mfa":
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url
    elif expected == "ok":
        assert response.status_code == route.ok, (url, response.status_code)
    else:
        assert response.status_code == expected, (url, response.status_code)
    if expected != "ok":
        body = response.content.decode(errors="replace")
        assert SECRET_ANSWER not in body
        assert CODE_LABEL not in body


# --- Completeness --------------------------------------------------------------------------------


def _routes(patterns, namespace: str | None = None) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            view = pattern.callback
            owner = getattr(view, "view_class", None) or getattr(view, "cls", None) or view
            yield f"{namespace}:{pattern.name}", owner.__module__


def test_every_analysis_route_is_in_the_matrix():
    analysis_routes = {
        name
        for name, module in _routes(get_resolver().url_patterns)
        if module in ANALYSIS_VIEW_MODULES
    }

    assert analysis_routes, "no analysis route found: the module list is out of date"
    assert analysis_routes <= {route.name for route in ROUTES}, sorted(
        analysis_routes - {route.name for route in ROUTES}
    )
