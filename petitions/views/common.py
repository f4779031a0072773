"""Helpers shared by the casework's views."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from communities.scoping import get_scope
from core.forms import IdField
from grids.models import Household


def without_area(request):
    """Someone who serves no area (a department's staff) has no household to visit or record a
    petition for: send them home with the reason instead of a form they cannot complete."""
    scope = get_scope(request.user)
    if scope.areas or scope.is_superuser:
        return None
    messages.info(
        request,
        _("Visits and petitions are recorded by the officials of an area; your account serves "
          "none. Your department's petitions are on your home page."),
    )  # fmt: skip
    return redirect("home")


def chosen_household(request):
    """The household a form is for (POSTed, or ?household= from a household page), if the user
    may see it; otherwise None (the form itself reports a bad value)."""
    try:
        pk = IdField().clean(request.POST.get("household") or request.GET.get("household"))
    except forms.ValidationError:
        return None
    if pk is None:
        return None
    return Household.objects.visible_to(request.user).with_place().filter(pk=pk).first()


def data_and_key(form) -> tuple[dict, object]:
    """A valid form's data without its hidden idempotency key, and the key (for `saved_once`)."""
    data = dict(form.cleaned_data)
    return data, data.pop("idempotency_key", None)


def already_saved(request, *to):
    """A form sent again (AlreadyRecorded): say so and open what the first send saved."""
    messages.info(request, _("This was already saved; it was not saved twice."))
    return redirect(*to)
