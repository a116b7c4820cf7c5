"""Feedback to young people: staff write a summary per age band and publish it; young people of
a band then read it with the numbers of their own band only, suppressed (DESIGN §4, §3.6)."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from django.db.models import Count

from analysis.feedback import (
    TEXT_MAX_LENGTH,
    youth_feedback_publish,
    youth_feedback_save,
    youth_feedback_unpublish,
)
from analysis.feedback_selectors import youth_results
from analysis.models import YouthFeedback, YouthFeedbackPublication
from analysis.services import survey_results_refresh
from analysis.suppression import suppress_group
from config.exceptions import InvalidInputError
from consultations.models import AgeBand, Campaign
from surveys.models import Answer, Question, QuestionKind, Survey, SurveyStatus
from surveys.services import response_submit
from tests.analysis.conftest import add_question, make_campaign
from tests.analysis.suppression_reference import published_table

pytestmark = pytest.mark.django_db


def band(campaign: Campaign, code: str) -> AgeBand:
    return AgeBand.objects.get(campaign=campaign, code=code)


def question(survey: Survey, key: str) -> Question:
    return Question.objects.get(survey=survey, key=key)


def write(
    campaign: Campaign, code: str = "9-11", user=None, questions=(), **texts
) -> YouthFeedback:
    return youth_feedback_save(
        campaign=campaign,
        age_band=band(campaign, code),
        texts=texts or {"told_us_nl": "Jullie zeiden: meer sport."},
        question_ids=list(questions),
        user=user,
    )


# --- Saving ---------------------------------------------------------------------------------------


def test_it_saves_a_summary_per_age_band_and_updates_it_in_place(campaign, survey, analyst):
    write(campaign, user=analyst, told_us_nl="Eerst", we_did_fr="D'abord")

    feedback = write(campaign, told_us_nl="Daarna", next_steps_en="  Next  ")

    assert YouthFeedback.objects.count() == 1
    feedback.refresh_from_db()
    assert feedback.told_us_nl == "Daarna"
    assert feedback.we_did_fr == "D'abord"  # a text left out keeps what was written
    assert feedback.next_steps_en == "Next"
    assert feedback.updated_by is None


def test_it_keeps_the_chosen_questions_unless_new_ones_are_given(campaign, survey):
    mood, sport = question(survey, "mood"), question(survey, "sport")
    write(campaign, questions=[sport.pk, str(mood.pk)])

    youth_feedback_save(
        campaign=campaign,
        age_band=band(campaign, "9-11"),
        texts={"we_did_nl": "We schreven het op."},
        question_ids=None,
        user=None,
    )

    feedback = YouthFeedback.objects.get()
    assert set(feedback.questions.all()) == {mood, sport}
    write(campaign, questions=[])
    assert not feedback.questions.exists()


@pytest.mark.parametrize(
    ("texts", "field"),
    [
        ({"told_us_nl": "x" * (TEXT_MAX_LENGTH + 1)}, "told_us_nl"),
        ({"told_us_de": "Hallo"}, "told_us_de"),
        ({"we_did_fr": 42}, "we_did_fr"),
    ],
    ids=["too-long", "unknown-language", "not-text"],
)
def test_it_refuses_texts_that_do_not_fit_and_changes_nothing(campaign, survey, texts, field):
    write(campaign, told_us_nl="Bewaard")

    with pytest.raises(InvalidInputError) as refused:
        write(campaign, **texts)

    assert refused.value.field == field
    assert YouthFeedback.objects.get().told_us_nl == "Bewaard"


def test_a_text_of_exactly_the_limit_is_accepted(campaign, survey):
    feedback = write(campaign, told_us_nl="x" * TEXT_MAX_LENGTH)

    assert len(feedback.told_us_nl) == TEXT_MAX_LENGTH


def test_it_refuses_an_age_band_of_another_campaign(campaign, survey):
    other = make_campaign("other-theme")

    with pytest.raises(InvalidInputError) as refused:
        youth_feedback_save(
            campaign=campaign,
            age_band=band(other, "9-11"),
            texts={"told_us_nl": "Hallo"},
            question_ids=[],
            user=None,
        )

    assert refused.value.field == "age_band"
    assert not YouthFeedback.objects.exists()


def test_it_refuses_questions_young_people_cannot_read_as_a_chart_for_their_band(campaign, survey):
    other = Survey.objects.create(
        campaign=make_campaign("other-theme"), slug="elders", title_nl="Elders"
    )
    draft = Survey.objects.create(campaign=campaign, slug="ontwerp", title_nl="Ontwerp")
    refused_ones = {
        "another campaign's": add_question(other, "mood", QuestionKind.SCALE).pk,
        "a number": question(survey, "hours").pk,
        "a text": question(survey, "story").pk,
        "a ranking": question(survey, "priorities").pk,
        "asked from 12 only": question(survey, "say").pk,
        "of a draft survey": add_question(draft, "mood", QuestionKind.SCALE).pk,
        "unknown": 10**12,
        "not a number": "mood",
        "beyond any id": "9" * 40,
    }
    for reason, question_id in refused_ones.items():
        with pytest.raises(InvalidInputError) as refused:
            write(campaign, "6-8", questions=[question(survey, "mood").pk, question_id])
        assert refused.value.field == "questions", reason
    assert not YouthFeedback.objects.exists()


# --- Publishing -----------------------------------------------------------------------------------


def test_publishing_needs_a_summary_in_the_campaigns_first_language(campaign, survey, analyst):
    write(campaign, told_us_fr="Vous avez dit", told_us_nl="")

    with pytest.raises(InvalidInputError) as refused:
        youth_feedback_publish(campaign=campaign, user=analyst)

    assert refused.value.field == "texts"
    assert "Dutch" in refused.value.message
    assert not YouthFeedbackPublication.objects.exists()

    write(campaign, "15-17", next_steps_nl="Straks")
    publication = youth_feedback_publish(campaign=campaign, user=analyst)

    assert publication.published_by == analyst
    assert publication.published_at is not None


def test_the_first_language_is_the_campaigns_own(db):
    campaign = make_campaign("en-francais", languages=["fr", "nl"])
    write(campaign, told_us_nl="Jullie zeiden")
    with pytest.raises(InvalidInputError):
        youth_feedback_publish(campaign=campaign, user=None)

    write(campaign, told_us_fr="Vous avez dit")

    assert youth_feedback_publish(campaign=campaign, user=None)


def test_publishing_twice_is_harmless_and_keeps_the_first_date(campaign, survey, analyst):
    write(campaign)
    first = youth_feedback_publish(campaign=campaign, user=analyst)

    again = youth_feedback_publish(campaign=campaign, user=None)

    assert again.pk == first.pk
    assert again.published_at == first.published_at
    assert again.published_by == analyst
    assert YouthFeedbackPublication.objects.count() == 1


def test_unpublishing_hides_the_results_and_twice_is_harmless(campaign, survey):
    write(campaign)
    youth_feedback_publish(campaign=campaign, user=None)

    assert youth_feedback_unpublish(campaign=campaign) is True
    assert youth_feedback_unpublish(campaign=campaign) is False
    assert not YouthFeedbackPublication.objects.exists()
    assert YouthFeedback.objects.exists()  # the summaries are kept


# --- What young people read -----------------------------------------------------------------------


def db_counts(q: Question, age_band: AgeBand) -> tuple[int, dict[str, int]]:
    """How many young people of the band answered ``q``, and per option value, from the rows."""
    answers = Answer.objects.filter(
        question=q, response__age_band=age_band, response__withdrawn_at__isnull=True
    )
    n = answers.values("response_id").distinct().count()
    if q.kind == QuestionKind.SCALE:
        counts = Counter(
            str(int(value)) for value in answers.values_list("number_value", flat=True)
        )
        return n, {str(point): counts.get(str(point), 0) for point in range(1, 6)}
    rows = dict(answers.values_list("option__value").annotate(count=Count("id")).order_by())
    values = q.options.order_by("order", "pk").values_list("value", flat=True)
    return n, {value: rows.get(value, 0) for value in values}


def expected_for_band(q: Question, age_band: AgeBand, k: int) -> dict[str, int | None] | None:
    """The band's counts as DESIGN §4 publishes them: None for the whole question when the
    band's group is hidden among the bands, else each count or None when suppressed."""
    sizes = {}
    for other in AgeBand.objects.filter(campaign=age_band.campaign):
        n, _counts = db_counts(q, other)
        if n:
            sizes[other.code] = n
    band_sizes = suppress_group(sizes, total=sum(sizes.values()), k=k, exact_total=True)
    n, counts = db_counts(q, age_band)
    if age_band.code not in sizes or band_sizes.cells[age_band.code].suppressed or n < k:
        return None
    # The band's counts are one column of the question's table by age band.
    per_band = {
        code: db_counts(q, AgeBand.objects.get(campaign=age_band.campaign, code=code))[1]
        for code in sizes
    }
    hidden = {code for code, size in sizes.items() if band_sizes.cells[code].suppressed or size < k}
    table = published_table(
        per_band,
        group_n=sizes,
        hidden_groups=hidden,
        values=list(counts),
        overall_n=sum(sizes.values()),
        k=k,
    )
    return table[age_band.code]


