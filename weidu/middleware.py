"""Project-wide middleware: idle sessions end; the UI language is Chinese unless switched."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

SESSION_KEY = "_last_seen"
# Refresh the timestamp at most once a minute: one session write per minute of activity instead
# of one per request.
TOUCH_INTERVAL = 60


class IdleTimeoutMiddleware:
    """Log out a user idle for more than settings.SESSION_IDLE_TIMEOUT seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(SESSION_KEY, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, _("You were logged out after a period of inactivity."))
                return redirect_to_login(request.get_full_path())
            if SESSION_KEY not in request.session or now - last_seen >= TOUCH_INTERVAL:
                request.session[SESSION_KEY] = now
        return self.get_response(request)


class LanguageCookieMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose English with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an official whose
    browser happens to be set to English would get an English page they never asked for.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
