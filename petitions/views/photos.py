"""Photos of visits and petitions, served only to officials who may see what they belong to
(never from a public media URL)."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from ..models import Petition, PetitionPhoto, Visit, VisitPhoto


def _photo_response(photo, size):
    file = photo.thumbnail if size == "thumb" else photo.image
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
def visit_photo(request, pk, size):
    visible = Visit.objects.visible_to(request.user)
    return _photo_response(get_object_or_404(VisitPhoto, pk=pk, visit__in=visible), size)


@require_safe
def petition_photo(request, pk, size):
    visible = Petition.objects.visible_to(request.user)
    return _photo_response(get_object_or_404(PetitionPhoto, pk=pk, petition__in=visible), size)


def photos_to_attach_again(request) -> list[str]:
    """Names of the photos a POST carried: when the form comes back with an error they must be
    attached again (a browser never refills a file input), and the page says which."""
    if request.method != "POST":
        return []
    return [upload.name[-80:] for upload in request.FILES.getlist("photos")]
