"""Candidate themes in the uncoded open answers, found by keyword extraction (YAKE).

``extract_themes`` is pure: texts in, phrases out. YAKE ranks the candidate phrases of the
corpus (one or two words, without stopwords at their edges; the stopword lists for nl, fr and en
ship with it); we keep the phrases found in at least ``min_answers`` answers, so that a theme
is something several young people said, and count in how many answers each appears.

``theme_suggestions_refresh`` stores them per language as ThemeSuggestion rows that staff accept
(a code) or ignore (never suggested again).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import pairwise

from django.db import transaction
from django.db.models.functions import Lower

from analysis.coding_selectors import open_answers_of
from analysis.models import Code, ThemeSuggestion, ThemeSuggestionStatus
from consultations.models import Campaign
from surveys.masking import EMAIL_PLACEHOLDER, PHONE_PLACEHOLDER

logger = logging.getLogger(__name__)

# YAKE reads at most this much: the first answers, up to this many characters in all. It is
# roughly linear in its input (200,000 characters take about half a second); what it misses of a
# very large campaign it would mostly find again in the part it reads.
CORPUS_MAX_TEXTS = 5000
CORPUS_MAX_CHARS = 200_000
# ... and at most this much of one answer, so that one very long answer cannot crowd out the
# others (2000 characters is the default longest answer of a free-text question).
CORPUS_TEXT_MAX_CHARS = 2000
# A refresh reads at most this many uncoded answers per language (the oldest first, as the
# coding page offers them); answer counts are counted among them.
REFRESH_MAX_ANSWERS = CORPUS_MAX_TEXTS
PHRASE_MAX_WORDS = 2
PHRASE_MAX_LENGTH = ThemeSuggestion._meta.get_field("phrase").max_length
# YAKE ranks more candidates than we keep: many fall out for being in too few answers.
CANDIDATES_PER_THEME = 8

_PLACEHOLDERS = re.compile("|".join(re.escape(p) for p in (EMAIL_PLACEHOLDER, PHONE_PLACEHOLDER)))
# Words: letters and digits, joined by inner hyphens or apostrophes ("e-mail", "aujourd'hui").
_WORD = re.compile(r"[^\W_]+(?:[-'\u2019][^\W_]+)*")
# French elision: "l'école" is the word "école".
_FRENCH_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['\u2019]")

Theme = tuple[str, int, float]


def _clean(text: str) -> str:
    # Masked e-mail addresses and phone numbers are no theme; a full stop keeps a phrase from
    # spanning the gap they leave.
    return unicodedata.normalize("NFC", _PLACEHOLDERS.sub(" . ", text or ""))


def _words(text: str, language: str) -> list[str]:
    words = _WORD.findall(text.lower())
    if language == "fr":
        words = [_FRENCH_ELISION.sub("", word) for word in words]
    return words


def _is_theme_word(word: str, stopwords: set[str]) -> bool:
    return len(word) > 1 and any(char.isalpha() for char in word) and word not in stopwords


def _phrase(keyword: str, language: str, stopwords: set[str]) -> str | None:
    """YAKE's keyword as one of our phrases ("Toiletten." → "toiletten"), or None."""
    words = _words(keyword, language)
    if not 1 <= len(words) <= PHRASE_MAX_WORDS:
        return None
    if not all(any(char.isalpha() for char in word) and len(word) > 1 for word in words):
        return None
    if not (_is_theme_word(words[0], stopwords) and _is_theme_word(words[-1], stopwords)):
        return None
    phrase = " ".join(words)
    return phrase if len(phrase) <= PHRASE_MAX_LENGTH else None


def _corpus(texts: Sequence[str]) -> str:
    parts: list[str] = []
    room = CORPUS_MAX_CHARS
    for text in texts[:CORPUS_MAX_TEXTS]:
        if room <= 0:
            break
        part = text.strip()[: min(room, CORPUS_TEXT_MAX_CHARS)]
        if part:
            parts.append(part)
            room -= len(part) + 2
    # One answer per line, each closed by a full stop: no phrase runs from one into the next.
    return "\n".join(part if part[-1] in ".!?" else part + "." for part in parts)


def _phrases_in(text: str, language: str) -> set[str]:
    words = _words(text, language)
    return {*words, *(f"{first} {second}" for first, second in pairwise(words))}


