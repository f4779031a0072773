"""Helpers shared by the casework's views."""

from grids.models import Household


def chosen_household(request):
    """The household a form is for (POSTed, or ?household= from a household page), if the user
    may see it; otherwise None."""
    pk = request.POST.get("household") or request.GET.get("household")
    if not (pk and str(pk).isdigit()):
        return None
    return Household.objects.visible_to(request.user).with_place().filter(pk=pk).first()
