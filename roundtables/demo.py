"""Demo roundtables for ``seed_demo``: one almost full, one with a waitlist.

The experts handed in take the first seats of the roundtable with a waitlist, so that a demo
expert who signs in sees a confirmed seat and, by cancelling, watches the first waitlisted
person be promoted. The almost full roundtable keeps its last seat for whoever tries the site.
Other registrants are made-up demo accounts that cannot sign in (no usable password).

Registrations are written directly, in order of arrival, rather than through
``registration_create``: seeding must not send two dozen e-mails.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import Sector, User
from consultations.models import Campaign
from roundtables.models import Registration, RegistrationStatus, Roundtable, RoundtableStatus
from roundtables.services import roundtable_create

DEMO_EXPERT_EMAIL = "demo-expert-{:02d}@inspraak.test"

DEMO_PEOPLE = [
    # full name, organisation, sector, preferred language
    ("Lotte Peeters", "KU Leuven, Faculteit Psychologie", Sector.ACADEMIC, "nl"),
    ("Julien Dubois", "Fédération Wallonie-Bruxelles", Sector.POLICY, "fr"),
    ("Sofie Maes", "CLB Antwerpen", Sector.PRACTITIONER, "nl"),
    ("Amina El Idrissi", "Ligue des familles", Sector.NGO, "fr"),
    ("Pieter Janssens", "Vlaams Departement Onderwijs", Sector.POLICY, "nl"),
    ("Claire Lambert", "UCLouvain", Sector.ACADEMIC, "fr"),
    ("Tom Willems", "Chiro Nationaal", Sector.YOUTH_WORK, "nl"),
    ("Hanne De Smet", "Kinderrechtencommissariaat", Sector.POLICY, "nl"),
    ("Nadia Mertens", "UGent, Vakgroep Sociaal Werk", Sector.ACADEMIC, "nl"),
    ("Marc Lejeune", "Service d'aide à la jeunesse", Sector.PRACTITIONER, "fr"),
    ("Emma Claes", "Jeugdwerknet", Sector.YOUTH_WORK, "en"),
    ("Youssef Benali", "Vrije Universiteit Brussel", Sector.ACADEMIC, "nl"),
    ("Ine Goossens", "Onderwijsinspectie", Sector.POLICY, "nl"),
    ("Sarah Wouters", "Kind & Gezin", Sector.PRACTITIONER, "en"),
    ("Luc Renard", "Délégué général aux droits de l'enfant", Sector.POLICY, "fr"),
    ("Fien Jacobs", "Ouders voor Inclusie", Sector.NGO, "nl"),
    ("Karim Haddad", "Maison de Jeunes Schaerbeek", Sector.YOUTH_WORK, "fr"),
    ("Elise Vermeulen", "Universiteit Antwerpen", Sector.ACADEMIC, "nl"),
    ("Bram Hermans", "Stad Gent, Jeugddienst", Sector.POLICY, "nl"),
    ("Anna Kowalska", "Eurochild", Sector.NGO, "en"),
    ("Wout Michiels", "Huis van het Kind Leuven", Sector.PRACTITIONER, "nl"),
    ("Chloé Martin", "ULB, Faculté des Sciences psychologiques", Sector.ACADEMIC, "fr"),
]

PERSPECTIVE_QUESTION = {
    "key": "perspective",
    "kind": "single",
    "required": True,
    "label_nl": "Vanuit welk perspectief neemt u deel?",
    "label_fr": "De quel point de vue participez-vous ?",
    "label_en": "From which perspective do you take part?",
    "options": [
        {
            "value": "research",
            "label_nl": "Onderzoek",
            "label_fr": "Recherche",
            "label_en": "Research",
        },
        {"value": "policy", "label_nl": "Beleid", "label_fr": "Politique", "label_en": "Policy"},
        {
            "value": "practice",
            "label_nl": "Praktijk",
            "label_fr": "Pratique",
            "label_en": "Practice",
        },
    ],
}
PERSPECTIVE_BY_SECTOR = {
    Sector.ACADEMIC: "research",
    Sector.POLICY: "policy",
}


def _at(days_ahead: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _demo_experts(count: int) -> list[User]:
    """Demo accounts that cannot sign in, with a verified e-mail address."""
    people = []
    for number, (full_name, organisation, sector, language) in enumerate(
        DEMO_PEOPLE[:count], start=1
    ):
        email = DEMO_EXPERT_EMAIL.format(number)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(
                email=email,
                full_name=full_name,
                organisation=organisation,
                sector=sector,
                preferred_language=language,
            )
            user.set_unusable_password()
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        people.append(user)
    return people


def _fill(
    roundtable: Roundtable, people: Sequence[User], *, confirmed: int, waitlisted: int
) -> None:
    if roundtable.registrations.exists():
        return
    for sequence, user in enumerate(people[: confirmed + waitlisted], start=1):
        answers = {}
        if roundtable.questions:
            answers = {"perspective": PERSPECTIVE_BY_SECTOR.get(user.sector, "practice")}
        Registration.objects.create(
            roundtable=roundtable,
            user=user,
            status=(
                RegistrationStatus.CONFIRMED
                if sequence <= confirmed
                else RegistrationStatus.WAITLISTED
            ),
            sequence=sequence,
            sector=user.sector or Sector.OTHER,
            organisation=user.organisation,
            expertise=user.expertise,
            answers=answers,
        )


@transaction.atomic
def seed_demo_roundtables(*, campaign: Campaign, experts: Sequence[User]) -> list[Roundtable]:
    """Two published roundtables for ``campaign``; running it again changes nothing."""
    almost_full = Roundtable.objects.filter(slug="demo-rondetafel-welzijn-op-school").first()
    if almost_full is None:
        almost_full = roundtable_create(
            campaign=campaign,
            slug="demo-rondetafel-welzijn-op-school",
            title_nl="Rondetafel: welzijn op school",
            title_fr="Table ronde : le bien-être à l'école",
            title_en="Roundtable: well-being at school",
            description_nl=(
                "Onderzoekers, beleidsmakers en mensen uit de praktijk bespreken wat kinderen "
                "en jongeren ons vertelden over hoe ze zich voelen op school."
            ),
            description_fr=(
                "Chercheurs, décideurs et praticiens discutent de ce que les enfants et les "
                "jeunes nous ont dit de leur bien-être à l'école."
            ),
            description_en=(
                "Researchers, policymakers and practitioners discuss what children and young "
                "people told us about how they feel at school."
            ),
            starts_at=_at(10, 14),
            ends_at=_at(10, 17),
            venue="Kinderrechtenhuis, Koningsstraat 10, 1000 Brussel — zaal 2",
            capacity=12,
            target_sectors=[Sector.ACADEMIC, Sector.POLICY, Sector.PRACTITIONER],
            questions=[PERSPECTIVE_QUESTION],
            status=RoundtableStatus.PUBLISHED,
        )
    with_waitlist = Roundtable.objects.filter(slug="demo-rondetafel-inspraak-op-school").first()
    if with_waitlist is None:
        with_waitlist = roundtable_create(
            campaign=campaign,
            slug="demo-rondetafel-inspraak-op-school",
            title_nl="Rondetafel: inspraak van leerlingen",
            title_fr="Table ronde : la participation des élèves",
            title_en="Roundtable: pupils having a say",
            description_nl=(
                "Hoe krijgen leerlingen echt inspraak op school? Een online gesprek met "
                "leerlingenraden, jeugdwerk en beleid."
            ),
            description_fr=(
                "Comment les élèves peuvent-ils vraiment participer à l'école ? Une rencontre "
                "en ligne avec des conseils d'élèves, le secteur jeunesse et les décideurs."
            ),
            description_en=(
                "How do pupils get a real say at school? An online conversation with pupil "
                "councils, youth work and policymakers."
            ),
            starts_at=_at(21, 10),
            ends_at=_at(21, 12),
            online_url="https://meet.example.org/inspraak-rondetafel",
            capacity=8,
            target_sectors=[Sector.YOUTH_WORK, Sector.POLICY, Sector.NGO],
            status=RoundtableStatus.PUBLISHED,
        )

    handed_in = list(experts)[:11]
    generated = _demo_experts(11 + (11 - len(handed_in)))
    _fill(almost_full, generated[:11], confirmed=11, waitlisted=0)
    _fill(with_waitlist, [*handed_in, *generated[11:]], confirmed=8, waitlisted=3)
    return [almost_full, with_waitlist]