def extract_themes(
    texts: Iterable[str], *, language: str, limit: int = 15, min_answers: int = 2
) -> list[Theme]:
    """Candidate themes of ``texts`` (answers in ``language``): ``(phrase, answer_count,
    relevance)``, best first, at most ``limit``.

    A phrase is one or two words, lower-cased, made of letters (no number, emoji or masked
    [email]/[phone] as a word), with no stopword at either edge. ``answer_count`` is how many of
    the texts contain it (as whole words); only phrases in at least ``min_answers`` texts are
    kept. ``relevance`` is YAKE's ranking turned round, in (0, 1]: higher is better (YAKE scores
    lower for better). The same texts give the same themes.

    YAKE reads the first CORPUS_MAX_TEXTS texts, at most CORPUS_TEXT_MAX_CHARS characters of
    each and CORPUS_MAX_CHARS in all; answer counts are counted over every text given.
    """
    cleaned = [_clean(text) for text in texts if isinstance(text, str)]
    if limit < 1 or not any(any(char.isalpha() for char in text) for text in cleaned):
        return []
    import yake  # loads in half a second: only when themes are looked for

    extractor = yake.KeywordExtractor(
        lan=language, n=PHRASE_MAX_WORDS, top=limit * CANDIDATES_PER_THEME
    )
    stopwords = {word.strip() for word in extractor.stopword_set if word.strip()}
    ranked: dict[str, float] = {}
    for keyword, score in extractor.extract_keywords(_corpus(cleaned)):
        phrase = _phrase(keyword, language, stopwords)
        if phrase is not None and phrase not in ranked:  # best score first: YAKE's order
            ranked[phrase] = float(score)
    if not ranked:
        return []

    counts = dict.fromkeys(ranked, 0)
    for text in cleaned:
        for phrase in _phrases_in(text, language) & counts.keys():
            counts[phrase] += 1

    kept = sorted(
        (phrase for phrase in ranked if counts[phrase] >= max(min_answers, 1)),
        key=lambda phrase: (ranked[phrase], -counts[phrase], phrase),
    )
    return [
        (phrase, counts[phrase], round(1 / (1 + max(ranked[phrase], 0.0)), 6))
        for phrase in kept[:limit]
    ]


def theme_suggestions_refresh(*, campaign: Campaign) -> int:
    """Look again for candidate themes in the campaign's uncoded open answers, per language of
    the campaign, and store them as suggestions. Returns how many suggestions are open.

    A phrase found again updates its open suggestion's answer count and relevance; an open
    suggestion no longer found is removed; a phrase that was ignored or accepted, or that is
    already the label of a code, is not suggested again. Reads at most REFRESH_MAX_ANSWERS
    uncoded answers per language. The keyword extraction runs before the one transaction that
    writes, so the rows are not held while it works.
    """
    found: dict[str, list[Theme]] = {}
    for language in dict.fromkeys(campaign.languages or []):
        texts = list(
            open_answers_of(campaign=campaign)
            .filter(coding__isnull=True, response__language=language)
            .order_by("pk")
            .values_list("text_value", flat=True)[:REFRESH_MAX_ANSWERS]
        )
        found[language] = extract_themes(texts, language=language)
    with transaction.atomic():
        labels = set(
            Code.objects.filter(campaign=campaign)
            .annotate(lower=Lower("label"))
            .values_list("lower", flat=True)
        )
        for language, themes in found.items():
            _store(campaign, language, themes, taken=labels)
        return ThemeSuggestion.objects.filter(
            campaign=campaign, status=ThemeSuggestionStatus.SUGGESTED
        ).count()


def _store(campaign: Campaign, language: str, themes: list[Theme], *, taken: set[str]) -> None:
    existing = {
        suggestion.phrase.lower(): suggestion
        for suggestion in ThemeSuggestion.objects.select_for_update().filter(
            campaign=campaign, language=language
        )
    }
    themes = [theme for theme in themes if theme[0].lower() not in taken]
    to_update: list[ThemeSuggestion] = []
    to_create: list[ThemeSuggestion] = []
    for phrase, answer_count, score in themes:
        suggestion = existing.get(phrase.lower())
        if suggestion is None:
            to_create.append(
                ThemeSuggestion(
                    campaign=campaign,
                    language=language,
                    phrase=phrase,
                    answer_count=answer_count,
                    score=score,
                )
            )
        elif suggestion.status == ThemeSuggestionStatus.SUGGESTED:
            suggestion.answer_count, suggestion.score = answer_count, score
            to_update.append(suggestion)
        # Ignored or accepted: staff decided; it stays as it is.
    if to_update:
        ThemeSuggestion.objects.bulk_update(to_update, ["answer_count", "score"])
    if to_create:
        # A refresh running at the same time may have added the same phrase: keep one.
        ThemeSuggestion.objects.bulk_create(to_create, ignore_conflicts=True)
    current = {phrase.lower() for phrase, _count, _score in themes}
    gone = [
        suggestion.pk
        for key, suggestion in existing.items()
        if suggestion.status == ThemeSuggestionStatus.SUGGESTED and key not in current
    ]
    if gone:
        ThemeSuggestion.objects.filter(pk__in=gone).delete()
