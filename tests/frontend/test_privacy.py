from tests.frontend.html_checks import text_of


def test_it_explains_in_plain_words_that_young_people_stay_anonymous(client, db):
    client.cookies["django_language"] = "en"
    response = client.get("/privacy/")
    page = text_of(response.content)

    assert response.status_code == 200
    assert "We never ask for your name, e-mail address or birth date." in page
    assert "We do not store your IP address" in page
    assert "We only store your age as a group" in page
    assert "looks like an e-mail address or a phone number, we hide it" in page


def test_every_page_links_to_it(client, db):
    assert b'href="/privacy/"' in client.get("/").content
