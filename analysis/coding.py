"""Every write of open-answer coding: the codebook, coding one answer, accepting or ignoring a
theme suggestion. (Finding theme suggestions: analysis.themes.)

Each service is one transaction and raises config.exceptions errors naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from analysis.coding_selectors import MAX_ID, open_answers_of
from analysis.models import (
    AnswerCode,
    AnswerCoding,
    Code,
    ThemeSuggestion,
    ThemeSuggestionStatus,
)
from config.exceptions import ConflictError, InvalidInputError, NotFoundError
from consultations.models import Campaign, CrcArticle
from surveys.models import Answer

if TYPE_CHECKING:
    from accounts.models import User

LABEL_MAX_LENGTH = Code._meta.get_field("label").max_length
DESCRIPTION_MAX_LENGTH = 2000


# --- The codebook ---------------------------------------------------------------------------------


def _clean_label(campaign: Campaign, label: object, *, exclude_pk: int | None = None) -> str:
    if not isinstance(label, str) or not label.strip():
        raise InvalidInputError(gettext("Give the code a label."), field="label")
    label = " ".join(label.split())
    if len(label) > LABEL_MAX_LENGTH:
        raise InvalidInputError(
            gettext("A label has at most %(count)s characters.") % {"count": LABEL_MAX_LENGTH},
            field="label",
        )
    taken = Code.objects.filter(campaign=campaign, label__iexact=label)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise _label_taken(label)
    return label


def _label_taken(label: str) -> InvalidInputError:
    return InvalidInputError(
        gettext("This campaign already has a code '%(label)s'.") % {"label": label},
        field="label",
    )


def _clean_description(description: object) -> str:
    if description is None:
        return ""
    if not isinstance(description, str):
        raise InvalidInputError(gettext("Describe the code in words."), field="description")
    description = description.strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise InvalidInputError(
            gettext("A description has at most %(count)s characters.")
            % {"count": DESCRIPTION_MAX_LENGTH},
            field="description",
        )
    return description


def articles_from_references(references: Iterable[int | str] | None) -> list[CrcArticle]:
    """The UNCRC articles for article numbers (12, "12") or article codes ("6(2)").

    A number stands for the article as a whole: its row without a part when the reference data
    has one (24, not also 24(3)), else all its parts (6 → 6(1) and 6(2)).
    """
    if not references:
        return []
    if isinstance(references, (str, int)):
        references = [references]
    numbers: set[int] = set()
    codes: set[str] = set()
    for reference in references:
        if isinstance(reference, bool):
            raise _unknown_article(reference)
        if isinstance(reference, int):
            numbers.add(reference)
        elif isinstance(reference, str) and reference.strip().isdigit():
            numbers.add(int(reference.strip()))
        elif isinstance(reference, str) and reference.strip():
            codes.add(reference.strip())
        else:
            raise _unknown_article(reference)
    if any(number > 32767 for number in numbers):  # beyond any article (a smallint column)
        raise _unknown_article(max(numbers))
    found = list(CrcArticle.objects.filter(Q(number__in=numbers) | Q(code__in=codes)))
    for number in sorted(numbers):
        if not any(article.number == number for article in found):
            raise _unknown_article(number)
    for code in sorted(codes):
        if not any(article.code == code for article in found):
            raise _unknown_article(code)
    chosen = [article for article in found if article.code in codes]
    for number in numbers:
        rows = [article for article in found if article.number == number]
        whole = [article for article in rows if not article.part]
        chosen += whole or rows
    return sorted(
        {article.pk: article for article in chosen}.values(),
        key=lambda article: (article.number, article.part),
    )


def _unknown_article(reference: object) -> InvalidInputError:
    return InvalidInputError(
        gettext("Unknown UNCRC article '%(article)s'.") % {"article": str(reference)[:20]},
        field="articles",
    )


def _save_label(code: Code) -> None:
    """Save, turning a label taken meanwhile by another request into the same error as the
    check before (the unique constraint decides; the savepoint keeps the transaction usable)."""
    try:
        with transaction.atomic():
            code.save()
    except IntegrityError:
        raise _label_taken(code.label) from None


@transaction.atomic
def code_create(
    *,
    campaign: Campaign,
    label: str,
    description: str = "",
    article_numbers: Iterable[int | str] | None = None,
    user: User | None,
) -> Code:
    """Add a code to the campaign's codebook.

    ``label`` is trimmed (inner runs of spaces become one) and must be new in the campaign,
    case-insensitively; ``article_numbers`` are UNCRC article numbers or codes such as "6(2)"
    (see ``articles_from_references``). Raises InvalidInputError naming ``label``,
    ``description`` or ``articles``.
    """
    label = _clean_label(campaign, label)
    description = _clean_description(description)
    articles = articles_from_references(article_numbers)
    code = Code(campaign=campaign, label=label, description=description, created_by=user)
    _save_label(code)
    code.articles.set(articles)
    return code


@transaction.atomic
def code_update(
    *,
    code: Code,
    label: str,
    description: str,
    article_numbers: Iterable[int | str] | None,
    user: User | None,
) -> Code:
    """Change a code's label, description and articles, with code_create's rules.
    ``article_numbers`` None leaves the articles as they are; an empty list removes them."""
    label = _clean_label(code.campaign, label, exclude_pk=code.pk)
    description = _clean_description(description)
    articles = None if article_numbers is None else articles_from_references(article_numbers)
    code.label = label
    code.description = description
    _save_label(code)
    if articles is not None:
        code.articles.set(articles)
    return code


@transaction.atomic
def code_delete(*, code: Code) -> int:
    """Delete a code; the answers that carried it lose it (they stay coded with their other
    codes, or with none). Returns how many answers carried it."""
    carried = AnswerCode.objects.filter(code=code).count()
    code.delete()
    return carried


@transaction.atomic
def code_merge(*, source: Code, target: Code, user: User | None) -> Code:
    """Fold ``source`` into ``target``: every answer carrying source carries target instead,
    target gains source's UNCRC articles, a suggestion accepted as source points to target, and
    source is deleted. Both must be codes of the same campaign; else InvalidInputError naming
    ``target``. Returns target."""
    if source.pk == target.pk:
        raise InvalidInputError(gettext("Choose another code to merge into."), field="target")
    if source.campaign_id != target.campaign_id:
        raise InvalidInputError(
            gettext("Codes can only be merged within one campaign."), field="target"
        )
    # Lock both, in a fixed order: two merges of the same codes wait for each other.
    locked = {
        code.pk: code
        for code in Code.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    if len(locked) != 2:
        raise NotFoundError(gettext("This code no longer exists."))
    codings = AnswerCode.objects.filter(code_id=source.pk).values_list("coding_id", flat=True)
    AnswerCode.objects.bulk_create(
        [AnswerCode(coding_id=coding_id, code_id=target.pk) for coding_id in codings],
        ignore_conflicts=True,  # answers that carried both keep target once
    )
    target.articles.add(*source.articles.all())
    ThemeSuggestion.objects.filter(code_id=source.pk).update(code_id=target.pk)
    source.delete()
    target.save(update_fields=["updated_at"])
    return target


# --- Coding one answer ----------------------------------------------------------------------------


def _open_answer(*, answer_id: object, campaign: Campaign) -> Answer:
    """The campaign's open answer with this id (an int or digits), else NotFoundError."""
    if isinstance(answer_id, str) and answer_id.strip().isdigit() and len(answer_id) < 20:
        answer_id = int(answer_id.strip())
    answer = None
    if isinstance(answer_id, int) and not isinstance(answer_id, bool) and 0 < answer_id <= MAX_ID:
        answer = open_answers_of(campaign=campaign).filter(pk=answer_id).first()
    if answer is None:
        raise NotFoundError(gettext("There is no open answer at this address."))
    return answer


