"""Project-wide middleware: idle and old sessions end; the UI is in Chinese unless switched."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

SESSION_KEY = "_last_seen"
# When this session was signed in (seconds since the epoch): the 12 hours at most count from here.
SIGNED_IN_KEY = "_signed_in_at"
# Refresh the timestamp at most once a minute: one session write per minute of activity instead
# of one per request.
TOUCH_INTERVAL = 60


class IdleTimeoutMiddleware:
    """Log out a user idle for more than settings.SESSION_IDLE_TIMEOUT seconds, or signed in for
    more than settings.SESSION_COOKIE_AGE seconds however active.

    The idle clock is refreshed every minute, and Django's own cookie age moves with every session
    write, so neither ends an active session: the sign-in time kept in the session does. A session
    from before this rule gets its clock started at its next request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(SESSION_KEY, now)
            signed_in_at = request.session.get(SIGNED_IN_KEY, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                return _log_out(request, _("You were logged out after a period of inactivity."))
            if now - signed_in_at > settings.SESSION_COOKIE_AGE:
                return _log_out(request, _("Your session reached its maximum length."))
            if SIGNED_IN_KEY not in request.session:
                request.session[SIGNED_IN_KEY] = now
            if SESSION_KEY not in request.session or now - last_seen >= TOUCH_INTERVAL:
                request.session[SESSION_KEY] = now
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="weidu.session_clock")
def _start_session_clock(sender, request, user, **kwargs):
    """Signing in again (even over a session that is still signed in) restarts the 12 hours."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_KEY] = int(time.time())


def _log_out(request, message):
    logout(request)
    messages.info(request, message)
    return redirect_to_login(request.get_full_path())


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
