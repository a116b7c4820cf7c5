"""Every write to responses goes through here: submitting answers and withdrawing them."""

from __future__ import annotations

import functools
import logging
import math
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext

from config.exceptions import ApplicationError, ConflictError, InvalidInputError, NotFoundError
from consultations.models import InviteLink
from consultations.selectors import invite_link_get_active
from surveys.definition import QuestionDefinition, SurveyDefinition, survey_definition
from surveys.masking import mask_contact_details
from surveys.models import (
    KEY_MAX_LENGTH,
    NUMBER_DECIMAL_PLACES,
    NUMBER_LIMIT,
    Answer,
    QuestionKind,
    Response,
    Survey,
)
from surveys.receipts import format_receipt_code, generate_receipt_code
from surveys.selectors import age_refusal, response_get_by_receipt, shown_keys
from surveys.signals import response_changed

logger = logging.getLogger(__name__)

RECEIPT_ATTEMPTS = 5
_CENTS = Decimal(1).scaleb(-NUMBER_DECIMAL_PLACES)


@dataclass(frozen=True)
class SubmitResult:
    response: Response
    receipt: str  # "XXXX-XXXX"
    created: bool


def _announce(survey_id: int) -> None:
    for receiver, result in response_changed.send_robust(sender=Survey, survey_id=survey_id):
        if isinstance(result, Exception):
            logger.error(
                "response_changed receiver %r failed",
                receiver,
                exc_info=(type(result), result, result.__traceback__),
            )


# --- Submitting ----------------------------------------------------------------------------------


def response_submit(
    *,
    survey: Survey,
    client_token: uuid.UUID,
    language: str,
    age: int,
    invite_code: str | None,
    assent: bool,
    answers: dict[str, object],
) -> SubmitResult:
    """Store one young person's answers, or return the receipt of the response already stored
    under the same ``client_token`` (``created`` False).

    Validates every field against the survey definition and raises InvalidInputError naming
    the first offending field (``language``, ``age``, ``assent``, ``invite``, ``answers`` or
    ``answers.<key>``; every offending field in ``extra["errors"]``), ConflictError when the
    survey is not open. Answers that are None, "" or [] are skipped questions. Free text is
    stored with e-mail addresses and phone numbers masked.

    Idempotent through the unique ``client_token``: two identical requests at the same moment
    store one response. With a warm definition cache a submission costs at most six queries,
    whatever the size of the survey. On commit, ``response_changed`` is sent.
    """
    token = _client_token(client_token)
    try:
        if not survey.is_open():
            raise ConflictError(
                gettext("This survey is closed: it takes no answers (any more)."), field="survey"
            )
        definition = survey_definition(survey)
        submission = _validated(
            survey=survey,
            definition=definition,
            language=language,
            age=age,
            invite_code=invite_code,
            assent=assent,
            answers=answers,
        )
    except ApplicationError:
        # A young person retrying after a lost connection gets their receipt, even when the
        # survey closed or its definition changed in between.
        existing = _already_stored(survey, token)
        if existing is not None:
            return existing
        raise
    return _store(survey=survey, token=token, submission=submission)


class AnswerRow(NamedTuple):
    """One row of ``surveys_answer`` before it is stored: the validated, masked values of one
    answer (a question's option, ranked option, number or text). Plain values rather than
    Answer instances, since a submission holds a score of them and hands them to one INSERT."""

    question_id: int
    option_id: int | None = None
    rank: int | None = None
    number_value: Decimal | None = None
    text_value: str | None = None


@dataclass(frozen=True)
class _Submission:
    age_band_id: int
    language: str
    invite_link: InviteLink | None
    answers: list[AnswerRow]


def _client_token(value: object) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise InvalidInputError(
            gettext("The client token must be a UUID."), field="client_token"
        ) from None


