"""``python manage.py seed_demo``: a demo campaign to try Inspraak with (DESIGN §7).

Idempotent: running it twice changes nothing. It refuses to run with DEBUG off unless ``--force``,
because it creates accounts with a published password.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from analysis.demo import seed_demo_codebook, seed_demo_responses
from analysis.services import survey_results_refresh
from analysis.themes import theme_suggestions_refresh
from consultations.models import Campaign, CampaignStatus, CrcArticle, MemberOrganisation
from consultations.services import campaign_create, campaign_transition, invite_link_create
from roundtables.demo import seed_demo_roundtables
from surveys.demo import seed_demo_survey

DEMO_PASSWORD = "inspraak-demo"  # noqa: S105 - documented in the README, refused in production
DEMO_CAMPAIGN_SLUG = "welzijn-op-school"

ORGANISATIONS = [
    ("Jeugdhuis De Kreek", "jeugdhuis-de-kreek"),
    ("Scouts Zuiderkempen", "scouts-zuiderkempen"),
    ("Maison de Jeunes Les Tilleuls", "mj-les-tilleuls"),
    ("Kinderrechtenwinkel Gent", "krw-gent"),
]

ACCOUNTS = [
    # e-mail, full name, is_staff, organisation, sector
    ("staff@inspraak.test", "Sara Staf", True, "Kinderrechtencoalitie Vlaanderen", "ngo"),
    ("coordinator@inspraak.test", "Koen Coördinator", False, "Jeugdhuis De Kreek", "youth_work"),
    ("expert@inspraak.test", "Prof. Els Expert", False, "Universiteit Antwerpen", "academic"),
]

THEME_ARTICLES = ["12", "24", "28", "29", "31"]


class Command(BaseCommand):
    help = "Create a demo campaign, member organisations, invite links and demo accounts."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds a campaign (used by `make run`).",
        )

    def handle(self, *args, force: bool, if_empty: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; it refuses to run with "
                "DEBUG off. Use --force only on a throw-away database."
            )
        if if_empty and Campaign.objects.exists():
            self.stdout.write("The database already holds campaigns; no demo data added.")
            return
        with transaction.atomic():
            organisations = self._organisations()
            self._accounts(organisations)
            campaign = self._campaign(organisations)
            survey = seed_demo_survey(campaign=campaign)
            responses = seed_demo_responses(survey=survey)
            staff = get_user_model().objects.filter(email="staff@inspraak.test").first()
            coded = seed_demo_codebook(campaign=campaign, user=staff)
            experts = get_user_model().objects.filter(email="expert@inspraak.test")
            roundtables = seed_demo_roundtables(campaign=campaign, experts=list(experts))
        # After the commit: the dashboard and the theme suggestions are there at once, also with
        # a Celery worker that has not yet caught up.
        survey_results_refresh(survey=survey)
        theme_suggestions_refresh(campaign=campaign)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: campaign '{campaign.slug}', {len(organisations)} organisations, "
                f"{campaign.invite_links.count()} invite links, survey '{survey.slug}' "
                f"({responses} demo responses, {coded} open answers coded), "
                f"{len(roundtables)} roundtables. "
                "Accounts: "
                + ", ".join(email for email, *_ in ACCOUNTS)
                + f" (password: {DEMO_PASSWORD})."
            )
        )

    def _organisations(self) -> list[MemberOrganisation]:
        return [
            MemberOrganisation.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            for name, slug in ORGANISATIONS
        ]

    def _accounts(self, organisations: list[MemberOrganisation]) -> None:
        user_model = get_user_model()
        for email, full_name, is_staff, organisation, sector in ACCOUNTS:
            user = user_model.objects.filter(email=email).first()
            if user is None:
                user = user_model.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    organisation=organisation,
                    sector=sector,
                    is_staff=is_staff,
                    is_superuser=is_staff,
                )
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if email.startswith("coordinator@"):
                organisations[0].coordinators.add(user)

    def _campaign(self, organisations: list[MemberOrganisation]) -> Campaign:
        campaign = Campaign.objects.filter(slug=DEMO_CAMPAIGN_SLUG).first()
        if campaign is not None:
            return campaign
        today = timezone.localdate()
        campaign = campaign_create(
            slug=DEMO_CAMPAIGN_SLUG,
            title_nl="Hoe gaat het met jou op school?",
            title_fr="Comment ça va pour toi à l'école ?",
            title_en="How are you doing at school?",
            summary_nl=(
                "We vragen kinderen en jongeren hoe ze zich voelen op school: of ze er "
                "meetellen, wie ze kunnen aanspreken en wat er beter moet. Wat jullie zeggen, "
                "komt in ons rapport aan het VN-Kinderrechtencomité."
            ),
            summary_fr=(
                "Nous demandons aux enfants et aux jeunes comment ils se sentent à l'école : "
                "s'ils y comptent, à qui ils peuvent parler et ce qui doit changer. Ce que vous "
                "dites ira dans notre rapport au Comité des droits de l'enfant de l'ONU."
            ),
            summary_en=(
                "We ask children and young people how they feel at school: whether they count "
                "there, who they can talk to and what should be better. What you tell us goes "
                "into our report to the UN Committee on the Rights of the Child."
            ),
            starts_on=today - timedelta(days=14),
            ends_on=today + timedelta(days=60),
            results_expected_on=today + timedelta(days=150),
            languages=["nl", "fr", "en"],
            min_cell_size=10,
        )
        campaign.theme_articles.set(CrcArticle.objects.filter(code__in=THEME_ARTICLES))
        campaign.organisations.set(organisations)
        campaign_transition(campaign=campaign, to_status=CampaignStatus.CONSULTING)
        for organisation in organisations:
            for group in ("1", "2"):
                invite_link_create(
                    campaign=campaign,
                    organisation=organisation,
                    label=f"{organisation.name} — {group}",
                )
        return campaign
