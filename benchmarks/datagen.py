"""Bench data: a 20-question survey of every kind, and many responses to it, fast.

The campaign, its organisations, invite links, the survey, its questions and options are made
through the services and the ORM, as staff would make them. The responses and their answers
are written with PostgreSQL's COPY (psycopg 3 ``cursor.copy``): 100k responses with their 1.6M
answer rows take seconds instead of the hours that 100k submissions would. The answers are what
young people give: skipped questions, one to three choices, partial rankings, numbers around a
mean that shifts with age, free text in the language they chose, some responses withdrawn.
The same generator gives the JSON answers of the load generator's submissions.

Response ids are reserved from the table's sequence before the COPY, so the sequence stays
ahead of every stored id; the tables are ANALYZEd afterwards.
"""

from __future__ import annotations

import datetime
import io
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from consultations.models import AgeBand, Campaign, CampaignStatus, InviteLink
from consultations.services import (
    campaign_create,
    campaign_transition,
    invite_link_create,
    member_organisation_create,
)
from surveys.models import Answer, Option, Question, QuestionKind, Response, Survey, SurveyStatus
from surveys.receipts import RECEIPT_ALPHABET, RECEIPT_LENGTH

LANGUAGES = ("nl", "fr", "en")
LANGUAGE_WEIGHTS = (0.6, 0.3, 0.1)
BAND_WEIGHTS = (0.15, 0.3, 0.35, 0.2)  # 6-8, 9-11, 12-14, 15-17
ORGANISATIONS = (
    "Chiro Vlaanderen",
    "Scouts en Gidsen Vlaanderen",
    "KSA Oost-Vlaanderen",
    "Jeugdhuis De Kelder",
    "Les Scouts Bruxelles",
)
LINKS_PER_ORGANISATION = 2
SHARE_WITH_INVITE = 0.75
SHARE_WITHDRAWN = 0.02

