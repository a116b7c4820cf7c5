"""The demo survey that ``seed_demo`` adds to the demo campaign: every kind of question, in
Dutch, French and English, easy-read wording for the younger bands, a question shown only after
a certain answer and one asked from age 12 only."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from consultations.models import Campaign, CrcArticle
from surveys.models import Option, Question, QuestionKind, Survey, SurveyStatus

DEMO_SURVEY_SLUG = "hoe-voel-jij-je-op-school"

# (value, emoji, nl, fr, en)
OptionSpec = tuple[str, str, str, str, str]

QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "feeling",
        "kind": QuestionKind.SCALE,
        "scale_points": 5,
        "text": (
            "Hoe voel je je meestal op school?",
            "Comment te sens-tu généralement à l'école ?",
            "How do you usually feel at school?",
        ),
        "easy_text": (
            "Hoe voel jij je op school?",
            "Tu te sens comment à l'école ?",
            "How do you feel at school?",
        ),
        "help": (
            "Kies het gezichtje dat het best past.",
            "Choisis le visage qui te correspond le mieux.",
            "Pick the face that fits best.",
        ),
        "articles": ["28", "29"],
    },
    {
        "key": "best_part",
        "kind": QuestionKind.SINGLE,
        "text": (
            "Wat vind je het leukste aan school?",
            "Qu'est-ce que tu préfères à l'école ?",
            "What do you like most about school?",
        ),
        "easy_text": (
            "Wat is het leukste op school?",
            "Qu'est-ce qui est le plus chouette à l'école ?",
            "What is the best thing at school?",
        ),
        "options": [
            ("friends", "👫", "Mijn vrienden", "Mes amis", "My friends"),
            ("playtime", "⚽", "Speeltijd", "La récréation", "Playtime"),
            ("learning", "📚", "Nieuwe dingen leren", "Apprendre des choses", "Learning things"),
            ("teachers", "🧑‍🏫", "Mijn leerkrachten", "Mes enseignants", "My teachers"),
            ("nothing", "🤷", "Niets eigenlijk", "Rien, en fait", "Nothing really"),
        ],
        "articles": ["29", "31"],
    },
    {
        "key": "worries",
        "kind": QuestionKind.MULTIPLE,
        "max_choices": 3,
        "text": (
            "Waarover maak je je soms zorgen op school? Kies er hoogstens drie.",
            "Qu'est-ce qui t'inquiète parfois à l'école ? Choisis-en trois au maximum.",
            "What do you sometimes worry about at school? Choose up to three.",
        ),
        "easy_text": (
            "Waar ben je soms bang voor op school? Kies er tot drie.",
            "De quoi as-tu parfois peur à l'école ? Choisis-en jusqu'à trois.",
            "What are you sometimes scared of at school? Pick up to three.",
        ),
        "options": [
            ("tests", "📝", "Toetsen en punten", "Les contrôles et les points", "Tests and marks"),
            ("homework", "📒", "Huiswerk", "Les devoirs", "Homework"),
            ("bullying", "😟", "Gepest worden", "Être harcelé", "Being bullied"),
            ("friendships", "💔", "Ruzie met vrienden", "Les disputes entre amis", "Falling out"),
            ("none", "🙂", "Nergens over", "Rien du tout", "Nothing"),
        ],
        "articles": ["24", "28"],
    },
    {
        "key": "bullying_help",
        "kind": QuestionKind.SINGLE,
        "show_if": {"question": "worries", "any_of": ["bullying"]},
        "text": (
            "Weet je bij wie je terecht kunt als je gepest wordt?",
            "Sais-tu à qui t'adresser si tu es harcelé ?",
            "Do you know who to go to if you are bullied?",
        ),
        "easy_text": (
            "Weet je wie je kan helpen als iemand je pest?",
            "Sais-tu qui peut t'aider si quelqu'un t'embête ?",
            "Do you know who can help if someone is mean to you?",
        ),
        "help": (
            "Je kan ook altijd bellen naar Awel op 102.",
            "Tu peux aussi toujours appeler le 103 Écoute-Enfants.",
            "You can always call Awel on 102 too.",
        ),
        "options": [
            ("yes", "👍", "Ja", "Oui", "Yes"),
            ("not_sure", "🤔", "Ik weet het niet zeker", "Je ne suis pas sûr", "I'm not sure"),
            ("no", "👎", "Nee", "Non", "No"),
        ],
        "articles": ["24"],
    },
    {
        "key": "say_in_school",
        "kind": QuestionKind.SINGLE,
        "min_age": 12,
        "text": (
            "Mogen leerlingen op jouw school meebeslissen over dingen die hen aangaan?",
            "À ton école, les élèves peuvent-ils participer aux décisions qui les concernent ?",
            "At your school, do pupils get a say in decisions that affect them?",
        ),
        "options": [
            ("often", "🗳️", "Vaak", "Souvent", "Often"),
            ("sometimes", "🤏", "Soms", "Parfois", "Sometimes"),
            ("never", "🚫", "Nooit", "Jamais", "Never"),
        ],
        "articles": ["12"],
    },
    {
        "key": "homework_hours",
        "kind": QuestionKind.NUMBER,
        "min_value": 0,
        "max_value": 40,
        "text": (
            "Hoeveel uur per week ben je met huiswerk bezig?",
            "Combien d'heures par semaine consacres-tu à tes devoirs ?",
            "How many hours a week do you spend on homework?",
        ),
        "easy_text": (
            "Hoeveel uur per week maak je huiswerk?",
            "Combien d'heures par semaine fais-tu tes devoirs ?",
            "How many hours a week do you do homework?",
        ),
        "help": ("Een schatting is goed.", "Une estimation suffit.", "A guess is fine."),
        "articles": ["31"],
    },
    {
        "key": "improve_first",
        "kind": QuestionKind.RANKING,
        "text": (
            "Wat moet er op school eerst beter? Zet het belangrijkste bovenaan.",
            "Qu'est-ce qui doit s'améliorer en premier à l'école ? Mets le plus important en haut.",
            "What should get better at school first? Put the most important at the top.",
        ),
        "easy_text": (
            "Wat moet eerst beter op school? Het belangrijkste eerst.",
            "Qu'est-ce qui doit changer d'abord à l'école ? Le plus important d'abord.",
            "What should change first at school? Most important first.",
        ),
        "options": [
            ("playground", "🛝", "De speelplaats", "La cour de récréation", "The playground"),
            ("toilets", "🚻", "De toiletten", "Les toilettes", "The toilets"),
            ("say", "🗣️", "Meer inspraak", "Plus de participation", "More say"),
            ("less_homework", "📚", "Minder huiswerk", "Moins de devoirs", "Less homework"),
            ("food", "🥦", "Gezond eten", "Des repas sains", "Healthy food"),
        ],
        "articles": ["12", "24", "31"],
    },
    {
        "key": "message",
        "kind": QuestionKind.TEXT,
        "max_length": 1000,
        "text": (
            "Wil je nog iets kwijt over je school?",
            "Veux-tu encore dire quelque chose sur ton école ?",
            "Is there anything else you want to say about your school?",
        ),
        "easy_text": (
            "Wil je nog iets vertellen?",
            "Tu veux encore dire quelque chose ?",
            "Do you want to tell us anything else?",
        ),
        "help": (
            "Schrijf geen namen, e-mailadressen of telefoonnummers.",
            "N'écris pas de noms, d'adresses e-mail ni de numéros de téléphone.",
            "Do not write names, e-mail addresses or phone numbers.",
        ),
        "articles": ["12"],
    },
]


@transaction.atomic
def seed_demo_survey(*, campaign: Campaign) -> Survey:
    """The open demo survey of ``campaign``, created on the first call; later calls return it
    unchanged."""
    survey = Survey.objects.filter(slug=DEMO_SURVEY_SLUG).first()
    if survey is not None:
        return survey
    survey = Survey.objects.create(
        campaign=campaign,
        slug=DEMO_SURVEY_SLUG,
        title_nl="Hoe voel jij je op school?",
        title_fr="Comment te sens-tu à l'école ?",
        title_en="How do you feel at school?",
        intro_nl=(
            "We willen weten hoe het met jou gaat op school. Er zijn geen foute antwoorden en je "
            "mag elke vraag overslaan."
        ),
        intro_fr=(
            "Nous voulons savoir comment ça va pour toi à l'école. Il n'y a pas de mauvaise "
            "réponse et tu peux passer chaque question."
        ),
        intro_en=(
            "We want to know how you are doing at school. There are no wrong answers and you "
            "can skip any question."
        ),
        status=SurveyStatus.OPEN,
    )
    articles = {article.code: article for article in CrcArticle.objects.all()}
    for order, spec in enumerate(QUESTIONS, start=1):
        texts = dict(zip(("nl", "fr", "en"), spec["text"], strict=True))
        easy = dict(zip(("nl", "fr", "en"), spec.get("easy_text", ("", "", "")), strict=True))
        helps = dict(zip(("nl", "fr", "en"), spec.get("help", ("", "", "")), strict=True))
        question = Question.objects.create(
            survey=survey,
            key=spec["key"],
            order=order * 10,
            kind=spec["kind"],
            **{f"text_{code}": text for code, text in texts.items()},
            **{f"easy_text_{code}": text for code, text in easy.items()},
            **{f"help_{code}": text for code, text in helps.items()},
            scale_points=spec.get("scale_points"),
            min_value=spec.get("min_value"),
            max_value=spec.get("max_value"),
            max_choices=spec.get("max_choices"),
            max_length=spec.get("max_length", 2000),
            show_if=spec.get("show_if"),
            min_age=spec.get("min_age"),
            max_age=spec.get("max_age"),
        )
        question.articles.set([articles[code] for code in spec["articles"] if code in articles])
        Option.objects.bulk_create(
            Option(
                question=question,
                value=value,
                emoji=emoji,
                label_nl=nl,
                label_fr=fr,
                label_en=en,
                order=position,
            )
            for position, (value, emoji, nl, fr, en) in enumerate(spec.get("options", []))
        )
    # bulk_create sends no signals: move the survey's version on once, after every option.
    Survey.objects.filter(pk=survey.pk).update(updated_at=timezone.now())
    survey.refresh_from_db()
    return survey
