"""Template filters for showing campaign data to people, in the active language."""

from django import template
from django.utils.translation import gettext_lazy as _

from consultations.translation import localized as localized_text

register = template.Library()

# What a campaign's status means to a young person, rather than the staff's workflow name.
CAMPAIGN_STATUS_WORDS = {
    "consulting": _("Open: have your say"),
    "analysing": _("Closed: we are reading all the answers"),
    "reporting": _("We are writing down what we learned"),
    "closed": _("Finished"),
}


@register.filter
def localized(obj, field: str) -> str:
    """``{{ campaign|localized:"title" }}``: the field in the active language, with fallbacks."""
    return localized_text(obj, field)


@register.filter
def campaign_status(campaign) -> str:
    """The campaign's status in plain words."""
    words = CAMPAIGN_STATUS_WORDS.get(campaign.status)
    return str(words) if words is not None else campaign.get_status_display()