# (key, kind, (nl, fr, en), fields, options as (value, emoji, nl, fr, en))
QUESTIONS: list[tuple[str, str, tuple[str, str, str], dict[str, Any], list[tuple]]] = [
    (
        "free_time",
        QuestionKind.SINGLE,
        ("Wat doe je het liefst?", "Que préfères-tu faire ?", "What do you like doing most?"),
        {},
        [
            ("sport", "⚽", "Sporten", "Le sport", "Sports"),
            ("music", "🎵", "Muziek", "La musique", "Music"),
            ("games", "🎮", "Gamen", "Les jeux", "Gaming"),
            ("reading", "📚", "Lezen", "Lire", "Reading"),
            ("friends", "🧑‍🤝‍🧑", "Met vrienden", "Avec des amis", "With friends"),
        ],
    ),
    (
        "feel_heard",
        QuestionKind.SINGLE,
        ("Luisteren volwassenen naar jou?", "Les adultes t'écoutent-ils ?", "Do adults listen?"),
        {},
        [
            ("yes", "👍", "Ja", "Oui", "Yes"),
            ("sometimes", "🤷", "Soms", "Parfois", "Sometimes"),
            ("no", "👎", "Nee", "Non", "No"),
        ],
    ),
    (
        "travel",
        QuestionKind.SINGLE,
        ("Hoe ga je naar school?", "Comment vas-tu à l'école ?", "How do you get to school?"),
        {},
        [
            ("walk", "🚶", "Te voet", "À pied", "On foot"),
            ("bike", "🚲", "Met de fiets", "À vélo", "By bike"),
            ("bus", "🚌", "Met de bus", "En bus", "By bus"),
            ("car", "🚗", "Met de auto", "En voiture", "By car"),
        ],
    ),
    (
        "own_phone",
        QuestionKind.SINGLE,
        ("Heb je een eigen gsm?", "As-tu ton propre GSM ?", "Do you have your own phone?"),
        {},
        [("yes", "📱", "Ja", "Oui", "Yes"), ("no", "🚫", "Nee", "Non", "No")],
    ),
    (
        "favourite_place",
        QuestionKind.SINGLE,
        ("Waar ben je het liefst?", "Où préfères-tu être ?", "Where do you like to be most?"),
        {},
        [
            ("home", "🏠", "Thuis", "À la maison", "At home"),
            ("school", "🏫", "Op school", "À l'école", "At school"),
            ("club", "⛺", "In de jeugdbeweging", "Au mouvement de jeunesse", "At my club"),
            ("outside", "🌳", "Buiten", "Dehors", "Outside"),
        ],
    ),
    (
        "knows_rights",
        QuestionKind.SINGLE,
        (
            "Ken je de rechten van het kind?",
            "Connais-tu les droits de l'enfant ?",
            "Do you know children's rights?",
        ),
        {},
        [
            ("yes", "✅", "Ja", "Oui", "Yes"),
            ("a_bit", "🤏", "Een beetje", "Un peu", "A bit"),
            ("no", "❌", "Nee", "Non", "No"),
        ],
    ),
    (
        "worries",
        QuestionKind.MULTIPLE,
        ("Waar pieker je over?", "Qu'est-ce qui t'inquiète ?", "What do you worry about?"),
        {"max_choices": 3},
        [
            ("school_work", "📝", "Schoolwerk", "Les devoirs", "School work"),
            ("friends", "🧑‍🤝‍🧑", "Vrienden", "Les amis", "Friends"),
            ("family", "👪", "Thuis", "La famille", "Family"),
            ("future", "🔮", "De toekomst", "L'avenir", "The future"),
            ("climate", "🌍", "Het klimaat", "Le climat", "The climate"),
            ("money", "💶", "Geld", "L'argent", "Money"),
        ],
    ),
    (
        "safe_places",
        QuestionKind.MULTIPLE,
        ("Waar voel je je veilig?", "Où te sens-tu en sécurité ?", "Where do you feel safe?"),
        {},
        [
            ("home", "🏠", "Thuis", "À la maison", "At home"),
            ("school", "🏫", "Op school", "À l'école", "At school"),
            ("street", "🛣️", "Op straat", "Dans la rue", "In the street"),
            ("online", "💻", "Online", "En ligne", "Online"),
            ("club", "⛺", "In de jeugdbeweging", "Au mouvement", "At my club"),
        ],
    ),
    (
        "wants_more",
        QuestionKind.MULTIPLE,
        ("Wat wil je meer?", "Que voudrais-tu de plus ?", "What would you like more of?"),
        {"max_choices": 2},
        [
            ("playgrounds", "🛝", "Speelpleinen", "Plaines de jeux", "Playgrounds"),
            ("youth_centres", "🏛️", "Jeugdhuizen", "Maisons de jeunes", "Youth centres"),
            ("sports", "🏀", "Sportvelden", "Terrains de sport", "Sports grounds"),
            ("quiet", "🤫", "Rustige plekken", "Endroits calmes", "Quiet places"),
        ],
    ),
    (
        "feel_safe",
        QuestionKind.SCALE,
        ("Hoe veilig voel je je?", "Te sens-tu en sécurité ?", "How safe do you feel?"),
        {"scale_points": 5},
        [],
    ),
    (
        "happy_school",
        QuestionKind.SCALE,
        ("Hoe graag ga je naar school?", "Aimes-tu aller à l'école ?", "Do you like school?"),
        {"scale_points": 5},
        [],
    ),
    (
        "sleep_well",
        QuestionKind.SCALE,
        ("Slaap je goed?", "Dors-tu bien ?", "Do you sleep well?"),
        {"scale_points": 3},
        [],
    ),
    (
        "listened_to",
        QuestionKind.SCALE,
        (
            "Mag je meebeslissen thuis?",
            "Peux-tu décider à la maison ?",
            "Do you have a say at home?",
        ),
        {"scale_points": 5},
        [],
    ),
    (
        "sleep_hours",
        QuestionKind.NUMBER,
        ("Hoeveel uur slaap je?", "Combien d'heures dors-tu ?", "How many hours do you sleep?"),
        {"min_value": 0, "max_value": 16},
        [],
    ),
    (
        "travel_minutes",
        QuestionKind.NUMBER,
        (
            "Hoeveel minuten duurt je weg naar school?",
            "Combien de minutes pour aller à l'école ?",
            "How many minutes to get to school?",
        ),
        {"min_value": 0, "max_value": 180},
        [],
    ),
    (
        "school_priorities",
        QuestionKind.RANKING,
        ("Wat is het belangrijkst?", "Qu'est-ce qui compte le plus ?", "What matters most?"),
        {},
        [
            ("friends", "🧑‍🤝‍🧑", "Vrienden", "Les amis", "Friends"),
            ("teachers", "🧑‍🏫", "Leerkrachten", "Les profs", "Teachers"),
            ("playground", "🛝", "Speelplaats", "La cour", "Playground"),
            ("food", "🥪", "Eten", "La nourriture", "Food"),
        ],
    ),
    (
        "rights_priorities",
        QuestionKind.RANKING,
        ("Welk recht eerst?", "Quel droit d'abord ?", "Which right first?"),
        {},
        [
            ("play", "🎲", "Spelen", "Jouer", "Play"),
            ("education", "🎓", "Onderwijs", "L'éducation", "Education"),
            ("health", "🩺", "Gezondheid", "La santé", "Health"),
            ("say", "🗣️", "Inspraak", "Donner son avis", "Having a say"),
        ],
    ),
    (
        "wish",
        QuestionKind.TEXT,
        ("Wat zou je veranderen?", "Que changerais-tu ?", "What would you change?"),
        {"max_length": 500},
        [],
    ),
    (
        "best_thing",
        QuestionKind.TEXT,
        ("Wat is er goed?", "Qu'est-ce qui va bien ?", "What is good?"),
        {"max_length": 500},
        [],
    ),
    (
        "anything_else",
        QuestionKind.TEXT,
        ("Nog iets?", "Autre chose ?", "Anything else?"),
        {"max_length": 2000},
        [],
    ),
]

