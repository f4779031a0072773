"""The zh-hans catalogue is complete, up to date with the code, and compiled."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCES = [
    "manage.py",
    "weidu",
    "core",
    "communities",
    "grids",
    "petitions",
    "jobs",
    "templates",
    "locale",
]


def entries():
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


def test_every_marked_string_has_a_chinese_translation():
    untranslated = [e.msgid for e in entries() if not e.translated()]
    assert untranslated == []


def test_no_translation_is_fuzzy():
    assert [e.msgid for e in entries() if "fuzzy" in e.flags] == []


def test_compiled_catalogue_matches_the_source():
    with MO.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    stale = [
        e.msgid
        for e in entries()
        if not e.msgid_plural
        and (compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt else compiled.gettext(e.msgid))
        != e.msgstr
    ]
    assert stale == [], "run `make messages` to recompile locale/"


def test_catalogue_lists_every_string_marked_in_the_code(tmp_path):
    """Re-extract the strings from a copy of the code: none may be missing from django.po."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI") == "true":
            pytest.fail("gettext is missing: run scripts/ensure-system-packages.sh")
        pytest.skip("gettext is missing: run scripts/ensure-system-packages.sh")
    for name in SOURCES:
        src = ROOT / name
        dst = tmp_path / name
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(src, dst)
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    extracted = {e.msgid for e in polib.pofile(str(tmp_path / PO.relative_to(ROOT))) if e.msgid}
    committed = {e.msgid for e in entries()}
    assert sorted(extracted - committed) == [], "run `make messages` and translate the new strings"
