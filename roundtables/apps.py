from django.apps import AppConfig


class RoundtablesConfig(AppConfig):
    name = "roundtables"
