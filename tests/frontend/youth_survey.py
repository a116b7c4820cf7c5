"""A survey like the demo one, for the youth page tests: every question kind, in nl/fr/en, with a
``show_if``, an age-restricted question and easy-read wording; and a no-JavaScript visitor that
walks through it with real forms (CSRF checked)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.test import Client
from django.utils import translation

from consultations.models import Campaign, CampaignStatus, InviteLink
from consultations.services import (
    campaign_create,
    campaign_transition,
    invite_link_create,
    member_organisation_create,
)
from surveys.demo import seed_demo_survey
from surveys.models import Option, Question, QuestionKind, Survey, SurveyStatus
from tests.frontend.html_checks import parse

SLUG = "mijn-school"


def ui(language: str, message: str, plural: str | None = None, n: int = 1, **params) -> str:
    """An interface message as the page shows it in ``language`` (catalogue msgids, so tests
    hold whether or not the catalogues translate it yet)."""
    with translation.override(language):
        text = translation.ngettext(message, plural, n) if plural else translation.gettext(message)
    return text % params if params else text


# key, kind, texts (nl, fr, en), easy nl, extra fields, options (value, emoji, nl, fr, en)
QUESTIONS = [
    (
        "free_time",
        QuestionKind.SINGLE,
        (
            "Wat doe je het liefst in je vrije tijd?",
            "Que préfères-tu faire pendant ton temps libre\u202f?",
            "What do you like doing most in your free time?",
        ),
        "Wat doe je graag?",
        {},
        [
            ("sport", "⚽", "Sporten", "Faire du sport", "Sports"),
            ("music", "🎵", "Muziek", "La musique", "Music"),
            ("games", "🎮", "Gamen", "Les jeux vidéo", "Gaming"),
            ("reading", "📚", "Lezen", "Lire", "Reading"),
        ],
    ),
    (
        "which_sport",
        QuestionKind.MULTIPLE,
        ("Welke sporten doe je?", "Quels sports fais-tu\u202f?", "Which sports do you do?"),
        "",
        {"max_choices": 2, "show_if": {"question": "free_time", "any_of": ["sport"]}},
        [
            ("football", "⚽", "Voetbal", "Football", "Football"),
            ("swimming", "🏊", "Zwemmen", "Natation", "Swimming"),
            ("dance", "💃", "Dansen", "Danse", "Dancing"),
        ],
    ),
    (
        "feel_safe",
        QuestionKind.SCALE,
        (
            "Hoe veilig voel je je op school?",
            "À quel point te sens-tu en sécurité à l'école\u202f?",
            "How safe do you feel at school?",
        ),
        "Voel je je veilig op school?",
        {"scale_points": 5},
        [],
    ),
    (
        "sleep_hours",
        QuestionKind.NUMBER,
        (
            "Hoeveel uur slaap je op een schoolnacht?",
            "Combien d'heures dors-tu avant un jour d'école\u202f?",
            "How many hours do you sleep before a school day?",
        ),
        "",
        {"min_value": 0, "max_value": 16},
        [],
    ),
    (
        "social_media",
        QuestionKind.SINGLE,
        (
            "Gebruik je elke dag sociale media?",
            "Utilises-tu les réseaux sociaux tous les jours\u202f?",
            "Do you use social media every day?",
        ),
        "",
        {"min_age": 12},
        [
            ("yes", "👍", "Ja", "Oui", "Yes"),
            ("no", "👎", "Nee", "Non", "No"),
        ],
    ),
    (
        "priorities",
        QuestionKind.RANKING,
        (
            "Wat is voor jou het belangrijkst op school?",
            "Qu'est-ce qui compte le plus pour toi à l'école\u202f?",
            "What matters most to you at school?",
        ),
        "Wat vind jij het belangrijkst?",
        {},
        [
            ("friends", "🧑‍🤝‍🧑", "Vrienden", "Les amis", "Friends"),
            ("teachers", "🧑‍🏫", "Leerkrachten", "Les profs", "Teachers"),
            ("playground", "🛝", "Speelplaats", "La cour", "Playground"),
        ],
    ),
    (
        "wish",
        QuestionKind.TEXT,
        (
            "Wat zou jij veranderen op school?",
            "Que changerais-tu à l'école\u202f?",
            "What would you change at school?",
        ),
        "",
        {"max_length": 300},
        [],
    ),
]
KEYS = [key for key, *_rest in QUESTIONS]


@dataclass
class DemoSurvey:
    campaign: Campaign
    survey: Survey
    invite: InviteLink


def _campaign_with_invite(slug: str, languages: tuple[str, ...]) -> tuple[Campaign, InviteLink]:
    campaign = campaign_create(
        slug=f"campagne-{slug}",
        title_nl="Jouw stem op school",
        title_fr="Ta voix à l'école",
        title_en="Your voice at school",
        languages=list(languages),
        results_expected_on=datetime.date(2027, 3, 15),
    )
    campaign_transition(campaign=campaign, to_status=CampaignStatus.CONSULTING)
    organisation = member_organisation_create(name=f"Jeugdhuis {slug}")
    invite = invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")
    return campaign, invite


def make_demo_survey() -> DemoSurvey:
    """The demo survey of ``seed_demo`` (surveys.demo), in a campaign with an invite link."""
    campaign, invite = _campaign_with_invite("demo", ("nl", "fr", "en"))
    return DemoSurvey(campaign=campaign, survey=seed_demo_survey(campaign=campaign), invite=invite)


def make_youth_survey(
    slug: str = SLUG, *, languages: tuple[str, ...] = ("nl", "fr", "en")
) -> DemoSurvey:
    campaign, invite = _campaign_with_invite(slug, languages)
    survey = Survey.objects.create(
        campaign=campaign,
        slug=slug,
        title_nl="Mijn school",
        title_fr="Mon école",
        title_en="My school",
        intro_nl="Een korte vragenlijst over jouw school.",
        intro_fr="Un petit questionnaire sur ton école.",
        intro_en="A short survey about your school.",
    )
    for order, (key, kind, texts, easy_nl, extra, options) in enumerate(QUESTIONS):
        question = Question.objects.create(
            survey=survey,
            key=key,
            order=order,
            kind=kind,
            text_nl=texts[0],
            text_fr=texts[1],
            text_en=texts[2],
            easy_text_nl=easy_nl,
            **extra,
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
    return DemoSurvey(campaign=campaign, survey=survey, invite=invite)


class YouthVisitor:
    """A young person's browser without JavaScript: follows redirects, posts the page's forms."""

    def __init__(self) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.page = None  # the last HTTP response

    def get(self, url: str):
        self.page = self.client.get(url, follow=True)
        return self.page

    @property
    def path(self) -> str:
        return self.page.request["PATH_INFO"]

    @property
    def html(self) -> str:
        return self.page.content.decode()

    def csrf(self) -> str:
        (token, *_rest) = parse(self.page.content).find("input", name="csrfmiddlewaretoken")
        return token["value"]

    def post(self, data: dict | None = None, *, url: str | None = None, **fields):
        """Submit a form of the current page (its own URL unless given) with these fields."""
        payload = {"csrfmiddlewaretoken": self.csrf(), **(data or {}), **fields}
        self.page = self.client.post(url or self.path, payload, follow=True)
        return self.page

    def start(self, survey_slug: str = SLUG, *, language: str = "nl", age: int = 10):
        """Open the survey, choose language and age, and say yes on the assent screen."""
        self.get(f"/s/{survey_slug}/")
        if self.path.endswith("/language/"):
            self.post(language=language)
        self.post(age=str(age))
        assert self.path.endswith("/assent/"), self.path
        return self.post(assent="yes")

    def question_key(self) -> str | None:
        match = re.search(r"/q/([\w-]+)/$", self.path)
        return match.group(1) if match else None

    def answer(self, action: str = "next", **fields):
        return self.post({"action": action, **fields})