def _code_ids(campaign: Campaign, code_ids: Iterable[int | str] | None) -> list[int]:
    message = gettext("Choose codes of this campaign's codebook.")
    wanted: list[int] = []
    for code_id in code_ids or []:
        if isinstance(code_id, bool):
            raise InvalidInputError(message, field="codes")
        if isinstance(code_id, str) and code_id.strip().isdigit() and len(code_id.strip()) < 20:
            code_id = int(code_id.strip())
        if not isinstance(code_id, int) or not 0 < code_id <= MAX_ID:
            raise InvalidInputError(message, field="codes")
        wanted.append(code_id)
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        return []
    found = Code.objects.filter(campaign=campaign, pk__in=wanted).count()
    if found != len(wanted):
        raise InvalidInputError(message, field="codes")
    return wanted


@transaction.atomic
def answer_coding_save(
    *,
    answer_id: int,
    campaign: Campaign,
    code_ids: Iterable[int | str],
    is_quote: bool,
    user: User | None,
) -> AnswerCoding:
    """Code one open answer of the campaign: its codes become exactly ``code_ids`` (possibly
    none: read, nothing to code) and ``is_quote`` says whether it may be quoted in the report.

    Raises NotFoundError when the answer is not an open answer of the campaign (or its
    response was withdrawn), InvalidInputError naming ``codes`` when a code is not of the
    campaign. Two staff saving the same answer at once both succeed; the last save wins. At
    most eight queries, whatever the number of codes.
    """
    answer = _open_answer(answer_id=answer_id, campaign=campaign)
    wanted = _code_ids(campaign, code_ids)
    is_quote = bool(is_quote)

    # The row lock makes a concurrent save of the same answer wait until this one commits, so
    # its replacement of the codes below sees ours (last save wins, nothing mixed).
    coding = AnswerCoding.objects.select_for_update().filter(answer_id=answer.pk).first()
    created = False
    if coding is None:
        try:
            with transaction.atomic():
                coding = AnswerCoding.objects.create(
                    answer=answer, is_quote=is_quote, coded_by=user
                )
            created = True
        except IntegrityError:
            # Another save created it between our look and our insert: take theirs, locked.
            coding = AnswerCoding.objects.select_for_update().get(answer_id=answer.pk)
    if not created:
        coding.is_quote = is_quote
        coding.coded_by = user
        coding.save(update_fields=["is_quote", "coded_by", "coded_at"])

    AnswerCode.objects.filter(coding=coding).exclude(code_id__in=wanted).delete()
    if wanted:
        AnswerCode.objects.bulk_create(
            [AnswerCode(coding=coding, code_id=code_id) for code_id in wanted],
            ignore_conflicts=True,
        )
    coding.answer = answer
    return coding


