"""Every write of findings: a finding (title, statement, UNCRC articles, priority) and its
evidence — a question's results (optionally broken down), a quote, a roundtable outcome point —
with the order staff put them in. (Reads: analysis.findings_selectors.)

Each service is one transaction and raises config.exceptions errors naming the field. Evidence
must belong to the finding's campaign; the same evidence twice on one finding is refused here,
and by the database's unique constraints should two requests race.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext

# The app's own parsing of ids and UNCRC article references, shared with the codebook.
from analysis.coding import articles_from_references
from analysis.coding_selectors import as_id
from analysis.findings_selectors import usable_quotes_of
from analysis.models import (
    EvidenceKind,
    Finding,
    FindingEvidence,
    FindingPriority,
)
from analysis.selectors import results_dimensions
from config.exceptions import InvalidInputError, NotFoundError
from consultations.models import Campaign
from roundtables.models import OutcomePoint
from surveys.models import Question, QuestionKind

if TYPE_CHECKING:
    from accounts.models import User

TITLE_MAX_LENGTH = Finding._meta.get_field("title").max_length
STATEMENT_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 2000
DIRECTIONS = ("up", "down")


# --- Cleaning input ------------------------------------------------------------------------------


def _clean_text(
    value: object, *, field: str, max_length: int, required: str | None, one_line: bool = False
) -> str:
    """Text from a caller: trimmed (one line: inner runs of spaces become one), without NUL
    characters, at most ``max_length`` characters; ``required`` is the message when empty."""
    if value is None:
        value = ""
    if not isinstance(value, str) or "\x00" in value:
        raise InvalidInputError(gettext("Write this in plain text."), field=field)
    value = " ".join(value.split()) if one_line else value.strip()
    if required and not value:
        raise InvalidInputError(required, field=field)
    if len(value) > max_length:
        raise InvalidInputError(
            gettext("Use at most %(count)s characters.") % {"count": max_length}, field=field
        )
    return value


def _clean_priority(priority: object) -> int:
    message = gettext("Choose a priority: high, medium or low.")
    if isinstance(priority, str) and priority.strip().isdigit() and len(priority.strip()) < 3:
        priority = int(priority.strip())
    if isinstance(priority, bool) or priority not in FindingPriority.values:
        raise InvalidInputError(message, field="priority")
    return int(priority)


def _clean_note(note: object) -> str:
    return _clean_text(note, field="note", max_length=NOTE_MAX_LENGTH, required=None)


def _clean_direction(direction: object) -> str:
    if direction not in DIRECTIONS:
        raise InvalidInputError(gettext("Move up or down."), field="direction")
    return str(direction)


# --- Findings ------------------------------------------------------------------------------------


@transaction.atomic
def finding_create(
    *,
    campaign: Campaign,
    title: str,
    statement: str,
    article_numbers: Iterable[int | str] | None = None,
    priority: int | str = FindingPriority.MEDIUM,
    user: User | None,
) -> Finding:
    """Add a finding to the campaign, after its others.

    ``title`` is one line (at most 200 characters), ``statement`` the claim in full (at most
    5000); both are required. ``article_numbers`` are UNCRC article numbers or codes such as
    "6(2)" (a number stands for the whole article); ``priority`` 1 high, 2 medium, 3 low.
    Raises InvalidInputError naming ``title``, ``statement``, ``articles`` or ``priority``.
    """
    title = _clean_text(
        title,
        field="title",
        max_length=TITLE_MAX_LENGTH,
        required=gettext("Give the finding a title."),
        one_line=True,
    )
    statement = _clean_text(
        statement,
        field="statement",
        max_length=STATEMENT_MAX_LENGTH,
        required=gettext("Write what was found."),
    )
    articles = articles_from_references(article_numbers)
    priority = _clean_priority(priority)
    last = Finding.objects.filter(campaign=campaign).aggregate(last=Max("order"))["last"]
    finding = Finding.objects.create(
        campaign=campaign,
        title=title,
        statement=statement,
        priority=priority,
        order=0 if last is None else last + 1,
        created_by=user,
    )
    finding.articles.set(articles)
    return finding


@transaction.atomic
def finding_update(
    *,
    finding: Finding,
    title: str,
    statement: str,
    article_numbers: Iterable[int | str] | None,
    priority: int | str,
    user: User | None,
) -> Finding:
    """Change a finding, with finding_create's rules. ``article_numbers`` None leaves the
    articles as they are; an empty list removes them. NotFoundError when it was deleted
    meanwhile."""
    _lock(finding)
    title = _clean_text(
        title,
        field="title",
        max_length=TITLE_MAX_LENGTH,
        required=gettext("Give the finding a title."),
        one_line=True,
    )
    statement = _clean_text(
        statement,
        field="statement",
        max_length=STATEMENT_MAX_LENGTH,
        required=gettext("Write what was found."),
    )
    articles = None if article_numbers is None else articles_from_references(article_numbers)
    priority = _clean_priority(priority)
    finding.title = title
    finding.statement = statement
    finding.priority = priority
    finding.save(update_fields=["title", "statement", "priority", "updated_at"])
    if articles is not None:
        finding.articles.set(articles)
    return finding


@transaction.atomic
def finding_delete(*, finding: Finding) -> int:
    """Delete a finding with its evidence links (the evidence itself stays: results, quotes
    and outcome points are not touched). Returns how many pieces of evidence it had."""
    linked = FindingEvidence.objects.filter(finding_id=finding.pk).count()
    finding.delete()
    return linked


def _locked_findings(campaign: Campaign) -> list[Finding]:
    """The campaign's findings, locked, in their order: two reorders wait for each other."""
    return list(
        Finding.objects.select_for_update()
        .filter(campaign=campaign)
        .order_by("priority", "order", "pk")
    )