TEXTS = {
    "nl": [
        "Meer tijd om buiten te spelen.",
        "Dat de leerkrachten beter luisteren.",
        "Een speelplaats met meer groen.",
        "Minder huiswerk in het weekend.",
        "Dat pesten sneller wordt opgelost.",
        "Gratis drinkwater op school.",
        "Een plek om rustig te zitten.",
    ],
    "fr": [
        "Plus de temps pour jouer dehors.",
        "Que les profs écoutent mieux.",
        "Une cour plus verte.",
        "Moins de devoirs le week-end.",
        "Qu'on règle le harcèlement plus vite.",
    ],
    "en": [
        "More time to play outside.",
        "Teachers who listen better.",
        "A greener playground.",
        "Less homework at the weekend.",
    ],
}


@dataclass
class BenchSurvey:
    campaign: Campaign
    survey: Survey
    invites: list[InviteLink]
    bands: list[AgeBand]


# --- Made by the services and the ORM --------------------------------------------------------


def organisations() -> list:
    from consultations.models import MemberOrganisation

    existing = {org.name: org for org in MemberOrganisation.objects.filter(name__in=ORGANISATIONS)}
    return [existing.get(name) or member_organisation_create(name=name) for name in ORGANISATIONS]


def make_campaign(slug: str, title: str) -> tuple[Campaign, list[InviteLink]]:
    campaign = campaign_create(
        slug=slug,
        title_nl=title,
        title_fr=title,
        title_en=title,
        languages=list(LANGUAGES),
    )
    campaign_transition(campaign=campaign, to_status=CampaignStatus.CONSULTING)
    invites = [
        invite_link_create(campaign=campaign, organisation=org, label=f"Groep {number}")
        for org in organisations()
        for number in range(1, LINKS_PER_ORGANISATION + 1)
    ]
    return campaign, invites


