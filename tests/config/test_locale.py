import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("", "nl"),
        ("en-US,en;q=0.9", "nl"),
        ("de-DE,de;q=0.9", "nl"),
        ("nl-BE,nl;q=0.9,en;q=0.8", "nl"),
        ("fr-BE,fr;q=0.9,nl;q=0.5", "fr"),
        ("en-GB,fr;q=0.8,nl;q=0.6", "fr"),
        ("en-GB,nl;q=0.8,fr;q=0.6", "nl"),
    ],
)
def test_pages_speak_dutch_unless_the_browser_prefers_french(client, accept_language, expected):
    response = client.get("/", headers={"accept-language": accept_language})

    assert response.status_code == 200
    assert f'<html lang="{expected}"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", ["nl", "fr", "en"])
def test_the_visitors_own_choice_wins_over_the_browser(client, chosen):
    client.post("/i18n/setlang/", {"language": chosen, "next": "/"})

    response = client.get("/", headers={"accept-language": "fr-BE,fr"})

    assert f'<html lang="{chosen}"' in response.content.decode()
