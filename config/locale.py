"""Which language a page speaks: Dutch first (DESIGN §4).

A visitor's own choice (the language switcher's cookie) always wins. Without one, a browser that
prefers French over Dutch gets French — Brussels and Wallonia — and everyone else gets Dutch, also
browsers set to English or another language, since the platform is Flemish.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def preferred_language(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in settings.LANGUAGE_CODES:
        return chosen
    for language, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = language.split("-")[0].lower()
        if base in ("nl", "fr"):
            return base
    return settings.LANGUAGE_CODE


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request) -> None:
        translation.activate(preferred_language(request))
        request.LANGUAGE_CODE = translation.get_language()