def _already_stored(survey: Survey, token: uuid.UUID) -> SubmitResult | None:
    response = Response.objects.filter(client_token=token).first()
    if response is None:
        return None
    if response.survey_id != survey.pk:
        raise ConflictError(
            gettext("This client token was already used for another survey."),
            field="client_token",
        )
    return SubmitResult(
        response=response, receipt=format_receipt_code(response.receipt_code), created=False
    )


def _store(*, survey: Survey, token: uuid.UUID, submission: _Submission) -> SubmitResult:
    invite = submission.invite_link
    for _attempt in range(RECEIPT_ATTEMPTS):
        response = Response(
            survey=survey,
            age_band_id=submission.age_band_id,
            language=submission.language,
            invite_link=invite,
            organisation_id=invite.organisation_id if invite else None,
            submitted_at=timezone.now(),
            receipt_code=generate_receipt_code(),
            client_token=token,
        )
        try:
            _insert(response, submission.answers)
            transaction.on_commit(partial(_announce, survey.pk))
        except IntegrityError:
            existing = _already_stored(survey, token)
            if existing is not None:
                return existing
            if Response.objects.filter(receipt_code=response.receipt_code).exists():
                continue  # one in 8.5 * 10^11: draw another code
            raise
        return SubmitResult(
            response=response, receipt=format_receipt_code(response.receipt_code), created=True
        )
    raise RuntimeError("no free receipt code found")  # pragma: no cover


def _insert(response: Response, answers: list[AnswerRow]) -> None:
    """Store the response and its answers, all or nothing. The response is the first write:
    when its client token or receipt code is taken, nothing was written."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        _insert_in_one_statement(response, answers)
        return
    with transaction.atomic():
        response.save(force_insert=True)
        Answer.objects.bulk_create(
            Answer(response=response, **answer._asdict()) for answer in answers
        )


# The response, and its answers from arrays of their columns, in one statement: the answers'
# INSERT reads the id the response's INSERT returns.
_ONE_STATEMENT = """
WITH new_response AS (
    INSERT INTO {response_table} ({response_columns}) VALUES ({response_values})
    RETURNING {response_pk} AS id
), new_answers AS (
    INSERT INTO {answer_table} ({answer_link}, {answer_columns})
    SELECT new_response.id, answer.* FROM new_response, UNNEST({answer_arrays}) AS answer
)
SELECT id FROM new_response
"""


@functools.cache
def _one_statement() -> tuple[str, list[Field]]:
    """The statement, and the response's fields whose values it takes, in order; the answers'
    columns are AnswerRow's. Names from the models."""
    response_fields = [field for field in Response._meta.concrete_fields if not field.primary_key]
    answer_fields = [Answer._meta.get_field(name) for name in AnswerRow._fields]
    quote = connection.ops.quote_name
    sql = _ONE_STATEMENT.format(
        response_table=quote(Response._meta.db_table),
        response_columns=", ".join(quote(field.column) for field in response_fields),
        response_values=", ".join(["%s"] * len(response_fields)),
        response_pk=quote(Response._meta.pk.column),
        answer_table=quote(Answer._meta.db_table),
        answer_link=quote(Answer._meta.get_field("response").column),
        answer_columns=", ".join(quote(field.column) for field in answer_fields),
        answer_arrays=", ".join(
            f"%s::{field.cast_db_type(connection)}[]" for field in answer_fields
        ),
    )
    return sql, response_fields


