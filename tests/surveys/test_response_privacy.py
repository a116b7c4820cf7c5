"""A response holds nothing that identifies the young person."""

from surveys.models import Answer, Response


def test_a_response_stores_only_its_band_language_link_time_and_codes():
    names = {field.name for field in Response._meta.get_fields()}

    assert names == {
        "id",
        "survey",
        "age_band",
        "language",
        "invite_link",
        "organisation",
        "submitted_at",
        "receipt_code",
        "client_token",
        "withdrawn_at",
        "answers",
    }


def test_no_column_could_hold_an_address_a_browser_or_a_birth_date():
    columns = [
        field.column.lower()
        for model in (Response, Answer)
        for field in model._meta.concrete_fields
    ]

    for word in ("ip", "addr", "agent", "browser", "birth", "email", "name", "user", "session"):
        assert not [column for column in columns if word in column.split("_")], word


def test_a_response_does_not_show_its_receipt_code_as_its_name():
    response = Response(pk=7, receipt_code="ABCD2345")

    assert "ABCD2345" not in str(response)