@pytest.mark.parametrize("k", [5, 10])
def test_each_band_reads_the_counts_of_its_own_band_exactly_or_suppressed(
    seed_responses, campaign, k
):
    seeded = seed_responses(count=150, seed=3)
    Campaign.objects.filter(pk=campaign.pk).update(min_cell_size=k)
    campaign.refresh_from_db()
    survey_results_refresh(survey=seeded.survey)
    write(campaign)
    youth_feedback_publish(campaign=campaign, user=None)
    seen_numbers = seen_hidden = 0

    for age_band in AgeBand.objects.filter(campaign=campaign):
        results = youth_results(campaign=campaign, age_band=age_band, language="en")

        asked = [
            key
            for key in ["mood", "sport", "sport_where", "hobbies", "say"]
            if key != "say" or age_band.max_age >= 12
        ]
        assert [entry["key"] for entry in results["questions"]] == asked
        for entry in results["questions"]:
            q = question(seeded.survey, entry["key"])
            expected = expected_for_band(q, age_band, k)
            published = {option["value"]: option["count"] for option in entry["options"]}
            if expected is None:
                assert entry["suppressed"] and entry["n"] is None
                assert set(published.values()) == {None}
                seen_hidden += 1
                continue
            assert published == expected, (age_band.code, entry["key"])
            n, _counts = db_counts(q, age_band)
            assert entry["n"] == n
            for option in entry["options"]:
                if option["count"] is None:
                    assert option["suppressed"] and option["share"] is None
                    seen_hidden += 1
                else:
                    assert option["share"] == round(100 * option["count"] / n)
                    seen_numbers += 1
    assert seen_numbers and seen_hidden  # both cases were checked