def _insert_in_one_statement(response: Response, answers: list[AnswerRow]) -> None:
    """PostgreSQL: one INSERT of the response whose RETURNING feeds the INSERT of its answers,
    a single statement and so atomic on its own, in autocommit.

    This is the one write every young person's submission makes. As an ORM save and a bulk
    insert in a transaction it cost four round trips to the database (BEGIN, two INSERTs,
    COMMIT) and the building of both statements field by field, together the larger part of a
    submission's time (benchmarks/, row 2); here it is one round trip. The response's values
    are prepared by its fields, as the ORM would write them; the answers' are already what their
    columns hold (validated integers, decimals in cents, masked text), one array per column.
    """
    sql, response_fields = _one_statement()
    params: list[Any] = [
        field.get_db_prep_save(field.pre_save(response, add=True), connection)
        for field in response_fields
    ]
    params += [list(column) for column in zip(*answers, strict=True)] or [
        [] for _field in AnswerRow._fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (response.pk,) = cursor.fetchone()
    response._state.adding = False
    response._state.db = connection.alias


def _is_whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validated(
    *,
    survey: Survey,
    definition: SurveyDefinition,
    language: object,
    age: object,
    invite_code: object,
    assent: object,
    answers: object,
) -> _Submission:
    errors: dict[str, str] = {}

    if not isinstance(language, str) or language not in definition.languages:
        errors["language"] = gettext(
            "This survey is not offered in this language; choose one of %(offered)s."
        ) % {"offered": ", ".join(definition.languages)}

    band = definition.age_band_for(age) if _is_whole_number(age) else None
    if band is None:
        errors["age"] = (
            age_refusal(definition)
            if _is_whole_number(age)
            else gettext("Give the age as a whole number.")
        )

    if assent is not True:
        errors["assent"] = gettext(
            "Say that you want to take part before sending your answers (assent must be true)."
        )

    invite = None
    if invite_code is not None and invite_code != "":
        invite, problem = _invite(survey, invite_code)
        if problem:
            errors["invite"] = problem

    rows: list[AnswerRow] = []
    if not isinstance(answers, dict):
        errors["answers"] = gettext(
            'Give the answers as an object: {"<question key>": <answer>, ...}.'
        )
    else:
        rows = _answer_rows(definition, answers, age if band is not None else None, errors)

    if errors:
        field, message = next(iter(errors.items()))
        raise InvalidInputError(
            message,
            field=field,
            extra={"errors": {name: [problem] for name, problem in errors.items()}},
        )
    return _Submission(age_band_id=band.id, language=language, invite_link=invite, answers=rows)


def _invite(survey: Survey, code: object) -> tuple[InviteLink | None, str | None]:
    if not isinstance(code, str):
        return None, gettext("The invite code must be text.")
    try:
        invite = invite_link_get_active(code=code, ids_only=True)
    except NotFoundError as error:
        return None, error.message
    if invite.campaign_id != survey.campaign_id:
        return None, gettext("This invite code is for another campaign.")
    return invite, None


def _is_skipped(value: object) -> bool:
    if value is None or value == []:
        return True
    return isinstance(value, str) and not value.strip()


def _answer_rows(
    definition: SurveyDefinition,
    answers: dict[str, Any],
    age: int | None,
    errors: dict[str, str],
) -> list[AnswerRow]:
    """The rows for ``answers``, adding a problem per offending key to ``errors``."""
    asked = [q for q in definition.questions if age is None or q.asks(age)]
    shown = shown_keys(asked, answers)
    by_key = definition.questions_by_key
    rows: list[AnswerRow] = []
    for key, value in answers.items():
        field = f"answers.{str(key)[: KEY_MAX_LENGTH + 10]}"
        question = by_key.get(key)
        if question is None:
            errors[field] = gettext("This survey has no question '%(key)s'.") % {
                "key": str(key)[:KEY_MAX_LENGTH]
            }
            continue
        if _is_skipped(value):
            continue
        if age is not None and not question.asks(age):
            errors[field] = gettext("This question is not asked at your age.")
            continue
        if question.key not in shown:
            errors[field] = gettext("This question is not asked after your earlier answers.")
            continue
        try:
            rows.extend(_rows_for(question, value))
        except _AnswerProblem as problem:
            errors[field] = str(problem)
    return rows


class _AnswerProblem(Exception):
    pass


def _option_ids(question: QuestionDefinition, values: object, *, ranked: bool) -> list[int]:
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise _AnswerProblem(
            gettext('Give a list of option values, such as ["%(value)s"].')
            % {"value": question.options[0].value if question.options else "a"}
        )
    if len(set(values)) != len(values):
        raise _AnswerProblem(gettext("Each option can be given only once."))
    ids = []
    for value in values:
        option = question.options_by_value.get(value)
        if option is None:
            raise _AnswerProblem(
                gettext("'%(value)s' is not an option of this question.") % {"value": value[:60]}
            )
        ids.append(option.id)
    if not ranked and question.max_choices is not None and len(ids) > question.max_choices:
        raise _AnswerProblem(
            gettext("Choose at most %(count)s options.") % {"count": question.max_choices}
        )
    return ids


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _AnswerProblem(gettext("Give a number."))
    if isinstance(value, float) and not math.isfinite(value):
        raise _AnswerProblem(gettext("Give a number."))
    try:
        return Decimal(str(value)).quantize(_CENTS, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise _AnswerProblem(gettext("This number is too large.")) from None


def _rows_for(question: QuestionDefinition, value: object) -> list[AnswerRow]:
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        if not isinstance(value, str):
            raise _AnswerProblem(gettext("Give one option value."))
        return [
            AnswerRow(question.id, option_id=option_id)
            for option_id in _option_ids(question, [value], ranked=False)
        ]
    if kind == QuestionKind.MULTIPLE:
        return [
            AnswerRow(question.id, option_id=option_id)
            for option_id in _option_ids(question, value, ranked=False)
        ]
    if kind == QuestionKind.RANKING:
        return [
            AnswerRow(question.id, option_id=option_id, rank=rank)
            for rank, option_id in enumerate(_option_ids(question, value, ranked=True), start=1)
        ]
    if kind == QuestionKind.SCALE:
        points = question.scale_points or 5
        number = _decimal(value)
        if number != number.to_integral_value() or not 1 <= number <= points:
            raise _AnswerProblem(
                gettext("Choose a whole number from 1 to %(points)s.") % {"points": points}
            )
        return [AnswerRow(question.id, number_value=number)]
    if kind == QuestionKind.NUMBER:
        number = _decimal(value)
        low = question.min_value if question.min_value is not None else -NUMBER_LIMIT
        high = question.max_value if question.max_value is not None else NUMBER_LIMIT
        if not low <= number <= high:
            raise _AnswerProblem(
                gettext("Give a number from %(low)s to %(high)s.")
                % {"low": _plain(low), "high": _plain(high)}
            )
        return [AnswerRow(question.id, number_value=number)]
    if kind == QuestionKind.TEXT:
        if not isinstance(value, str):
            raise _AnswerProblem(gettext("Give the answer as text."))
        text = value.strip()
        if "\x00" in text:
            # No database stores it (PostgreSQL refuses it outright), and no keyboard types it.
            raise _AnswerProblem(gettext("The text holds a null character; leave it out."))
        if len(text) > question.max_length:
            raise _AnswerProblem(
                gettext("Write at most %(count)s characters (this answer has %(length)s).")
                % {"count": question.max_length, "length": len(text)}
            )
        return [AnswerRow(question.id, text_value=mask_contact_details(text))]
    raise _AnswerProblem(gettext("This question cannot be answered."))  # pragma: no cover


def _plain(number: Decimal | int) -> str:
    number = Decimal(number)
    return str(number.to_integral_value()) if number == number.to_integral_value() else str(number)


# --- Withdrawing ---------------------------------------------------------------------------------


def response_withdraw(*, code: str) -> None:
    """Withdraw the response behind a receipt code: it stays stored, but every count and result
    leaves it out from now on, and its receipt says "withdrawn". Withdrawing twice changes
    nothing. NotFoundError for an unknown code. On commit, ``response_changed`` is sent."""
    response = response_get_by_receipt(code=code)
    if response.withdrawn_at is not None:
        return
    with transaction.atomic():
        withdrawn = Response.objects.filter(pk=response.pk, withdrawn_at__isnull=True).update(
            # Never before the submission, even with a clock a little behind another server's.
            withdrawn_at=max(timezone.now(), response.submitted_at)
        )
        if withdrawn:
            transaction.on_commit(partial(_announce, response.survey_id))
