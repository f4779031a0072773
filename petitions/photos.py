"""The one door for uploaded photos (visits, petitions, resolutions).

A photo must be a real JPEG, PNG or WebP image of at most 10 MB and 40 megapixels. It is decoded
with Pillow, turned upright, re-encoded as JPEG without any metadata (EXIF can carry the GPS
position of a resident's home), given a random name, and thumbnailed. Anything else is refused
with a message that says why.

The work one request may cause is bounded before anything is decoded: at most
`settings.PHOTOS_PER_RECORD` photos (9) and `settings.PHOTO_PIXELS_PER_REQUEST` pixels in all
(120 megapixels, read from the files' headers). A stored photo is at most `MAX_SIDE` pixels long;
a longer JPEG is decoded at a reduced scale (Pillow's draft mode): a 40-megapixel phone photo
costs a quarter of the time and memory it would at full size.

Files are written by `photos_stored`, before the database transaction that records their rows;
if writing fails (a full disk) or the transaction fails, every file it wrote is deleted again.
"""

from __future__ import annotations

import io
import logging
import uuid
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 4096
FORMATS = ("JPEG", "PNG", "WEBP")
THUMBNAIL_SIZE = (320, 320)
# Defaults of the settings of the same purpose (override them in settings.py if needed).
MAX_PHOTOS = 9
MAX_PIXELS_PER_REQUEST = 120_000_000

# Pillow refuses (or warns about) images over its own limit before we can read their size.
_BOMB = (Image.DecompressionBombError, Image.DecompressionBombWarning)


def max_photos() -> int:
    """Photos one visit, petition or resolution may carry."""
    return getattr(settings, "PHOTOS_PER_RECORD", MAX_PHOTOS)


def max_pixels_per_request() -> int:
    return getattr(settings, "PHOTO_PIXELS_PER_REQUEST", MAX_PIXELS_PER_REQUEST)


@dataclass
class CleanPhoto:
    image: ContentFile
    thumbnail: ContentFile


@dataclass
class StoredPhoto:
    """A photo whose files are written: the names to put in the model's file fields."""

    image: str
    thumbnail: str


class PhotoStorageError(Exception):
    """The photo files could not be written (disk full, not writable): nothing was saved."""

    message = _(
        "The photos could not be stored: the server's disk is full or cannot be written. "
        "Nothing was saved and what you typed is still here. Save again without the photos, "
        "or try later, and tell the district's system administrator."
    )


def clean_photos(uploads: Iterable, *, already: int = 0) -> list[CleanPhoto]:
    """Check the photos of one request together, then each: their number and pixels in all
    are refused before any is decoded. `already`: photos the record carries before these."""
    uploads = [u for u in uploads if u]
    limit = max_photos()
    if already + len(uploads) > limit:
        raise ValidationError(
            _("At most %(max)d photos in all; %(already)d are already attached.")
            % {"max": limit, "already": already}
            if already
            else _("At most %(max)d photos at a time.") % {"max": limit},
            code="too_many",
        )
    errors, total = [], 0
    for upload in uploads:
        try:
            total += _pixels(upload)
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    budget = max_pixels_per_request()
    if total > budget:
        raise ValidationError(
            _(
                "These photos have %(total).1f megapixels together, more than the %(max)d "
                "allowed at once: attach fewer, or smaller photos (the phone camera's standard "
                "size)."
            )
            % {"total": total / 1_000_000, "max": budget // 1_000_000},
            code="too_many_pixels_per_request",
        )
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(clean_photo(upload))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _too_many_pixels(name):
    return ValidationError(
        _("%(name)s has more than 40 megapixels.") % {"name": name}, code="photo_too_many_pixels"
    )


def _pixels(upload) -> int:
    """Width × height from the file's header (nothing decoded), after the size check."""
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
    except _BOMB:
        raise _too_many_pixels(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _not_a_photo(name) from None
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(name)
    return width * height


def _not_a_photo(name):
    return ValidationError(
        _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name}, code="not_a_photo"
    )


def clean_photo(upload) -> CleanPhoto:
    """Check and re-encode one uploaded file; raise ValidationError when it is not acceptable."""
    name = getattr(upload, "name", "") or ""
    _pixels(upload)  # size and pixel limits, with their own reasons, before decoding
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload, formats=FORMATS) as probe:
                probe.verify()
            upload.seek(0)
            with Image.open(upload, formats=FORMATS) as image:
                _reduce_while_decoding(image)
                image.load()
                upright = ImageOps.exif_transpose(image).convert("RGB")
                upright.thumbnail((MAX_SIDE, MAX_SIDE))
                upright.info = {}  # drop EXIF, ICC profile, comments: nothing is carried over
    except _BOMB:
        raise _too_many_pixels(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _not_a_photo(name) from None
    stem = uuid.uuid4().hex
    return CleanPhoto(
        image=ContentFile(_jpeg(upright), name=f"{stem}.jpg"),
        thumbnail=ContentFile(_jpeg(_thumbnail(upright)), name=f"{stem}-thumb.jpg"),
    )


def _reduce_while_decoding(image):
    """A JPEG longer than MAX_SIDE is decoded at 1/2, 1/4 or 1/8 scale, the smallest that stays
    at least MAX_SIDE / 2 long: a quarter of the memory and time, or less. (Draft mode keeps
    the EXIF orientation, applied afterwards.)"""
    width, height = image.size
    longest = max(width, height)
    if image.format == "JPEG" and longest > MAX_SIDE:
        scale = (MAX_SIDE / 2) / longest
        image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))


def _thumbnail(image):
    small = image.copy()
    small.thumbnail(THUMBNAIL_SIZE)
    return small


def _jpeg(image) -> bytes:
    buffer = io.BytesIO()
    # A fresh RGB image carries no EXIF, ICC or comments: nothing of the original file survives.
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


@contextmanager
def photos_stored(photos: Iterable[CleanPhoto], model) -> Iterator[list[StoredPhoto]]:
    """Write the photos' files for `model` (VisitPhoto, PetitionPhoto), then run the block that
    records their rows in a transaction.

    Why files first and not after the commit: a file written after the commit could fail (a full
    disk) when the rows already point at it; written first, a full disk stops everything before
    any row exists. If writing fails, the files written so far, including a partly written one,
    are deleted and PhotoStorageError is raised; if the block fails (its transaction rolled
    back), the files are deleted too. Only a worker killed inside the block can leave files
    without rows, never rows without files.
    """
    image_field = model._meta.get_field("image")
    thumbnail_field = model._meta.get_field("thumbnail")
    written: list[tuple] = []
    stored = []
    try:
        for photo in photos:
            stored.append(
                StoredPhoto(
                    image=_write(image_field, photo.image, written),
                    thumbnail=_write(thumbnail_field, photo.thumbnail, written),
                )
            )
    except BaseException as error:
        _delete(written)
        if not isinstance(error, OSError):
            raise
        logger.error("photo files could not be written: %s", error)
        raise PhotoStorageError(str(error)) from error
    try:
        yield stored
    except BaseException:
        _delete(written)
        raise


def _write(field, content, written) -> str:
    name = field.storage.get_available_name(field.generate_filename(None, content.name))
    # Listed before saving: a file left half written by a failed save is deleted as well.
    written.append((field.storage, name))
    saved = field.storage.save(name, content)
    written[-1] = (field.storage, saved)
    return saved


def _delete(written):
    for storage, name in written:
        try:
            storage.delete(name)
        except OSError as error:  # pragma: no cover - the disk refuses even a delete
            logger.error("photo file %s could not be deleted: %s", name, error)