@transaction.atomic
def answer_coding_clear(*, answer_id: int, campaign: Campaign) -> None:
    """Make an open answer of the campaign uncoded again: no codes, not a quote. NotFoundError
    when it is not an open answer of the campaign."""
    answer = _open_answer(answer_id=answer_id, campaign=campaign)
    AnswerCoding.objects.filter(answer_id=answer.pk).delete()


# --- Theme suggestions ----------------------------------------------------------------------------


def _undecided(suggestion: ThemeSuggestion) -> ThemeSuggestion:
    """The suggestion, locked, if nobody decided on it yet; else ConflictError."""
    locked = ThemeSuggestion.objects.select_for_update().filter(pk=suggestion.pk).first()
    if locked is None:
        raise NotFoundError(gettext("This suggestion no longer exists."))
    if locked.status != ThemeSuggestionStatus.SUGGESTED:
        raise ConflictError(
            gettext("This suggestion was already %(status)s.")
            % {"status": ThemeSuggestionStatus(locked.status).label.lower()}
        )
    return locked


@transaction.atomic
def theme_suggestion_accept(
    *, suggestion: ThemeSuggestion, label: str | None = None, user: User | None
) -> Code:
    """Accept a theme suggestion: it becomes a code labelled ``label`` (default: the phrase),
    or, when the codebook already has a code with that label (case-insensitively), it is linked
    to that code. ConflictError when it was already accepted or ignored; InvalidInputError
    naming ``label`` for an unusable label."""
    locked = _undecided(suggestion)
    wanted = label if isinstance(label, str) and label.strip() else locked.phrase
    wanted = " ".join(str(wanted).split())
    code = Code.objects.filter(campaign_id=locked.campaign_id, label__iexact=wanted).first()
    if code is None:
        code = code_create(campaign=locked.campaign, label=wanted, user=user)
    locked.status = ThemeSuggestionStatus.ACCEPTED
    locked.code = code
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "code", "decided_by", "decided_at"])
    suggestion.status, suggestion.code = locked.status, code
    suggestion.decided_by, suggestion.decided_at = locked.decided_by, locked.decided_at
    return code


@transaction.atomic
def theme_suggestion_ignore(*, suggestion: ThemeSuggestion, user: User | None) -> None:
    """Ignore a theme suggestion: it is not suggested again. ConflictError when it was already
    accepted or ignored."""
    locked = _undecided(suggestion)
    locked.status = ThemeSuggestionStatus.IGNORED
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    suggestion.status = locked.status
    suggestion.decided_by, suggestion.decided_at = locked.decided_by, locked.decided_at