def _renumber(rows: list, model: type) -> None:
    """Number ``rows`` 0, 1, 2, ... in their list order: orders stay distinct afterwards,
    whatever they were before."""
    for position, row in enumerate(rows):
        row.order = position
    model.objects.bulk_update(rows, ["order"])


@transaction.atomic
def finding_reorder(*, campaign: Campaign, ids: Iterable[int | str]) -> list[Finding]:
    """Put the campaign's findings in the order of ``ids``: every one of its findings, each
    once. (Findings are shown by priority first, so the order counts within a priority.)
    Raises InvalidInputError naming ``ids`` otherwise (a finding added or deleted meanwhile
    included). Returns the findings as they are now shown."""
    message = gettext("List every finding of this campaign once; reload the page and try again.")
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
        raise InvalidInputError(message, field="ids")
    wanted = [as_id(value, field="ids", message=message) for value in ids]
    findings = {finding.pk: finding for finding in _locked_findings(campaign)}
    if len(set(wanted)) != len(wanted) or set(wanted) != set(findings):
        raise InvalidInputError(message, field="ids")
    _renumber([findings[pk] for pk in wanted], Finding)
    return sorted(findings.values(), key=lambda finding: (finding.priority, finding.order))


@transaction.atomic
def finding_move(*, finding: Finding, direction: str) -> bool:
    """Move a finding one place up or down among the campaign's findings of its priority.
    Returns False when it is already first (up) or last (down) of them. InvalidInputError
    naming ``direction`` for anything but "up" or "down"."""
    direction = _clean_direction(direction)
    findings = _locked_findings(finding.campaign)
    moved = _swap(findings, finding.pk, direction, same=lambda row: row.priority)
    if moved:
        _renumber(findings, Finding)
    return moved


def _swap(rows: list, pk: int, direction: str, *, same: Callable | None = None) -> bool:
    """Swap the row ``pk`` with its neighbour above or below in ``rows`` (in place), if it has
    one (with the same ``same(row)``, when given). NotFoundError when it is not in rows."""
    index = next((i for i, row in enumerate(rows) if row.pk == pk), None)
    if index is None:
        raise NotFoundError(gettext("This no longer exists; reload the page."))
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return False
    if same is not None and same(rows[other]) != same(rows[index]):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    return True


# --- Evidence ------------------------------------------------------------------------------------


def _next_evidence_order(finding: Finding) -> int:
    last = FindingEvidence.objects.filter(finding_id=finding.pk).aggregate(last=Max("order"))
    return 0 if last["last"] is None else last["last"] + 1


def _lock(finding: Finding) -> Finding:
    """The finding, locked: evidence added or moved on it at once is added or moved in turn."""
    locked = Finding.objects.select_for_update().filter(pk=finding.pk).first()
    if locked is None:
        raise NotFoundError(gettext("This finding no longer exists."))
    return locked


def _save_evidence(evidence: FindingEvidence, *, duplicate: InvalidInputError) -> FindingEvidence:
    """Save, turning the unique constraint's refusal (the same evidence added by another
    request meanwhile) into the same error as the check before."""
    try:
        with transaction.atomic():
            evidence.save()
    except IntegrityError:
        raise duplicate from None
    return evidence


