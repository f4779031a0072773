"""System checks of the cryptography personal numbers depend on (core/pii_crypto.py).

Errors stop `runserver`, `migrate` and every other command: a build of OpenSSL without SM4 or
SM3, or a key of the wrong length, is refused at start rather than on the first page that
reads a phone number.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

from core.pii_crypto import key_problems, missing_algorithms


@register()
def national_algorithms(app_configs, **kwargs):
    missing = missing_algorithms()
    if not missing:
        return []
    return [
        Error(
            f"{', '.join(missing)} unavailable: the Python package 'cryptography' is missing or "
            "its OpenSSL build lacks them. Personal numbers are encrypted with SM4 and indexed "
            "with SM3, so Weidu cannot start: install 'cryptography' with an OpenSSL 3 that has "
            "the SM algorithms enabled.",
            id="weidu.E101",
        )
    ]


@register()
def pii_keys(app_configs, **kwargs):
    if missing_algorithms():
        return []
    return [Error(problem, id="weidu.E102") for problem in key_problems()]


@register(Tags.security, deploy=True)
def pii_development_keys(app_configs, **kwargs):
    development_keys, development_index_key = settings.PII_DEVELOPMENT_KEYS
    if set(settings.PII_KEYS.values()) & set(development_keys.values()) or (
        development_index_key == settings.PII_INDEX_KEY
    ):
        return [
            Error(
                "The development PII keys are in use: set PII_KEYS and PII_INDEX_KEY "
                "(README, Cryptography) before deploying.",
                id="weidu.E103",
            )
        ]
    return []


@register()
def trail_key(app_configs, **kwargs):
    key = settings.TRAIL_KEY
    if len(key) < 16:
        return [Error("TRAIL_KEY must have at least 16 bytes.", id="weidu.E104")]
    if key == settings.PII_INDEX_KEY or key in settings.PII_KEYS.values():
        return [Error("TRAIL_KEY must differ from the PII keys.", id="weidu.E104")]
    return []


@register(Tags.security, deploy=True)
def trail_development_key(app_configs, **kwargs):
    if settings.TRAIL_KEY == settings.TRAIL_DEVELOPMENT_KEY:
        return [
            Error(
                "The development TRAIL_KEY is in use: set TRAIL_KEY (README, Cryptography) "
                "before deploying.",
                id="weidu.E105",
            )
        ]
    return []