def make_survey(slug: str, *, campaign_slug: str | None = None) -> BenchSurvey:
    """A campaign of its own (exports are per campaign) with the 20-question survey, open."""
    campaign, invites = make_campaign(campaign_slug or f"campagne-{slug}", f"Bench {slug}")
    survey = Survey.objects.create(
        campaign=campaign,
        slug=slug,
        title_nl=f"Bench {slug}",
        title_fr=f"Bench {slug}",
        title_en=f"Bench {slug}",
        intro_nl="Twintig vragen over jouw leven.",
        intro_fr="Vingt questions sur ta vie.",
        intro_en="Twenty questions about your life.",
    )
    for order, (key, kind, texts, fields, options) in enumerate(QUESTIONS):
        question = Question.objects.create(
            survey=survey,
            key=key,
            kind=kind,
            order=order,
            text_nl=texts[0],
            text_fr=texts[1],
            text_en=texts[2],
            **fields,
        )
        for position, (value, emoji, nl, fr, en) in enumerate(options):
            Option.objects.create(
                question=question,
                value=value,
                emoji=emoji,
                label_nl=nl,
                label_fr=fr,
                label_en=en,
                order=position,
            )
    survey.status = SurveyStatus.OPEN
    survey.save()
    survey = Survey.objects.select_related("campaign").get(pk=survey.pk)
    bands = list(AgeBand.objects.filter(campaign=campaign).order_by("min_age"))
    return BenchSurvey(campaign=campaign, survey=survey, invites=invites, bands=bands)


# --- What young people answer ------------------------------------------------------------------


