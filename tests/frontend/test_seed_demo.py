import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import User
from consultations.models import Campaign, CampaignStatus, InviteLink, MemberOrganisation
from frontend.management.commands.seed_demo import ACCOUNTS


@pytest.mark.django_db
def test_it_creates_a_published_demo_campaign_with_links_and_accounts(settings):
    settings.DEBUG = True

    call_command("seed_demo")

    campaign = Campaign.objects.get(slug="welzijn-op-school")
    assert campaign.status == CampaignStatus.CONSULTING
    assert campaign.languages == ["nl", "fr", "en"]
    assert campaign.title_fr and campaign.title_en
    assert campaign.theme_articles.filter(code="12").exists()
    assert MemberOrganisation.objects.count() == 4
    assert InviteLink.objects.filter(campaign=campaign, is_active=True).count() == 8
    staff = User.objects.get(email="staff@inspraak.test")
    assert staff.is_staff and staff.check_password("inspraak-demo")
    coordinator = User.objects.get(email="coordinator@inspraak.test")
    assert coordinator.coordinated_organisations.count() == 1
    assert not User.objects.get(email="expert@inspraak.test").is_staff
    demo_emails = [email for email, *_ in ACCOUNTS]
    assert (
        EmailAddress.objects.filter(email__in=demo_emails, verified=True, primary=True).count() == 3
    )


@pytest.mark.django_db
def test_running_it_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Campaign.objects.count(), InviteLink.objects.count(), User.objects.count())

    call_command("seed_demo")

    assert (Campaign.objects.count(), InviteLink.objects.count(), User.objects.count()) == counts


@pytest.mark.django_db
def test_if_empty_leaves_an_existing_database_alone(settings):
    settings.DEBUG = True
    Campaign.objects.create(slug="real", title_nl="Echte campagne")

    call_command("seed_demo", if_empty=True)

    assert not Campaign.objects.filter(slug="welzijn-op-school").exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo")
    assert not Campaign.objects.exists()

    call_command("seed_demo", force=True)
    assert Campaign.objects.filter(slug="welzijn-op-school").exists()


@pytest.mark.django_db
def test_it_adds_an_almost_full_roundtable_and_one_with_a_waitlist(settings):
    from roundtables.models import RegistrationStatus, Roundtable

    settings.DEBUG = True

    call_command("seed_demo")

    seats = {}
    for roundtable in Roundtable.objects.filter(campaign__slug="welzijn-op-school"):
        registrations = roundtable.registrations
        confirmed = registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        waitlisted = registrations.filter(status=RegistrationStatus.WAITLISTED).count()
        seats[roundtable.slug] = (roundtable.capacity - confirmed, waitlisted)
    assert sorted(seats.values()) == [(0, 3), (1, 0)]
    expert = User.objects.get(email="expert@inspraak.test")
    assert expert.roundtable_registrations.filter(status=RegistrationStatus.CONFIRMED).exists()


@pytest.mark.django_db
def test_it_adds_an_open_demo_survey_using_every_question_kind(settings):
    from surveys.models import QuestionKind, Survey

    settings.DEBUG = True

    call_command("seed_demo")

    survey = Survey.objects.get(campaign__slug="welzijn-op-school")
    assert survey.is_open()
    questions = list(survey.questions.all())
    assert {q.kind for q in questions} == set(QuestionKind.values)
    assert any(q.show_if for q in questions)
    assert any(q.min_age or q.max_age for q in questions)
    assert all(q.text_fr and q.text_en for q in questions)
    assert any(q.easy_text_nl for q in questions)
