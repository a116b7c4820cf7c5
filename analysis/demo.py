"""Demo answers for ``seed_demo``: a few hundred made-up young people answer the demo survey
through ``surveys.services.response_submit`` (so every rule of a real submission applies), spread
over the demo's invite links, ages, languages and the last two weeks; then a small codebook
codes some of their open answers, so that the dashboard, the coding pages and the theme
suggestions have something to show.

Everything is drawn from a seeded random generator: the same demo every time.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import Any

from django.utils import timezone

from analysis.coding import answer_coding_save, code_create
from analysis.coding_selectors import open_answers_of
from consultations.models import Campaign, InviteLink
from surveys.models import Question, QuestionKind, Response, Survey
from surveys.services import response_submit

DEMO_SEED = 2026

LANGUAGE_WEIGHTS = {"nl": 6, "fr": 3, "en": 1}

# Open answers as young people write them; the recurring themes (playground, bullying, homework,
# being listened to, toilets) are what the codebook and the theme suggestions find.
OPEN_ANSWERS: dict[str, list[str]] = {
    "nl": [
        "De speelplaats is te klein en er is niks om te klimmen.",
        "Ik word soms gepest op de speelplaats en de juf ziet het niet.",
        "Minder huiswerk alstublieft, ik heb geen tijd om te spelen.",
        "De toiletten zijn vies en de deuren gaan niet op slot.",
        "Ik wil dat de leerkrachten beter luisteren naar wat wij zeggen.",
        "Meer groen op de speelplaats en een voetbalveld.",
        "Pesten moet echt stoppen, ook op de bus.",
        "Te veel toetsen in dezelfde week, daar word ik zenuwachtig van.",
        "Ik vind het fijn dat we in de leerlingenraad mogen meepraten.",
        "Huiswerk in het weekend is niet eerlijk.",
        "De leerkrachten luisteren niet als je zegt dat je gepest wordt.",
        "Warm eten op school zou leuk zijn.",
        "De toiletten ruiken slecht, ik ga er liever niet naartoe.",
        "Meer inspraak over de regels op de speelplaats.",
        "Ik ben blij met mijn vrienden in de klas.",
        "",
    ],
    "fr": [
        "La cour de récréation est trop petite et il n'y a pas de jeux.",
        "Je me fais harceler dans la cour et personne ne fait rien.",
        "Moins de devoirs le week-end s'il vous plaît.",
        "Les toilettes sont sales et on ne peut pas fermer la porte.",
        "Les profs devraient écouter les élèves quand on parle du harcèlement.",
        "Plus d'arbres dans la cour de récréation.",
        "Trop de contrôles la même semaine, c'est stressant.",
        "J'aimerais qu'on nous demande notre avis sur les règles de l'école.",
        "Les devoirs prennent tout mon temps libre.",
        "Les toilettes sont toujours fermées pendant la récréation.",
        "",
    ],
    "en": [
        "The playground is too small and there is nothing to climb.",
        "Bullying happens on the bus and nobody does anything.",
        "Less homework please, I have no time to play.",
        "The toilets are dirty and the locks are broken.",
        "Teachers should listen when we say something is wrong.",
        "",
    ],
}

# label, description, UNCRC articles, words that mark an answer as carrying the code
DEMO_CODES: list[tuple[str, str, list[str], list[str]]] = [
    (
        "Speelruimte",
        "Ruimte en tijd om te spelen op school: de speelplaats, groen, speeltuigen.",
        ["31"],
        ["speelplaats", "cour", "playground", "spelen", "jouer", "play"],
    ),
    (
        "Pesten",
        "Gepest worden of pesten zien, en hoe de school erop reageert.",
        ["19"],
        ["gepest", "pesten", "harcel", "bullying"],
    ),
    (
        "Huiswerk en toetsen",
        "De hoeveelheid huiswerk en toetsen, en de druk die dat geeft.",
        ["28", "31"],
        ["huiswerk", "toetsen", "devoirs", "contrôles", "homework"],
    ),
    (
        "Gehoord worden",
        "Leerkrachten en school die luisteren; inspraak in de regels.",
        ["12"],
        ["luisteren", "inspraak", "meepraten", "écouter", "avis", "listen"],
    ),
]


def _answer_for(question: Question, rng: random.Random, language: str) -> Any:
    values = [option.value for option in question.options.all()]
    if question.kind == QuestionKind.SINGLE:
        return rng.choice(values)
    if question.kind == QuestionKind.MULTIPLE:
        most = min(question.max_choices or len(values), len(values))
        return rng.sample(values, rng.randint(1, most))
    if question.kind == QuestionKind.SCALE:
        points = question.scale_points or 5
        return rng.choices(range(1, points + 1), weights=range(1, points + 1))[0]
    if question.kind == QuestionKind.NUMBER:
        low = int(question.min_value or 0)
        high = int(question.max_value if question.max_value is not None else low + 20)
        return rng.randint(low, min(high, low + 12))
    if question.kind == QuestionKind.RANKING:
        ranked = rng.sample(values, len(values))
        return ranked[: rng.randint(1, len(ranked))]
    text = rng.choice(OPEN_ANSWERS.get(language) or OPEN_ANSWERS["nl"])
    return text or None


def _shown(question: Question, answers: dict[str, Any], age: int) -> bool:
    if question.min_age is not None and age < question.min_age:
        return False
    if question.max_age is not None and age > question.max_age:
        return False
    if question.show_if:
        earlier = answers.get(question.show_if["question"])
        chosen = earlier if isinstance(earlier, list) else [earlier]
        return any(value in chosen for value in question.show_if["any_of"])
    return True


def seed_demo_responses(*, survey: Survey, count: int = 240, seed: int = DEMO_SEED) -> int:
    """Submit ``count`` made-up responses to ``survey`` unless it already has responses;
    returns how many were added."""
    if Response.objects.filter(survey=survey).exists():
        return 0
    rng = random.Random(seed)
    questions = list(survey.questions.order_by("order", "id").prefetch_related("options"))
    invites: list[InviteLink | None] = [
        *InviteLink.objects.filter(campaign=survey.campaign, is_active=True).order_by("id"),
        None,
    ]
    languages = [code for code in LANGUAGE_WEIGHTS if code in survey.campaign.languages]
    weights = [LANGUAGE_WEIGHTS[code] for code in languages]
    now = timezone.now()
    for _ in range(count):
        age = rng.randint(6, 17)
        language = rng.choices(languages, weights=weights)[0]
        answers: dict[str, Any] = {}
        for question in questions:
            if _shown(question, answers, age) and rng.random() < 0.9:
                value = _answer_for(question, rng, language)
                if value is not None:
                    answers[question.key] = value
        invite = rng.choice(invites)
        result = response_submit(
            survey=survey,
            client_token=uuid.UUID(int=rng.getrandbits(128), version=4),
            language=language,
            age=age,
            invite_code=invite.code if invite else None,
            assent=True,
            answers=answers,
        )
        moment = now - datetime.timedelta(minutes=rng.randint(0, 14 * 24 * 60))
        Response.objects.filter(pk=result.response.pk).update(submitted_at=moment)
    return count


def seed_demo_codebook(*, campaign: Campaign, user: Any = None) -> int:
    """A small codebook for ``campaign`` (unless it has one), applied to the open answers that
    contain one of each code's words, as staff would; a few of them marked as quotes.
    Returns how many answers were coded."""
    if campaign.codes.exists():
        return 0
    codes = [
        (
            code_create(
                campaign=campaign,
                label=label,
                description=description,
                article_numbers=articles,
                user=user,
            ),
            words,
        )
        for label, description, articles, words in DEMO_CODES
    ]
    answers = list(open_answers_of(campaign=campaign).order_by("id"))
    # Staff have read the first two thirds; the rest wait on the coding page (and feed the
    # theme suggestions).
    coded = 0
    for position, answer in enumerate(answers[: len(answers) * 2 // 3]):
        text = (answer.text_value or "").lower()
        code_ids = [code.pk for code, words in codes if any(word in text for word in words)]
        answer_coding_save(
            answer_id=answer.pk,
            campaign=campaign,
            code_ids=code_ids,
            is_quote=bool(code_ids) and position % 17 == 0,
            user=user,
        )
        coded += 1
    return coded
