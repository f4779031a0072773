"""The one door for uploaded photos (visits and petitions).

A photo must be a real JPEG, PNG or WebP image of at most 10 MB and 40 megapixels. It is decoded
with Pillow, turned upright, re-encoded as JPEG without any metadata (EXIF can carry the GPS
position of a resident's home), given a random name, and thumbnailed. Anything else is refused
with a message that says why.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP")
THUMBNAIL_SIZE = (320, 320)
MAX_PHOTOS = 9


@dataclass
class CleanPhoto:
    image: ContentFile
    thumbnail: ContentFile


def clean_photo(upload) -> CleanPhoto:
    """Check and re-encode one uploaded file; raise ValidationError when it is not acceptable."""
    name = getattr(upload, "name", "") or ""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 10 MB.") % {"name": name}, code="photo_too_large"
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own pixel limit; any bomb warning is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload, formats=FORMATS) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(
                        _("%(name)s has more than 40 megapixels.") % {"name": name},
                        code="photo_too_many_pixels",
                    )
                probe.verify()
            upload.seek(0)
            with Image.open(upload, formats=FORMATS) as image:
                image.load()
                upright = ImageOps.exif_transpose(image).convert("RGB")
                upright.info = {}  # drop EXIF, ICC profile, comments: nothing is carried over
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        raise ValidationError(
            _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name}, code="not_a_photo"
        ) from None
    stem = uuid.uuid4().hex
    return CleanPhoto(
        image=ContentFile(_jpeg(upright), name=f"{stem}.jpg"),
        thumbnail=ContentFile(_jpeg(_thumbnail(upright)), name=f"{stem}-thumb.jpg"),
    )


def _thumbnail(image):
    small = image.copy()
    small.thumbnail(THUMBNAIL_SIZE)
    return small


def _jpeg(image) -> bytes:
    buffer = io.BytesIO()
    # A fresh RGB image carries no EXIF, ICC or comments: nothing of the original file survives.
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()
