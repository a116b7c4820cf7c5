"""Who may open every page and endpoint of the site: one matrix over anonymous visitors, a young
person holding a receipt code, an expert, the coordinator of a member organisation, staff
without two-step verification and staff with it (issue 7).

The matrix is complete by construction: ``test_every_route_of_the_site_is_classified`` walks the
URL configuration and fails on any route nobody classified. A route is classified by

- a row in ``ROUTES`` here (its exact outcome for every persona), or
- a row in ``tests/analysis/test_permission_matrix.py`` (the analysis and coordinator pages and
  endpoints; that matrix has no receipt holder: without a session a receipt holder is an
  anonymous visitor there), or
- a prefix rule in ``PATTERN_RULES`` (every route under /staff/ is a staff page, ...): such a
  route gets generated rows, so a page another change adds is tried the day it lands, or
- ``REPRESENTED``: routes the admin and allauth own, covered by a few representative rows here
  (the admin index, sign-in and two change lists; sign-in, sign-up, e-mail, password and
  two-step pages).

A receipt code is a bearer secret: the holder opens its pages; everyone else tries a code that
was never issued and is told it is unknown. Besides the status code, every refused response is
checked for what must never leak: an open answer's text, a code's label, a registrant's name.
Every unsafe request (POST, DELETE) is also sent forged, without the CSRF token, by someone the
route lets in: it is refused.

To classify a new route: add a row to ``ROUTES`` (exact outcomes, real objects), or let a
prefix rule take it (the staff persona then only has to get past the access check).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.analysis.test_permission_matrix import ROUTES as ANALYSIS_MATRIX_ROUTES
from tests.security.conftest import (
    CODE_LABEL,
    PERSONAS,
    SECRET_ANSWER,
    UNISSUED_RECEIPT,
    World,
)

pytestmark = pytest.mark.django_db

NEVER_SHOWN_WHEN_REFUSED = [SECRET_ANSWER, CODE_LABEL, "Sara Peeters", "sara.peeters@"]

# --- Outcomes ------------------------------------------------------------------------------------

LOGIN = "login"  # sent to sign in (302 to /accounts/login/?next=...)
MFA = "mfa"  # sent to set up two-step verification
OK = "ok"  # the route's own success status (Route.ok)
ELSEWHERE = "elsewhere"  # a redirect away from the page, not to sign in (already signed in)
ADMIN_LOGIN = "admin_login"  # sent to the admin's sign-in page


def access(**outcomes: str | int) -> dict[str, str | int]:
    """An access table; ``others`` is the outcome of every persona not named."""
    others = outcomes.pop("others", None)
    table = {persona: outcomes.get(persona, others) for persona in PERSONAS}
    assert None not in table.values(), table
    return table


PUBLIC = access(others=OK)
SIGNED_IN = access(anonymous=LOGIN, receipt_holder=LOGIN, others=OK)
STAFF_PAGE = access(
    anonymous=LOGIN, receipt_holder=LOGIN, expert=403, coordinator=403, staff_no_mfa=MFA, staff=OK
)
# DRF: session authentication answers 403 (not 401) to a request without credentials.
STAFF_API = access(staff=OK, others=403)
# The holder of the code; everyone else tries a code that was never issued.
RECEIPT = access(receipt_holder=OK, others=404)
# Experts register with a verified e-mail address; token authentication answers 401 first.
SIGNED_IN_API = access(anonymous=401, receipt_holder=401, others=OK)
# The expert's own registration: others signed in do not find it.
REGISTRANT_API = access(anonymous=401, receipt_holder=401, expert=OK, others=404)
REGISTRANT_PAGE = access(anonymous=LOGIN, receipt_holder=LOGIN, expert=OK, others=404)
# The admin: staff only, with two-step verification. It sends everyone else to its sign-in
# page, which sends visitors on to allauth's (config/urls.py) and refuses signed-in non-staff.
ADMIN = access(staff_no_mfa=MFA, staff=OK, others=ADMIN_LOGIN)
ADMIN_SIGN_IN = access(
    anonymous=LOGIN, receipt_holder=LOGIN, expert=403, coordinator=403, staff_no_mfa=MFA, staff=OK
)
# A model's pages also need that model's permission, which the staff persona has not been given.
ADMIN_MODEL = access(staff_no_mfa=MFA, staff=403, others=ADMIN_LOGIN)
# Sign in and sign up: for visitors; a signed-in user is sent on.
SIGNED_OUT_PAGE = access(anonymous=OK, receipt_holder=OK, others=ELSEWHERE)


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    url: Callable[[World, str], str]  # (world, persona) -> URL
    access: dict[str, str | int]
    ok: int = 200
    ok_location: str = ""  # with ok 302: where to
    data: Callable[[World], dict] | None = None
    json: bool = False
    # Generated from a prefix rule: the staff persona only has to get past the access check
    # (the generated URL may name nothing); a refusal may also be a 405 for the wrong method.
    generated: bool = False

    @property
    def id(self) -> str:
        return f"{self.method}-{self.name}"


def get(name: str, url: Callable[[World], str], table=PUBLIC, **kwargs) -> Route:
    return Route(name, "get", lambda w, p: url(w), table, **kwargs)


def post(name: str, url: Callable[[World], str], table, ok: int = 302, **kwargs) -> Route:
    return Route(name, "post", lambda w, p: url(w), table, ok=ok, **kwargs)


def receipt(world: World, persona: str) -> str:
    return world.receipt if persona == "receipt_holder" else UNISSUED_RECEIPT


def rt(world: World) -> str:
    return f"/staff/roundtables/{world.roundtable.slug}"


def registration_body(world: World) -> dict:
    return {"sector": "academic", "organisation": "UGent", "expertise": "Play"}


def submission_body(world: World) -> dict:
    return {
        "client_token": "0b3f2a52-3a1e-4d1f-9a57-9a8a3a5b6c7d",
        "language": "nl",
        "age": 10,
        "assent": True,
        "answers": {"mood": 3},
    }


ROUTES: list[Route] = [
    # --- Public pages and files ---
    get("None:healthz", lambda w: "/healthz"),
    get("frontend:home", lambda w: "/"),
    get("frontend:privacy", lambda w: "/privacy/"),
    get("frontend:campaign_detail", lambda w: f"/c/{w.campaign.slug}/"),
    get("frontend:campaign_calendar", lambda w: f"/c/{w.campaign.slug}/calendar.ics"),
    get("frontend:youth_results", lambda w: f"/c/{w.campaign.slug}/results/"),
    get("frontend:roundtable_list", lambda w: "/roundtables/"),
    get("frontend:roundtable_detail", lambda w: f"/roundtables/{w.roundtable.slug}/"),
    get("frontend:roundtable_calendar", lambda w: f"/roundtables/{w.roundtable.slug}/calendar.ics"),
    get("None:api-schema", lambda w: "/api/schema/"),
    get("None:api-docs", lambda w: "/api/docs/"),
    post(
        "None:set_language", lambda w: "/i18n/setlang/", PUBLIC, data=lambda w: {"language": "fr"}
    ),
    # --- The youth flow: anonymous by design, the same for everyone ---
    # (A visitor who has not started yet is sent to the step they are at: the start.)
    get("frontend:youth_invite", lambda w: f"/j/{w.invite.code}", ok=302, ok_location="/s/"),
    get("frontend:None", lambda w: f"/j/{w.invite.code}/", ok=302, ok_location="/s/"),
    get("frontend:youth_entry", lambda w: f"/s/{w.survey.slug}/", ok=302, ok_location="/s/"),
    *(
        get(
            f"frontend:youth_{step}",
            lambda w, path=path: f"/s/{w.survey.slug}/{path}",
            ok=302,
            ok_location="/s/",
        )
        for step, path in [
            ("language", "language/"),
            ("age", "age/"),
            ("assent", "assent/"),
            ("question", "q/mood/"),
            ("send", "send/"),
            ("done", "done/"),
        ]
    ),
    get("frontend:youth_goodbye", lambda w: f"/s/{w.survey.slug}/goodbye/"),
    post("frontend:youth_resume", lambda w: f"/s/{w.survey.slug}/resume/", PUBLIC),
    get("frontend:youth_receipt_lookup", lambda w: "/r/"),
    # --- Receipts: the holder of the code ---
    Route("frontend:youth_receipt", "get", lambda w, p: f"/r/{receipt(w, p)}/", RECEIPT),
    Route(
        "frontend:youth_receipt_withdraw",
        "get",
        lambda w, p: f"/r/{receipt(w, p)}/withdraw/",
        RECEIPT,
    ),
    Route(
        "frontend:youth_receipt_withdraw",
        "post",
        lambda w, p: f"/r/{receipt(w, p)}/withdraw/",
        RECEIPT,
        ok=302,
    ),
    Route(
        "surveys:receipt-detail", "get", lambda w, p: f"/api/v1/receipts/{receipt(w, p)}/", RECEIPT
    ),
    Route(
        "surveys:receipt-detail",
        "delete",
        lambda w, p: f"/api/v1/receipts/{receipt(w, p)}/",
        RECEIPT,
        ok=204,
    ),
    # --- Public API ---
    get("consultations:campaign-list", lambda w: "/api/v1/campaigns/"),
    get("consultations:campaign-detail", lambda w: f"/api/v1/campaigns/{w.campaign.slug}/"),
    get("surveys:survey-detail", lambda w: f"/api/v1/surveys/{w.survey.slug}/?age=10"),
    # Anyone may answer; a signed-in visitor is not linked to the answers (no authentication).
    post(
        "surveys:response-submit",
        lambda w: f"/api/v1/surveys/{w.survey.slug}/responses/",
        PUBLIC,
        ok=201,
        data=submission_body,
        json=True,
    ),
    get("roundtables:roundtable-list", lambda w: "/api/v1/roundtables/"),
    get("roundtables:roundtable-detail", lambda w: f"/api/v1/roundtables/{w.roundtable.pk}/"),
    get(
        "roundtables:roundtable-calendar",
        lambda w: f"/api/v1/roundtables/{w.roundtable.pk}/calendar.ics",
    ),
    get(
        "roundtables:campaign-calendar",
        lambda w: f"/api/v1/campaigns/{w.campaign.slug}/calendar.ics",
    ),
    # --- Roundtables: signed-in experts, and each registrant's own registration ---
    get("frontend:roundtable_mine", lambda w: "/roundtables/mine/", SIGNED_IN),
    get(
        "frontend:roundtable_mine_cancel",
        lambda w: f"/roundtables/mine/{w.registration.pk}/cancel/",
        REGISTRANT_PAGE,
    ),
    post(
        "frontend:roundtable_mine_cancel",
        lambda w: f"/roundtables/mine/{w.registration.pk}/cancel/",
        REGISTRANT_PAGE,
    ),
    post(
        "frontend:roundtable_register",
        lambda w: f"/roundtables/{w.open_roundtable.slug}/register/",
        SIGNED_IN,
        data=registration_body,
    ),
    post(
        "roundtables:registration-create",
        lambda w: f"/api/v1/roundtables/{w.open_roundtable.pk}/registrations/",
        SIGNED_IN_API,
        ok=201,
        data=registration_body,
        json=True,
    ),
    get(
        "roundtables:registration-mine",
        lambda w: f"/api/v1/roundtables/{w.roundtable.pk}/registrations/mine/",
        REGISTRANT_API,
    ),
    Route(
        "roundtables:registration-mine",
        "delete",
        lambda w, p: f"/api/v1/roundtables/{w.roundtable.pk}/registrations/mine/",
        REGISTRANT_API,
        ok=204,
    ),
    # --- Staff: roundtables ---
    get("frontend:staff_roundtable_list", lambda w: "/staff/roundtables/", STAFF_PAGE),
    get("frontend:staff_roundtable_registrations", lambda w: f"{rt(w)}/", STAFF_PAGE),
    get(
        "frontend:staff_roundtable_registrations_csv",
        lambda w: f"{rt(w)}/registrations.csv",
        STAFF_PAGE,
    ),
    post(
        "frontend:staff_roundtable_capacity",
        lambda w: f"{rt(w)}/capacity/",
        STAFF_PAGE,
        data=lambda w: {"capacity": "8"},
    ),
    get(
        "frontend:staff_roundtable_registration_cancel",
        lambda w: f"{rt(w)}/registrations/{w.registration.pk}/cancel/",
        STAFF_PAGE,
    ),
    post(
        "frontend:staff_roundtable_registration_cancel",
        lambda w: f"{rt(w)}/registrations/{w.registration.pk}/cancel/",
        STAFF_PAGE,
    ),
    get("frontend:staff_roundtable_check_in", lambda w: f"{rt(w)}/check-in/", STAFF_PAGE),
    post(
        "frontend:staff_roundtable_check_in_person",
        lambda w: f"{rt(w)}/check-in/{w.registration.pk}/",
        STAFF_PAGE,
        data=lambda w: {"attended": "yes"},
    ),
    get("frontend:staff_roundtable_outcome", lambda w: f"{rt(w)}/outcome/", STAFF_PAGE),
    # Staff get in; an outcome waits until the roundtable has taken place (409).
    post(
        "frontend:staff_roundtable_outcome",
        lambda w: f"{rt(w)}/outcome/",
        STAFF_PAGE,
        ok=409,
        data=lambda w: {
            "summary": "Wat we hoorden",
            "language": "nl",
            "points-TOTAL_FORMS": "0",
            "points-INITIAL_FORMS": "0",
        },
    ),
    # --- Represented: the admin ---
    get("admin:index", lambda w: "/admin/", ADMIN),
    get("admin:login", lambda w: "/admin/login/", ADMIN_SIGN_IN, ok=302, ok_location="/admin/"),
    get("admin:accounts_user_changelist", lambda w: "/admin/accounts/user/", ADMIN_MODEL),
    get("admin:surveys_survey_changelist", lambda w: "/admin/surveys/survey/", ADMIN_MODEL),
    # --- Represented: allauth ---
    get("None:account_login", lambda w: "/accounts/login/", SIGNED_OUT_PAGE),
    get("None:account_signup", lambda w: "/accounts/signup/", SIGNED_OUT_PAGE),
    get("None:account_email", lambda w: "/accounts/email/", SIGNED_IN),
    get("None:account_change_password", lambda w: "/accounts/password/change/", SIGNED_IN),
    get("None:mfa_index", lambda w: "/accounts/2fa/", SIGNED_IN),
    # Setting up an authenticator asks for the password again first.
    get(
        "None:mfa_activate_totp",
        lambda w: "/accounts/2fa/totp/activate/",
        SIGNED_IN,
        ok=302,
        ok_location="/accounts/reauthenticate/",
    ),
]


# --- Routes classified by a prefix rule ----------------------------------------------------------

# (regular expression over the route, access table). The first that matches wins. A route that
# has a row above or in the analysis matrix is not generated again.
PATTERN_RULES: list[tuple[str, dict[str, str | int]]] = [
    (r"^staff/", STAFF_PAGE),
    (r"^api/v1/exports/", STAFF_API),
    (r"^api/v1/campaigns/<slug:slug>/(exports|findings|codebook|quotes)/", STAFF_API),
    (r"^api/v1/surveys/<slug:slug>/results/", STAFF_API),
]

# Routes the admin and allauth own: covered by the representative rows above.
REPRESENTED = [
    ("admin/", "the Django admin: its index, its sign-in page and two change lists above"),
    ("accounts/", "allauth: sign-in, sign-up, e-mail, password and two-step pages above"),
]
# Only with DEBUG on (config/urls.py): uploaded files for the local demo.
DEBUG_ONLY = ["^media/(?P<path>.*)$"]

_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def sample_url(route: str, world: World) -> str:
    """A URL of ``route`` naming the world's objects where the prefix says which (a slug under
    /staff/campaigns/ is the campaign's), and an id that exists nowhere otherwise."""

    def value(match: re.Match) -> str:
        before = route[: match.start()]
        if match["converter"] == "int":
            return "999999"
        if "surveys/" in before or before.startswith("s/"):
            return world.survey.slug
        if "roundtables/" in before:
            return world.roundtable.slug
        if "campaigns/" in before or before.startswith("c/"):
            return world.campaign.slug
        return "nl" if match["name"] == "language" else "x"

    return "/" + _PARAMETER.sub(value, route)


