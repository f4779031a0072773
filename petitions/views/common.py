"""Helpers shared by the casework's views."""

from django import forms

from grids.models import Household
from weidu.forms import IdField


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
