"""The admin moves seats through the services: promotion and e-mails happen as on the site."""

from html.parser import HTMLParser

import pytest

from roundtables.models import Registration, RegistrationStatus, Roundtable, RoundtableStatus
from roundtables.services import registration_create

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """The values a browser would submit for the admin's main form (<form id=..._form>)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in ("submit", "button"):
            if attributes.get("type") in ("checkbox", "radio") and "checked" not in attributes:
                return
            default = "on" if attributes.get("type") in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(attributes.get("value", default))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attributes:
            self.data[self._select].append(attributes.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def form_values(response) -> dict[str, list[str]]:
    parser = FormValues()
    parser.feed(response.content.decode())
    data = parser.data
    # Django's textarea rendering starts with a newline that the browser drops.
    return {k: [v.removeprefix("\r\n").removeprefix("\n") for v in vs] for k, vs in data.items()}


@pytest.fixture
def admin_client(client, make_user, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(
        make_user("admin@coalition.example", is_staff=True, is_superuser=True, full_name="Ad Min")
    )
    return client


@pytest.fixture
def with_waitlist(make_roundtable, make_user):
    roundtable = make_roundtable(capacity=1, title_nl="Rondetafel")
    for email, language in [("seat@example.org", "en"), ("wait@example.org", "nl")]:
        registration_create(
            roundtable=roundtable, user=make_user(email, preferred_language=language)
        )
    return roundtable


def change(admin_client, roundtable, **changes):
    url = f"/admin/roundtables/roundtable/{roundtable.pk}/change/"
    data = form_values(admin_client.get(url))
    for field, value in changes.items():
        data[field] = [value]
    return admin_client.post(url, data)


def test_raising_the_capacity_in_the_admin_promotes_the_waitlist_and_tells_them(
    admin_client, with_waitlist, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = change(admin_client, with_waitlist, capacity="2", title_en="Renamed")

    assert response.status_code == 302, response.context["adminform"].form.errors
    with_waitlist.refresh_from_db()
    assert (with_waitlist.capacity, with_waitlist.title_en) == (2, "Renamed")
    promoted = Registration.objects.get(user__email="wait@example.org")
    assert promoted.status == RegistrationStatus.CONFIRMED
    assert [message.to for message in mailoutbox] == [["wait@example.org"]]


def test_lowering_the_capacity_below_the_seats_taken_is_refused_in_the_form(
    admin_client, make_roundtable, make_user
):
    roundtable = make_roundtable(capacity=3)
    for number in range(2):
        registration_create(roundtable=roundtable, user=make_user(f"p{number}@example.org"))

    response = change(admin_client, roundtable, capacity="1")

    assert response.status_code == 200
    assert "2 people already have a seat" in response.content.decode()
    assert Roundtable.objects.get().capacity == 3


def test_cancelling_a_roundtable_in_the_admin_cancels_its_registrations(
    admin_client, with_waitlist, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = change(admin_client, with_waitlist, status=RoundtableStatus.CANCELLED)

    assert response.status_code == 302
    assert Roundtable.objects.get().status == RoundtableStatus.CANCELLED
    assert set(Registration.objects.values_list("status", flat=True)) == {"cancelled"}
    assert len(mailoutbox) == 2


def test_the_staff_cancel_action_promotes_the_next_person(
    admin_client, with_waitlist, mailoutbox, django_capture_on_commit_callbacks
):
    seat = Registration.objects.get(user__email="seat@example.org")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/roundtables/registration/",
            {"action": "cancel_registrations", "_selected_action": [seat.pk]},
        )

    assert response.status_code == 302
    assert Registration.objects.get(pk=seat.pk).status == RegistrationStatus.CANCELLED
    assert (
        Registration.objects.get(user__email="wait@example.org").status
        == RegistrationStatus.CONFIRMED
    )
    assert sorted(m.to[0] for m in mailoutbox) == ["seat@example.org", "wait@example.org"]


def test_registrations_are_listed_with_their_waitlist_position_and_cannot_be_deleted(
    admin_client, with_waitlist
):
    listing = admin_client.get("/admin/roundtables/registration/", {"status": "waitlisted"})
    registration = Registration.objects.get(user__email="wait@example.org")
    detail = admin_client.get(f"/admin/roundtables/registration/{registration.pk}/change/")
    roundtable_page = admin_client.get(f"/admin/roundtables/roundtable/{with_waitlist.pk}/change/")

    assert listing.status_code == detail.status_code == roundtable_page.status_code == 200
    assert "wait@example.org" in listing.content.decode()
    assert "seat@example.org" not in listing.content.decode()
    assert "wait@example.org" in roundtable_page.content.decode()
    assert (
        admin_client.get(f"/admin/roundtables/registration/{registration.pk}/delete/").status_code
        == 403
    )


def test_an_outcome_with_key_points_is_recorded_in_the_admin(admin_client, make_roundtable):
    roundtable = make_roundtable()

    page = admin_client.get("/admin/roundtables/outcome/add/")

    assert page.status_code == 200
    assert "points-TOTAL_FORMS" in page.content.decode()
    assert roundtable.pk
