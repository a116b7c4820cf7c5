"""Every UI string is translated: Dutch (default), French and English catalogues are complete."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["nl", "fr", "en"]
SOURCE_DIRS = [
    "accounts",
    "analysis",
    "config",
    "consultations",
    "frontend",
    "roundtables",
    "surveys",
]


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_of_the_catalogue_is_translated(language):
    po = catalogue(language)

    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]

    assert not untranslated, f"{language}: untranslated {untranslated[:20]}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    import re

    placeholder = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
    for entry in catalogue(language).translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        expected = set(placeholder.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in translations:
            assert set(placeholder.findall(text)) <= expected, (language, entry.msgid, text)


def test_the_catalogues_hold_every_string_of_the_code(tmp_path):
    """A string marked for translation but missing from the catalogues would show in English."""
    if shutil.which("xgettext") is None:
        if settings.REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but GNU gettext (xgettext) is not installed")
        pytest.skip("needs GNU gettext (xgettext)")
    for name in [*SOURCE_DIRS, "manage.py"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale" / "nl").mkdir(parents=True)
    env = dict(os.environ, DEBUG="1")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-location"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    extracted = {
        entry.msgid for entry in polib.pofile(str(tmp_path / "locale/nl/LC_MESSAGES/django.po"))
    }
    present = {entry.msgid for entry in catalogue("nl")}

    missing = sorted(extracted - present)
    assert not missing, f"run `make messages` and translate: {missing[:20]}"
