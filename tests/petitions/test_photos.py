"""Every uploaded photo goes through one door: real image, size and pixel limits, no EXIF."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from petitions.photos import MAX_BYTES, MAX_SIDE, clean_photo, clean_photos


def image_file(name="photo.jpg", size=(800, 600), fmt="JPEG", **save_kwargs):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt, **save_kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (34.0, 2.0, 10.0)  # latitude of a resident's home
    gps[3], gps[4] = "E", (113.0, 49.0, 5.0)
    return exif


def test_a_jpeg_is_accepted_re_encoded_and_thumbnailed():
    clean = clean_photo(image_file())
    image = Image.open(io.BytesIO(clean.image.read()))
    thumb = Image.open(io.BytesIO(clean.thumbnail.read()))
    assert image.format == "JPEG" and image.size == (800, 600)
    assert max(thumb.size) == 320
    assert clean.image.name.endswith(".jpg") and "photo" not in clean.image.name


def test_gps_exif_is_removed_from_the_stored_file():
    upload = image_file(exif=gps_exif().tobytes())
    assert b"PhoneMaker" in upload.read()
    upload.seek(0)
    stored = clean_photo(upload).image.read()
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_png_and_webp_are_accepted():
    clean_photo(image_file("a.png", fmt="PNG"))
    clean_photo(image_file("a.webp", fmt="WEBP"))


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain"),
        SimpleUploadedFile("fake.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100, content_type="image/jpeg"),
        SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%...", content_type="application/pdf"),
    ],
)
def test_anything_that_is_not_a_photo_is_refused(upload):
    with pytest.raises(ValidationError) as excinfo:
        clean_photo(upload)
    assert excinfo.value.code == "not_a_photo"


def test_gif_is_refused_even_though_pillow_reads_it():
    with pytest.raises(ValidationError):
        clean_photo(image_file("a.gif", fmt="GIF"))


def test_a_file_over_10_mb_is_refused():
    big = SimpleUploadedFile(
        "big.jpg", b"\xff\xd8" + b"0" * (MAX_BYTES + 1), content_type="image/jpeg"
    )
    with pytest.raises(ValidationError) as excinfo:
        clean_photo(big)
    assert excinfo.value.code == "photo_too_large"


def test_a_photo_over_40_megapixels_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, format="PNG")  # 48 MP in a few kilobytes
    upload = SimpleUploadedFile("wide.png", buffer.getvalue(), content_type="image/png")
    with pytest.raises(ValidationError) as excinfo:
        clean_photo(upload)
    assert excinfo.value.code == "photo_too_many_pixels"


def test_a_decompression_bomb_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")  # 400 MP, over Pillow's own limit
    assert buffer.tell() < 2 * 1024 * 1024
    upload = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")
    with pytest.raises(ValidationError) as excinfo:
        clean_photo(upload)
    # Refused for what it is (too many pixels), not as "not a photo".
    assert excinfo.value.code == "photo_too_many_pixels"
    assert "超过 4000 万像素" in excinfo.value.messages[0]


def test_an_image_just_over_pillows_own_limit_is_refused_for_its_pixels():
    buffer = io.BytesIO()
    Image.new("1", (10000, 10000)).save(buffer, format="PNG")  # 100 MP: Pillow only warns
    upload = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")
    with pytest.raises(ValidationError) as excinfo:
        clean_photos([upload])
    assert excinfo.value.error_list[0].code == "photo_too_many_pixels"


def test_a_large_photo_is_decoded_reduced_and_stored_at_most_max_side_long():
    for size in [(MAX_SIDE * 2 + 100, 1000), (MAX_SIDE + 100, 3000), (3000, MAX_SIDE * 3)]:
        stored = Image.open(io.BytesIO(clean_photo(image_file("big.jpg", size=size)).image.read()))
        assert MAX_SIDE // 2 <= max(stored.size) <= MAX_SIDE
    png = clean_photo(image_file("wide.png", size=(MAX_SIDE + 100, 1000), fmt="PNG"))
    assert Image.open(io.BytesIO(png.image.read())).size == (
        MAX_SIDE,
        1000 * MAX_SIDE // (MAX_SIDE + 100),
    )


def test_the_pixel_budget_of_a_request_counts_every_photo(settings):
    settings.PHOTO_PIXELS_PER_REQUEST = 1_000_000
    assert len(clean_photos([image_file(size=(800, 600))])) == 1  # 0.48 MP
    with pytest.raises(ValidationError) as excinfo:
        clean_photos([image_file(size=(800, 600)), image_file(size=(800, 700))])  # 1.04 MP
    assert excinfo.value.code == "too_many_pixels_per_request"
