from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Youth surveys")

    def ready(self) -> None:
        from consultations.api import register_campaign_detail_section
        from surveys import receivers  # noqa: F401 - connects the model signal receivers
        from surveys.api import CampaignOpenSurveysField

        register_campaign_detail_section(
            "surveys", lambda: CampaignOpenSurveysField(source="*", read_only=True)
        )