class Answers:
    """Realistic answers to the bench survey: the API's JSON values per question key."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        # Per question and age band, the weights of its options: a preference that moves with
        # age, so that breakdowns by age band differ.
        self.weights: dict[tuple[str, int], list[float]] = {}
        for key, kind, _texts, fields, options in QUESTIONS:
            values = (
                [str(point) for point in range(1, fields.get("scale_points", 5) + 1)]
                if kind == QuestionKind.SCALE
                else [option[0] for option in options]
            )
            base = [self.rng.uniform(0.5, 3.0) for _ in values]
            for band in range(len(BAND_WEIGHTS)):
                tilt = [1 + 0.25 * band * (1 if i % 2 else -0.5) for i in range(len(values))]
                self.weights[key, band] = [
                    max(b * t, 0.05) for b, t in zip(base, tilt, strict=True)
                ]

    def one(self, band: int, language: str) -> dict[str, Any]:
        rng = self.rng
        answers: dict[str, Any] = {}
        for key, kind, _texts, fields, options in QUESTIONS:
            weights = self.weights[key, band]
            if kind == QuestionKind.SINGLE:
                if rng.random() < 0.85:
                    answers[key] = rng.choices([o[0] for o in options], weights)[0]
            elif kind == QuestionKind.MULTIPLE:
                if rng.random() < 0.75:
                    wanted = rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0]
                    wanted = min(wanted, fields.get("max_choices") or wanted)
                    chosen: list[str] = []
                    while len(chosen) < wanted:
                        value = rng.choices([o[0] for o in options], weights)[0]
                        if value not in chosen:
                            chosen.append(value)
                    answers[key] = chosen
            elif kind == QuestionKind.SCALE:
                if rng.random() < 0.85:
                    points = fields["scale_points"]
                    answers[key] = int(rng.choices(range(1, points + 1), weights)[0])
            elif kind == QuestionKind.NUMBER:
                if rng.random() < 0.7:
                    if key == "sleep_hours":
                        hours = round(rng.gauss(10 - 0.6 * band, 1.2) * 2) / 2
                        answers[key] = min(max(hours, 0), 16)
                    else:
                        answers[key] = min(int(rng.expovariate(1 / 15)), 180)
            elif kind == QuestionKind.RANKING:
                if rng.random() < 0.5:
                    length = rng.choices((1, 2, 3, 4), (0.3, 0.3, 0.2, 0.2))[0]
                    answers[key] = rng.sample([o[0] for o in options], length)
            elif kind == QuestionKind.TEXT and rng.random() < 0.15:
                answers[key] = rng.choice(TEXTS[language])
        return answers

    def band_and_age(self, bands: Sequence[AgeBand]) -> tuple[int, int]:
        index = self.rng.choices(range(len(bands)), BAND_WEIGHTS[: len(bands)])[0]
        band = bands[index]
        return index, self.rng.randint(band.min_age, band.max_age)

    def language(self) -> str:
        return self.rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]


# --- Written with COPY -------------------------------------------------------------------------

_CODE_SPACE = len(RECEIPT_ALPHABET) ** RECEIPT_LENGTH
_CODE_STEP = 2_654_435_761  # not a multiple of 31: distinct ids give distinct codes


def receipt_code(number: int) -> str:
    value = (number * _CODE_STEP + 12_345_678_901) % _CODE_SPACE
    chars = []
    for _ in range(RECEIPT_LENGTH):
        value, digit = divmod(value, len(RECEIPT_ALPHABET))
        chars.append(RECEIPT_ALPHABET[digit])
    return "".join(chars)


class _Ids:
    """Question and option ids of the bench survey, by key and value."""

    def __init__(self, survey: Survey):
        self.question = dict(Question.objects.filter(survey=survey).values_list("key", "id"))
        self.kind = dict(Question.objects.filter(survey=survey).values_list("key", "kind"))
        self.option = {
            (key, value): option_id
            for key, value, option_id in Option.objects.filter(question__survey=survey).values_list(
                "question__key", "value", "id"
            )
        }


def _answer_lines(ids: _Ids, response_id: int, answers: dict[str, Any], out: io.StringIO) -> int:
    rows = 0
    for key, value in answers.items():
        question_id = ids.question[key]
        kind = ids.kind[key]
        if kind == QuestionKind.SINGLE:
            out.write(f"{response_id}\t{question_id}\t{ids.option[key, value]}\t\\N\t\\N\t\\N\n")
            rows += 1
        elif kind == QuestionKind.MULTIPLE:
            for item in value:
                out.write(f"{response_id}\t{question_id}\t{ids.option[key, item]}\t\\N\t\\N\t\\N\n")
            rows += len(value)
        elif kind == QuestionKind.RANKING:
            for rank, item in enumerate(value, start=1):
                out.write(
                    f"{response_id}\t{question_id}\t{ids.option[key, item]}\t{rank}\t\\N\t\\N\n"
                )
            rows += len(value)
        elif kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
            out.write(f"{response_id}\t{question_id}\t\\N\t\\N\t{value:.2f}\t\\N\n")
            rows += 1
        else:
            out.write(f"{response_id}\t{question_id}\t\\N\t\\N\t\\N\t{value}\n")
            rows += 1
    return rows


@dataclass(frozen=True)
class Generated:
    responses: int
    withdrawn: int
    answers: int
    seconds: float


def generate_responses(bench: BenchSurvey, count: int, *, seed: int) -> Generated:
    """``count`` responses to the bench survey, with answers, written with COPY; then ANALYZE."""
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        first_id = _reserve_ids(cursor, count)
        rows = _Rows(bench, seed)
        for response_id in range(first_id, first_id + count):
            rows.add(response_id)
        _copy(cursor, rows, first_id, first_id + count - 1)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Response._meta.db_table}")
        cursor.execute(f"ANALYZE {Answer._meta.db_table}")
    return Generated(
        responses=count,
        withdrawn=rows.withdrawn,
        answers=rows.answer_count,
        seconds=time.monotonic() - started,
    )


def _reserve_ids(cursor, count: int) -> int:
    """The first of ``count`` response ids that no insert will ever take: the sequence moves
    past them."""
    table = Response._meta.db_table
    sequence = _sequence(cursor, table)
    cursor.execute(
        f"SELECT setval(%s, GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), "  # noqa: S608
        f"(SELECT last_value FROM {sequence})) + %s)",
        [sequence, count],
    )
    return cursor.fetchone()[0] - count + 1


class _Rows:
    """Responses and answers in COPY's text format, built in memory."""

    def __init__(self, bench: BenchSurvey, seed: int):
        self.bench = bench
        self.answers_of = Answers(seed)
        self.rng = random.Random(seed + 1)
        self.ids = _Ids(bench.survey)
        self.now = timezone.now()
        self.responses = io.StringIO()
        self.answers = io.StringIO()
        self.withdrawn = 0
        self.answer_count = 0

    def add(self, response_id: int) -> None:
        rng, bench = self.rng, self.bench
        band_index, _age = self.answers_of.band_and_age(bench.bands)
        language = self.answers_of.language()
        submitted = self.now - datetime.timedelta(seconds=rng.uniform(86_400, 30 * 86_400))
        withdrawn_at = "\\N"
        if rng.random() < SHARE_WITHDRAWN:
            self.withdrawn += 1
            withdrawn_at = (
                submitted + datetime.timedelta(seconds=rng.uniform(60, 86_000))
            ).isoformat()
        if rng.random() < SHARE_WITH_INVITE:
            invite = rng.choice(bench.invites)
            invite_id, organisation_id = str(invite.pk), str(invite.organisation_id)
        else:
            invite_id = organisation_id = "\\N"
        token = uuid.UUID(int=rng.getrandbits(128), version=4)
        self.responses.write(
            f"{response_id}\t{bench.survey.pk}\t{bench.bands[band_index].pk}\t{language}\t"
            f"{invite_id}\t{organisation_id}\t{submitted.isoformat()}\t"
            f"{receipt_code(response_id)}\t{token}\t{withdrawn_at}\n"
        )
        self.answer_count += _answer_lines(
            self.ids, response_id, self.answers_of.one(band_index, language), self.answers
        )