def _all_routes(patterns=None, prefix: str = "", namespace: str | None = None):
    """(route string, "namespace:name", view module) of every URL pattern of the site."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _all_routes(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            view = pattern.callback
            owner = getattr(view, "view_class", None) or getattr(view, "cls", None) or view
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}", owner.__module__


def _classified_by_name() -> set[str]:
    return {route.name for route in ROUTES} | {route.name for route in ANALYSIS_MATRIX_ROUTES}


def _rule_for(route: str) -> dict[str, str | int] | None:
    for expression, table in PATTERN_RULES:
        if re.search(expression, route):
            return table
    return None


def generated_routes() -> list[Route]:
    """A GET and a POST row for every route a prefix rule classifies and no row names."""
    named = _classified_by_name()
    generated = []
    for route, name, _module in _all_routes():
        table = _rule_for(route)
        if name in named or table is None:
            continue
        for method in ("get", "post"):
            generated.append(
                Route(
                    f"{name} ({route})",
                    method,
                    lambda w, p, route=route: sample_url(route, w),
                    table,
                    json=route.startswith("api/"),
                    generated=True,
                )
            )
    return generated


# --- The matrix ----------------------------------------------------------------------------------


def matrix() -> Iterator[tuple[Route, str]]:
    for route in [*ROUTES, *generated_routes()]:
        for persona in PERSONAS:
            yield route, persona


def sign_in(client: Client, persona: str, world: World) -> None:
    user = world.user(persona)
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize(
    ("route", "persona"),
    list(matrix()),
    ids=[f"{route.id}-{persona}" for route, persona in matrix()],
)
def test_the_permission_matrix(client, world, settings, route, persona):
    settings.STAFF_MFA_REQUIRED = True
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    sign_in(client, persona, world)
    url = route.url(world, persona)
    data = route.data(world) if route.data else None
    kwargs = {"content_type": "application/json"} if route.json else {}

    response = getattr(client, route.method)(url, data, **kwargs)

    expected = route.access[persona]
    status = response.status_code
    location = response.get("Location", "")
    refused = expected != OK
    if route.generated and refused and status == 405:
        pass  # the wrong method for this route: refused before anything else
    elif expected == LOGIN:
        assert status == 302 and location.startswith("/accounts/login/?next="), (status, location)
    elif expected == ADMIN_LOGIN:
        assert status == 302 and location.startswith("/admin/login/?next="), (status, location)
    elif expected == MFA:
        assert status == 302 and location == reverse("mfa_activate_totp"), (status, location)
    elif expected == ELSEWHERE:
        assert status == 302 and not location.startswith("/accounts/login/"), (status, location)
    elif expected == OK and route.generated:
        assert status < 500 and status != 403, status
        assert not (status == 302 and location.startswith(("/accounts/login/", "/accounts/2fa/")))
    elif expected == OK:
        assert status == route.ok, (url, status, location)
        assert location.startswith(route.ok_location), location
    else:
        assert status == expected, (url, status, location)
    if refused:
        body = response.content.decode(errors="replace")
        for secret in NEVER_SHOWN_WHEN_REFUSED:
            assert secret not in body, secret


def test_a_generated_route_refuses_outsiders_with_one_method_at_least(client, world, settings):
    """405 counts as a refusal in generated rows; this makes sure that, for the right method,
    every such route reaches its access check and refuses an expert and an anonymous visitor."""
    settings.STAFF_MFA_REQUIRED = True
    unchecked = []
    routes: dict[str, list[Route]] = {}
    for route in generated_routes():
        routes.setdefault(route.name, []).append(route)
    for name, pair in routes.items():
        for persona in ("anonymous", "expert"):
            client.logout()
            sign_in(client, persona, world)
            answers = []
            for route in pair:
                kwargs = {"content_type": "application/json"} if route.json else {}
                answers.append(getattr(client, route.method)(route.url(world, persona), **kwargs))
            if all(answer.status_code == 405 for answer in answers):
                unchecked.append(f"{name} {persona}")

    assert unchecked == []


# --- Forged requests -----------------------------------------------------------------------------

# Nothing to forge: these take no authentication at all (young people are anonymous, and a
# signed-in visitor is not linked to the answers) and accept JSON only, which no cross-site form
# can send; a DELETE cannot be sent cross-site at all without CORS, which the site does not allow.
CSRF_FREE = {"surveys:response-submit", "surveys:receipt-detail"}
# Who sends the forged request: someone the route lets in, signed in where possible.
FORGERY_VICTIMS = ["staff", "expert", "coordinator", "receipt_holder", "anonymous"]


def unsafe_rows() -> list[tuple[Route, str]]:
    rows = []
    for route in [*ROUTES, *generated_routes()]:
        if route.method == "get" or route.name in CSRF_FREE:
            continue
        victim = next(p for p in FORGERY_VICTIMS if route.access[p] == OK)
        rows.append((route, victim))
    return rows


@pytest.mark.parametrize(
    ("route", "persona"),
    unsafe_rows(),
    ids=[f"{route.id}-{persona}" for route, persona in unsafe_rows()],
)
def test_a_forged_request_without_the_csrf_token_is_refused(world, settings, route, persona):
    settings.STAFF_MFA_REQUIRED = True
    client = Client(enforce_csrf_checks=True)
    sign_in(client, persona, world)
    data = route.data(world) if route.data else None
    kwargs = {"content_type": "application/json"} if route.json else {}

    response = getattr(client, route.method)(route.url(world, persona), data, **kwargs)

    assert response.status_code == 403, response.status_code


# --- Completeness --------------------------------------------------------------------------------


def unclassified_routes() -> list[str]:
    named = _classified_by_name()
    left = []
    for route, name, _module in _all_routes():
        if name in named or _rule_for(route) or route in DEBUG_ONLY:
            continue
        if any(route.startswith(prefix) for prefix, _why in REPRESENTED):
            continue
        left.append(f"{route} ({name})")
    return left


def test_every_route_of_the_site_is_classified():
    assert unclassified_routes() == []


def test_every_row_names_a_route_that_exists():
    names = {name for _route, name, _module in _all_routes()}

    assert {route.name for route in ROUTES} <= names, sorted(
        {route.name for route in ROUTES} - names
    )


def test_the_prefix_rules_still_match_a_route():
    routes = [route for route, _name, _module in _all_routes()]

    for expression, _table in PATTERN_RULES:
        assert any(re.search(expression, route) for route in routes), expression
