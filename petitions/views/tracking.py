"""The residents' page: a petition's progress by its tracking code, with no personal data.

Guessing codes is slowed per client address (core.client_address: behind the TLS proxy, the
address the proxy reports, not the proxy's own): after WRONG_CODES_ALLOWED wrong codes in
WINDOW_SECONDS, further wrong codes from that address get 429. A correct code is always answered,
even from an address over the limit, so a resident is never refused because someone else on the
same address (a shared office, a carrier's NAT) guessed wrong.

That choice lets a guesser over the limit still tell a right code from a wrong one (200 against
429). It is accepted because it buys nothing: codes are 10 characters from a 31-letter alphabet
(8 × 10^14 codes), so with 500,000 petitions a guess hits with odds of about 1 in 1.6 × 10^9 — a
million guesses find a petition with odds of 1 in 1,600 — and a hit shows only a category, a
status and the public steps, never a name, address or phone number.

The counter lives in the shared cache so every worker and app server counts together. While the
cache is down each worker process counts on its own (`_local`): a guesser then gets at most
WRONG_CODES_ALLOWED × workers wrong codes per window, still bounded, and no page fails.
"""

import threading
import time
import unicodedata
from collections import OrderedDict

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import shared_cache
from core.client_address import client_address

from ..models import Petition

WRONG_CODES_ALLOWED = 10
WINDOW_SECONDS = 600


@login_not_required
@never_cache
@require_safe
def track(request):
    """Status and public steps only: no names, addresses, notes or phone numbers."""
    code = typed_code(request.GET.get("code", ""))
    context = {"code": code}
    if code:
        petition = Petition.objects.filter(tracking_code=code).select_related("category").first()
        if petition is None:
            address = client_address(request)
            if wrong_codes(address) >= WRONG_CODES_ALLOWED:
                context["error"] = _(
                    "Too many wrong codes from this address: wait 10 minutes before trying "
                    "other codes. A correct code is still shown."
                )
                return render(request, "petitions/track.html", context, status=429)
            count_wrong_code(address)
            context["error"] = _("No petition has this code. Check it and try again.")
        else:
            context["petition"] = petition
            context["steps"] = [
                (event.at, event.action_label) for event in petition.events.filter(public=True)
            ]
    return render(request, "petitions/track.html", context)


def _key(address: str) -> str:
    return f"track-misses:{address}"


def wrong_codes(address: str) -> int:
    """Wrong codes from `address` in the current window."""
    try:
        return shared_cache.call("get", _key(address), 0)
    except shared_cache.CacheDown:
        return _local.count(address)


def count_wrong_code(address: str) -> None:
    """One more wrong code from `address`; its window starts with its first wrong code."""
    key = _key(address)
    try:
        shared_cache.call("add", key, 0, WINDOW_SECONDS)
        try:
            shared_cache.call("incr", key)
        except ValueError:  # the window ended between the two calls
            shared_cache.call("set", key, 1, WINDOW_SECONDS)
    except shared_cache.CacheDown:
        _local.add(address)


class _LocalCounter:
    """Wrong codes per address in this process, while the shared cache is down."""

    MAX_ADDRESSES = 10_000  # a flood of addresses drops the oldest windows, never grows memory

    def __init__(self):
        self._lock = threading.Lock()
        self._windows = OrderedDict()  # address -> (window start, count)

    def count(self, address: str) -> int:
        with self._lock:
            started, count = self._windows.get(address, (0.0, 0))
            return count if time.monotonic() - started < WINDOW_SECONDS else 0

    def add(self, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            started, count = self._windows.pop(address, (now, 0))
            if now - started >= WINDOW_SECONDS:
                started, count = now, 0
            self._windows[address] = (started, count + 1)
            while len(self._windows) > self.MAX_ADDRESSES:
                self._windows.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()


_local = _LocalCounter()


def typed_code(raw: str) -> str:
    """A code as residents type it: grouped as printed (EJ4J 2WNA 4M), with dashes, full-width
    or lower-case letters, it is the same code."""
    text = unicodedata.normalize("NFKC", raw[:100])
    return "".join(char for char in text if char.isascii() and char.isalnum()).upper()[:12]