def _copy(cursor, rows: _Rows, first_id: int, last_id: int) -> None:
    response_table = Response._meta.db_table
    answer_table = Answer._meta.db_table
    replica = _skip_row_triggers(cursor)
    indexes = _drop_secondary_indexes(cursor, [response_table, answer_table])
    with cursor.copy(
        f"COPY {response_table} (id, survey_id, age_band_id, language, invite_link_id, "
        "organisation_id, submitted_at, receipt_code, client_token, withdrawn_at) FROM STDIN"
    ) as copy:
        copy.write(rows.responses.getvalue())
    with cursor.copy(
        f"COPY {answer_table} (response_id, question_id, option_id, rank, number_value, "
        "text_value) FROM STDIN"
    ) as copy:
        copy.write(rows.answers.getvalue())
    for definition in indexes:
        cursor.execute(definition)
    if replica:
        _check_references(cursor, first_id, last_id)


def _skip_row_triggers(cursor) -> bool:
    """Skip the per-row foreign-key triggers of this transaction where the role may (a
    superuser): PostgreSQL would otherwise queue and check three triggers per answer row at
    commit. The references are checked afterwards, in one query per foreign key."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except Exception:
        return False
    return True


def _drop_secondary_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the indexes other than the primary keys of ``tables`` and return the statements
    that create them again: one index build after the COPY is several times faster than
    keeping seven indexes up to date row by row. (In the transaction: nobody sees them gone.)"""
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [tables],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in found]


def _check_references(cursor, first_id: int, last_id: int) -> None:
    response_table = Response._meta.db_table
    answer_table = Answer._meta.db_table
    checks = {
        "response": f"SELECT COUNT(*) FROM {answer_table} a LEFT JOIN {response_table} r "  # noqa: S608
        "ON r.id = a.response_id WHERE a.response_id BETWEEN %s AND %s AND r.id IS NULL",
        "question": f"SELECT COUNT(*) FROM {answer_table} a "  # noqa: S608
        f"LEFT JOIN {Question._meta.db_table} q "
        "ON q.id = a.question_id WHERE a.response_id BETWEEN %s AND %s AND q.id IS NULL",
        "option": f"SELECT COUNT(*) FROM {answer_table} a "  # noqa: S608
        f"LEFT JOIN {Option._meta.db_table} o "
        "ON o.id = a.option_id WHERE a.response_id BETWEEN %s AND %s "
        "AND a.option_id IS NOT NULL AND o.id IS NULL",
    }
    for name, query in checks.items():
        cursor.execute(query, [first_id, last_id])
        if cursor.fetchone()[0]:
            raise RuntimeError(f"generated answers point to a missing {name}")
    cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def sequences_ok() -> list[str]:
    """Tables whose id sequence is behind their highest id (should be none)."""
    behind = []
    with connection.cursor() as cursor:
        for table in (Response._meta.db_table, Answer._meta.db_table):
            cursor.execute(
                f"SELECT (SELECT COALESCE(MAX(id), 0) FROM {table}) "  # noqa: S608 - model table
                f"> (SELECT last_value FROM {_sequence(cursor, table)})"
            )
            if cursor.fetchone()[0]:
                behind.append(table)
    return behind


def _sequence(cursor, table: str) -> str:
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    return cursor.fetchone()[0]
