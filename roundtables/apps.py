from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundtablesConfig(AppConfig):
    name = "roundtables"
    verbose_name = _("Roundtables")

    def ready(self) -> None:
        from consultations.api import register_campaign_detail_section
        from roundtables.api import CampaignUpcomingRoundtablesField

        register_campaign_detail_section(
            "roundtables", lambda: CampaignUpcomingRoundtablesField(source="*", read_only=True)
        )
