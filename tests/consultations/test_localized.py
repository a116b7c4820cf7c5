from types import SimpleNamespace

from django.utils import translation

from consultations.translation import localized


def texts(nl: str = "", fr: str = "", en: str = "") -> SimpleNamespace:
    return SimpleNamespace(title_nl=nl, title_fr=fr, title_en=en)


def test_it_gives_the_text_in_the_active_language():
    with translation.override("fr"):
        assert localized(texts("Hallo", "Bonjour", "Hello"), "title") == "Bonjour"


def test_a_regional_variant_of_the_active_language_counts():
    with translation.override("en-gb"):
        assert localized(texts("Hallo", "Bonjour", "Hello"), "title") == "Hello"


def test_an_explicit_language_wins_over_the_active_one():
    with translation.override("fr"):
        assert localized(texts("Hallo", "Bonjour", "Hello"), "title", "en") == "Hello"


def test_a_missing_translation_falls_back_to_dutch():
    assert localized(texts("Hallo", "Bonjour", ""), "title", "en") == "Hallo"


def test_without_dutch_it_falls_back_to_any_language_with_text():
    assert localized(texts("", "", "Hello"), "title", "fr") == "Hello"


def test_an_unknown_language_falls_back_to_dutch():
    assert localized(texts("Hallo", "Bonjour", "Hello"), "title", "de") == "Hallo"


def test_no_text_in_any_language_gives_an_empty_string():
    assert localized(texts(), "title", "nl") == ""
