#!/usr/bin/env python
"""Django's command-line utility for Inspraak."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - load the settings now, to report a bad value clearly
    except ImproperlyConfigured as exc:
        sys.exit(f"Inspraak is not configured correctly: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