@transaction.atomic
def evidence_add_question(
    *, finding: Finding, question_id: int | str, breakdown: str = "", note: str = ""
) -> FindingEvidence:
    """Attach a closed question's results to the finding, overall (``breakdown`` "") or broken
    down by age_band, organisation, language or the key of another single-choice question of
    its survey. The question must be of a survey of the finding's campaign. Raises
    InvalidInputError naming ``question``, ``breakdown`` (also when the finding already has
    this question with this breakdown) or ``note``."""
    finding = _lock(finding)
    message = gettext("Choose a question of this campaign's surveys.")
    pk = as_id(question_id, field="question", message=message)
    question = (
        Question.objects.select_related("survey")
        .filter(pk=pk, survey__campaign_id=finding.campaign_id)
        .first()
    )
    if question is None:
        raise InvalidInputError(message, field="question")
    if question.kind == QuestionKind.TEXT:
        raise InvalidInputError(
            gettext("Open answers have no numbers to show: add them as quotes."),
            field="question",
        )
    if breakdown is None:
        breakdown = ""
    if not isinstance(breakdown, str):
        raise InvalidInputError(gettext("Choose a breakdown from the list."), field="breakdown")
    breakdown = breakdown.strip()
    if breakdown and (
        breakdown == question.key or breakdown not in results_dimensions(survey=question.survey)
    ):
        raise InvalidInputError(
            gettext(
                "Break the results down by age band, organisation, language or another "
                "single-choice question of the same survey."
            ),
            field="breakdown",
        )
    note = _clean_note(note)
    duplicate = InvalidInputError(
        gettext("This finding already shows these results."), field="breakdown"
    )
    if FindingEvidence.objects.filter(
        finding_id=finding.pk, kind=EvidenceKind.QUESTION, question=question, breakdown=breakdown
    ).exists():
        raise duplicate
    evidence = FindingEvidence(
        finding=finding,
        kind=EvidenceKind.QUESTION,
        question=question,
        breakdown=breakdown,
        note=note,
        order=_next_evidence_order(finding),
    )
    return _save_evidence(evidence, duplicate=duplicate)


@transaction.atomic
def evidence_add_quote(
    *, finding: Finding, coding_id: int | str, note: str = ""
) -> FindingEvidence:
    """Attach a quote to the finding: a coded open answer of the finding's campaign marked as
    quote for the report, of a response that was not withdrawn. Raises InvalidInputError
    naming ``quote`` (also when the finding already has it) or ``note``."""
    finding = _lock(finding)
    message = gettext("Choose one of this campaign's quotes.")
    pk = as_id(coding_id, field="quote", message=message)
    coding = usable_quotes_of(campaign=finding.campaign).filter(pk=pk).first()
    if coding is None:
        raise InvalidInputError(message, field="quote")
    note = _clean_note(note)
    duplicate = InvalidInputError(gettext("This finding already has this quote."), field="quote")
    if FindingEvidence.objects.filter(
        finding_id=finding.pk, kind=EvidenceKind.QUOTE, quote=coding
    ).exists():
        raise duplicate
    evidence = FindingEvidence(
        finding=finding,
        kind=EvidenceKind.QUOTE,
        quote=coding,
        note=note,
        order=_next_evidence_order(finding),
    )
    return _save_evidence(evidence, duplicate=duplicate)


@transaction.atomic
def evidence_add_outcome_point(
    *, finding: Finding, point_id: int | str, note: str = ""
) -> FindingEvidence:
    """Attach a key point of a roundtable outcome to the finding; the roundtable must be one of
    the finding's campaign. Raises InvalidInputError naming ``outcome_point`` (also when the
    finding already has it) or ``note``."""
    finding = _lock(finding)
    message = gettext("Choose a key point of one of this campaign's roundtables.")
    pk = as_id(point_id, field="outcome_point", message=message)
    point = OutcomePoint.objects.filter(
        pk=pk, outcome__roundtable__campaign_id=finding.campaign_id
    ).first()
    if point is None:
        raise InvalidInputError(message, field="outcome_point")
    note = _clean_note(note)
    duplicate = InvalidInputError(
        gettext("This finding already has this key point."), field="outcome_point"
    )
    if FindingEvidence.objects.filter(
        finding_id=finding.pk, kind=EvidenceKind.OUTCOME_POINT, outcome_point=point
    ).exists():
        raise duplicate
    evidence = FindingEvidence(
        finding=finding,
        kind=EvidenceKind.OUTCOME_POINT,
        outcome_point=point,
        note=note,
        order=_next_evidence_order(finding),
    )
    return _save_evidence(evidence, duplicate=duplicate)


@transaction.atomic
def evidence_remove(*, evidence: FindingEvidence) -> None:
    """Take a piece of evidence off its finding (what it points to is not touched)."""
    FindingEvidence.objects.filter(pk=evidence.pk).delete()


@transaction.atomic
def evidence_move(*, evidence: FindingEvidence, direction: str) -> bool:
    """Move a piece of evidence one place up or down in its finding. Returns False when it is
    already first (up) or last (down). InvalidInputError naming ``direction`` for anything but
    "up" or "down"; NotFoundError when it was removed meanwhile."""
    direction = _clean_direction(direction)
    _lock(evidence.finding)
    rows = list(
        FindingEvidence.objects.filter(finding_id=evidence.finding_id).order_by("order", "pk")
    )
    moved = _swap(rows, evidence.pk, direction)
    if moved:
        _renumber(rows, FindingEvidence)
    return moved
