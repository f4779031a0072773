"""The residents' page: a petition's progress by its tracking code, with no personal data."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ..models import Petition

WRONG_CODES_ALLOWED = 10
WINDOW_SECONDS = 600


@login_not_required
@never_cache
@require_safe
def track(request):
    """Status and public steps only: no names, addresses, notes or phone numbers."""
    code = request.GET.get("code", "").strip().upper().replace("\x00", "")[:12]
    key = f"track-misses:{request.META.get('REMOTE_ADDR', '')}"
    context = {"code": code}
    if code:
        if cache.get(key, 0) >= WRONG_CODES_ALLOWED:
            context["error"] = _("Too many wrong codes from this address; try again in 10 minutes.")
            return render(request, "petitions/track.html", context, status=429)
        petition = Petition.objects.filter(tracking_code=code).select_related("category").first()
        if petition is None:
            cache.add(key, 0, WINDOW_SECONDS)
            cache.incr(key)
            context["error"] = _("No petition has this code. Check it and try again.")
        else:
            context["petition"] = petition
            context["steps"] = [
                (event.at, event.action_label) for event in petition.events.filter(public=True)
            ]
    return render(request, "petitions/track.html", context)
