from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("Analysis")

    def ready(self) -> None:
        from analysis import receivers  # noqa: F401 - connects the signal receivers
        from analysis.feedback_selectors import youth_results_for_receipt
        from surveys.api import register_receipt_results

        register_receipt_results(youth_results_for_receipt)