def test_a_band_with_fewer_than_k_young_people_sees_no_numbers(campaign, survey):
    for age in [7, 7, 8, 13, 13, 13, 13, 13, 14, 14, 14]:  # 3 aged 6-8, 8 aged 12-14; k = 5
        response_submit(
            survey=survey,
            client_token=uuid.uuid4(),
            language="nl",
            age=age,
            invite_code=None,
            assent=True,
            answers={"mood": 4, "sport": "dance"},
        )
    survey_results_refresh(survey=survey)
    write(campaign, "6-8")
    youth_feedback_publish(campaign=campaign, user=None)

    young = youth_results(campaign=campaign, age_band=band(campaign, "6-8"), language="nl")
    older = youth_results(campaign=campaign, age_band=band(campaign, "12-14"), language="nl")

    mood = next(entry for entry in young["questions"] if entry["key"] == "mood")
    assert mood["suppressed"] and mood["n"] is None
    assert all(option["count"] is None for option in mood["options"])
    # The 8 of 12-14 would be the total minus 3: hidden with them, never published alone.
    older_mood = next(entry for entry in older["questions"] if entry["key"] == "mood")
    assert older_mood["suppressed"]


def test_nothing_is_shown_before_publication_but_the_expected_date(
    campaign, survey, seed_responses
):
    seed_responses(count=60)
    survey_results_refresh(survey=survey)
    campaign.results_expected_on = "2027-03-01"
    campaign.save()
    campaign.refresh_from_db()
    write(campaign, told_us_nl="Jullie zeiden veel.")

    results = youth_results(campaign=campaign, age_band=band(campaign, "9-11"), language="nl")

    assert results["published"] is False
    assert str(results["results_expected_on"]) == "2027-03-01"
    assert results["texts"] == {"told_us": "", "we_did": "", "next_steps": ""}
    assert results["questions"] == []

    preview = youth_results(
        campaign=campaign, age_band=band(campaign, "9-11"), language="nl", preview=True
    )
    assert preview["published"] is False
    assert preview["texts"]["told_us"] == "Jullie zeiden veel."
    assert preview["questions"]


def test_texts_are_in_the_language_asked_else_in_dutch(campaign, survey):
    write(campaign, told_us_nl="Jullie zeiden", told_us_fr="Vous avez dit", we_did_nl="We deden")
    youth_feedback_publish(campaign=campaign, user=None)

    texts = youth_results(campaign=campaign, age_band=band(campaign, "9-11"), language="fr")[
        "texts"
    ]

    assert texts == {"told_us": "Vous avez dit", "we_did": "We deden", "next_steps": ""}


def test_only_the_chosen_questions_are_shown_with_labels_emoji_and_easy_wording(
    campaign, survey, seed_responses
):
    seed_responses(count=120)
    survey_results_refresh(survey=survey)
    Question.objects.filter(pk=question(survey, "mood").pk).update(
        easy_text_en="Are you happy at school?"
    )
    Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.CLOSED)
    write(campaign, "9-11", questions=[question(survey, "sport").pk, question(survey, "mood").pk])
    youth_feedback_publish(campaign=campaign, user=None)

    results = youth_results(campaign=campaign, age_band=band(campaign, "9-11"), language="en")

    mood, sport = results["questions"]  # in the order of the survey
    assert mood["key"] == "mood" and mood["kind"] == "scale"
    assert mood["text"] == "Are you happy at school?"  # 9-11 reads the easy-read wording
    assert [option["emoji"] for option in mood["options"]] == ["😢", "🙁", "😐", "🙂", "😄"]
    assert [option["label"] for option in mood["options"]][-1] == "Very good"
    assert sport["text"] == "Question sport"
    assert [option["label"] for option in sport["options"]] == [
        "football (en)",
        "swimming (en)",
        "dance (en)",
    ]
    older = youth_results(campaign=campaign, age_band=band(campaign, "12-14"), language="en")
    assert older["questions"][0]["text"] == "Question mood"  # 12-14 is not easy-read
