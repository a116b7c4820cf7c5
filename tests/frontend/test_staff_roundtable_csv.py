"""The registrations as a CSV file that Excel opens with accents intact."""

import csv
import io

import pytest

from tests.frontend.roundtable_fixtures import *  # noqa: F403
from tests.frontend.roundtable_fixtures import in_language

pytestmark = pytest.mark.django_db

QUESTION = {
    "key": "perspective",
    "kind": "single",
    "label_nl": "Vanuit welk perspectief?",
    "label_en": "From which perspective?",
    "options": [
        {"value": "research", "label_nl": "Onderzoek", "label_en": "Research"},
        {"value": "practice", "label_nl": "Praktijk", "label_en": "Practice"},
    ],
}


def download(client) -> tuple[object, bytes]:
    response = client.get("/staff/roundtables/mental-health/registrations.csv")
    return response, b"".join(response.streaming_content)


def test_it_streams_one_row_per_registration_with_a_bom_for_excel(
    client, make_roundtable, register, expert, other_expert, staff
):
    roundtable = make_roundtable(capacity=1, questions=[QUESTION])
    register(roundtable, expert, needs="Wheelchair access", answers={"perspective": "practice"})
    register(roundtable, other_expert)
    client.force_login(staff)

    response, content = download(client)

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="mental-health-registrations.csv"' in response["Content-Disposition"]
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "E-mail",
        "Organisation",
        "Sector",
        "Expertise",
        "Access or dietary needs",
        "From which perspective?",
        "Status",
        "Waitlist position",
        "Registered at",
    ]
    assert rows[1][:9] == [
        "Sara Peeters",
        "sara.peeters@ugent.example",
        "Universiteit Gent",
        "Academic",
        "Participation of young children",
        "Wheelchair access",
        "Practice",
        "Confirmed",
        "",
    ]
    assert rows[2][:3] == [
        "Julien Dubois",
        "julien.dubois@fwb.example",
        "Fédération Wallonie-Bruxelles",
    ]
    assert rows[2][7:9] == ["On the waitlist", "1"]
    assert len(rows) == 3


def test_a_cell_that_excel_would_run_as_a_formula_stays_text(
    client, roundtable, register, expert, staff
):
    register(roundtable, expert, expertise='=HYPERLINK("http://evil.example")')
    client.force_login(staff)

    _response, content = download(client)

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1][4] == '\'=HYPERLINK("http://evil.example")'


def test_the_columns_are_in_the_language_of_the_page(client, roundtable, register, expert, staff):
    register(roundtable, expert)
    client.force_login(staff)

    response = in_language(client, "fr").get("/staff/roundtables/mental-health/registrations.csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")

    header = next(csv.reader(io.StringIO(content)))
    # (msgid "Sector" is in the French catalogue.)
    assert header[3] == "Secteur"
