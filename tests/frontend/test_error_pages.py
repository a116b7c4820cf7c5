from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from tests.frontend.html_checks import parse, text_of


def test_a_missing_page_is_explained_kindly_with_a_way_home(client, db):
    client.cookies["django_language"] = "en"
    response = client.get("/does/not/exist/")

    assert response.status_code == 404
    page = parse(response.content)
    assert "We cannot find this page" in text_of(response.content)
    assert page.find("a", href="/", class_="button")
    assert page.find("button", name="language", value="fr"), "the site's own layout"
    assert page.html_lang == "en"


def test_a_server_error_page_renders_without_a_request_context_or_database():
    with translation.override("nl"):
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    page = parse(response.content)
    assert "Er ging bij ons iets mis" in text_of(response.content)  # Dutch, the default
    assert page.find("a", href="/")
    assert page.stylesheets == ["/static/inspraak/site.css"]
    assert page.csp_problems == []
