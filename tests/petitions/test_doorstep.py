"""Doorstep forms under failure: a form sent twice saves once; a full disk saves nothing, leaves
no file behind and keeps what was typed; the photos of one request are bounded."""

import errno
import io
import os
import threading
import uuid

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import connection, connections
from django.urls import reverse

from petitions.models import Petition, PetitionPhoto, Visit, VisitPhoto
from petitions.photos import PhotoStorageError, clean_photo
from petitions.services import intake as intake_services
from petitions.services.intake import AlreadyRecorded, open_petition
from petitions.services.visits import Concern, VisitRecord, correct_visit, record_visit
from tests import factories as f
from tests.petitions.test_photos import image_file
from tests.petitions.test_visits import now, post_visit


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_under(path):
    return sorted(p.name for p in path.rglob("*") if p.is_file())


def visit_record(household, drainage, **extra):
    return VisitRecord(
        household=household, visited_at=now(), kind="routine", notes="下水道的事",
        concerns=[Concern(category=drainage, description="下水管道堵塞")], **extra,
    )  # fmt: skip


# --- A form sent twice (no answer came: the worker died after the commit) -----------------------


def test_a_visit_sent_again_with_its_key_is_not_saved_twice(grid_worker, household, drainage):
    key = uuid.uuid4()
    first = record_visit(visit_record(household, drainage), by=grid_worker, key=key)
    with pytest.raises(AlreadyRecorded) as again:
        record_visit(visit_record(household, drainage), by=grid_worker, key=key)
    assert again.value.record == first
    assert Visit.objects.count() == 1 and Petition.objects.count() == 1
    # Another form (another key) is another visit.
    record_visit(visit_record(household, drainage), by=grid_worker, key=uuid.uuid4())
    assert Visit.objects.count() == 2


def test_the_database_refuses_a_twin_that_passed_the_check_at_the_same_time(
    monkeypatch,
    grid_worker,
    household,
    drainage,
):
    key = uuid.uuid4()
    first = record_visit(visit_record(household, drainage), by=grid_worker, key=key)
    real_check = intake_services.refuse_resubmission
    calls = []

    def blind_first_check(model, *args, **kwargs):
        if model is not Visit:  # the concerns' petitions, asked on the way
            return real_check(model, *args, **kwargs)
        calls.append(args)
        if len(calls) > 1:  # the check after the refused insert sees the twin
            real_check(model, *args, **kwargs)

    # saved_once (petitions.services.intake) asks before the insert and after a refused one
    monkeypatch.setattr(intake_services, "refuse_resubmission", blind_first_check)
    with pytest.raises(AlreadyRecorded) as again:
        record_visit(visit_record(household, drainage), by=grid_worker, key=key)
    assert again.value.record == first and len(calls) == 2
    assert Visit.objects.count() == 1 and Petition.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_one_visit_form_save_one_visit(request, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; the constraint path is tested above")
    worker = request.getfixturevalue("grid_worker")
    home = request.getfixturevalue("household")
    category = request.getfixturevalue("drainage")
    key = uuid.uuid4()
    barrier = threading.Barrier(2)
    results = []
    real_create = Visit.objects.create

    def create_together(**kwargs):
        barrier.wait()  # both passed the check; both insert now
        return real_create(**kwargs)

    monkeypatch.setattr(Visit.objects, "create", create_together)

    def submit():
        try:
            record_visit(visit_record(home, category), by=worker, key=key)
            results.append("saved")
        except AlreadyRecorded:
            results.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["already", "saved"]
    assert Visit.objects.count() == 1 and Petition.objects.count() == 1


def test_the_visit_form_resent_shows_the_saved_visit(client_for, grid_worker, household, drainage):
    client = client_for(grid_worker)
    page = client.get(reverse("petitions:visit_create"))
    key = page.context["form"]["idempotency_key"].value()
    assert str(key) in page.text
    assert (
        client.get(reverse("petitions:visit_create")).context["form"]["idempotency_key"].value()
        != key
    )  # every form shown gets its own key
    concern = {"concern-0-category": drainage.pk, "concern-0-description": "下水道堵塞"}
    first = post_visit(client, household, idempotency_key=key, **concern)
    again = post_visit(client, household, idempotency_key=key, **concern)
    visit = Visit.objects.get()
    assert first.url == again.url == reverse("petitions:visit_detail", args=[visit.pk])
    assert Petition.objects.count() == 1
    assert "已经保存过" in client.get(again.url).text


def test_a_petition_form_sent_again_shows_the_saved_petition(
    client_for,
    grid_worker,
    household,
    drainage,
):
    client = client_for(grid_worker)
    key = client.get(reverse("petitions:create")).context["form"]["idempotency_key"].value()
    data = {
        "source": "walk_in", "category": drainage.pk, "household": household.pk,
        "description": "楼道灯坏了", "households_affected": 1, "urgency": "normal",
        "idempotency_key": key,
    }  # fmt: skip
    first = client.post(reverse("petitions:create"), data)
    # Sent again: the first one is not offered as a "possible repeat", it is shown as saved.
    again = client.post(reverse("petitions:create"), data)
    petition = Petition.objects.get()
    assert first.url == again.url == reverse("petitions:detail", args=[petition.pk])
    assert "已经保存过" in client.get(again.url).text


def test_open_petition_with_a_used_key_raises_already_recorded(grid_worker, household, drainage):
    key = uuid.uuid4()
    kwargs = {"by": grid_worker, "source": "walk_in", "category": drainage,
              "description": "灯坏了", "household": household, "key": key}  # fmt: skip
    first = open_petition(**kwargs)
    with pytest.raises(AlreadyRecorded) as again:
        open_petition(**kwargs)
    assert again.value.record == first and Petition.objects.count() == 1


# --- A full uploads disk ------------------------------------------------------------------------


@pytest.fixture
def disk_fills_up(monkeypatch):
    """The third file written (the second photo) gets half its bytes on disk, then ENOSPC."""
    real_save = FileSystemStorage._save
    calls = []

    def save(storage, name, content):
        calls.append(name)
        if len(calls) < 3:
            return real_save(storage, name, content)
        full_path = storage.path(name)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        with open(full_path, "wb") as truncated:
            truncated.write(content.read()[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return calls


def test_a_full_disk_saves_no_visit_leaves_no_file_and_keeps_the_form(
    media,
    disk_fills_up,
    client_for,
    grid_worker,
    household,
    drainage,
):
    response = post_visit(
        client_for(grid_worker), household,
        photos=[image_file("drain.jpg"), image_file("stairs.jpg")],
        notes="老人独居，身体尚好",
        **{"concern-0-category": drainage.pk, "concern-0-description": "6号楼下水管道堵塞"},
    )  # fmt: skip
    assert response.status_code == 200
    assert len(disk_fills_up) == 3  # image + thumbnail of the first, part of the second
    assert files_under(media) == []
    assert not Visit.objects.exists() and not Petition.objects.exists()
    assert not VisitPhoto.objects.exists()
    text = response.text
    assert "磁盘已满" in text and "没有保存" in text
    assert text.index("磁盘已满") < text.index('name="notes"')  # in the banner at the top
    assert "老人独居，身体尚好" in text and "6号楼下水管道堵塞" in text  # what was typed
    assert "drain.jpg" in text and "stairs.jpg" in text  # named, to attach again


def test_a_full_disk_saves_no_petition_and_keeps_the_form(
    media,
    disk_fills_up,
    client_for,
    grid_worker,
    household,
    drainage,
):
    data = {
        "source": "walk_in", "category": drainage.pk, "household": household.pk,
        "description": "楼道灯坏了很久", "households_affected": 1, "urgency": "normal",
        "photos": [image_file("lamp.jpg"), image_file("hall.jpg")],
    }  # fmt: skip
    response = client_for(grid_worker).post(reverse("petitions:create"), data)
    assert response.status_code == 200
    assert files_under(media) == []
    assert not Petition.objects.exists() and not PetitionPhoto.objects.exists()
    assert "磁盘已满" in response.text and "楼道灯坏了很久" in response.text
    assert "lamp.jpg" in response.text


def test_files_written_for_a_visit_that_then_fails_are_deleted(
    media,
    grid_worker,
    household,
    drainage,
    grid_a2,
):
    stranger = f.make_resident(f.make_household(grid_a2))
    record = visit_record(household, drainage, photos=[clean_photo(image_file())])
    record.concerns.append(Concern(category=drainage, description="别户", resident=stranger))
    with pytest.raises(ValueError):
        record_visit(record, by=grid_worker)
    assert files_under(media) == [] and not Visit.objects.exists()


def test_a_saved_visit_has_its_photo_files(media, grid_worker, household, drainage):
    visit = record_visit(
        visit_record(household, drainage, photos=[clean_photo(image_file())]), by=grid_worker
    )
    photo = visit.photos.get()
    assert sorted(files_under(media)) == sorted(
        [photo.image.name.rsplit("/", 1)[1], photo.thumbnail.name.rsplit("/", 1)[1]]
    )
    assert photo.image.name.startswith("private/visits/")


def test_the_service_raises_photo_storage_error_when_the_disk_is_full(
    media,
    disk_fills_up,
    grid_worker,
    household,
    drainage,
):
    photos = [clean_photo(image_file()), clean_photo(image_file())]
    with pytest.raises(PhotoStorageError):
        record_visit(visit_record(household, drainage, photos=photos), by=grid_worker)
    assert files_under(media) == [] and not Visit.objects.exists()


# --- Bounded work per request -------------------------------------------------------------------


def test_photos_over_the_pixel_budget_of_a_request_are_refused_before_decoding(
    settings,
    monkeypatch,
    client_for,
    grid_worker,
    household,
):
    settings.PHOTO_PIXELS_PER_REQUEST = 1_000_000
    decoded = []
    monkeypatch.setattr("petitions.photos.clean_photo", lambda upload: decoded.append(upload))
    photos = [image_file(f"p{i}.jpg", size=(800, 600)) for i in range(3)]  # 1.44 MP in all
    response = post_visit(client_for(grid_worker), household, photos=photos)
    assert response.status_code == 200 and not Visit.objects.exists()
    assert "合计 1.4 百万像素" in response.text and "每次最多 1 百万像素" in response.text
    assert decoded == []


def test_more_photos_than_a_record_may_carry_are_refused(
    settings, client_for, grid_worker, household
):
    settings.PHOTOS_PER_RECORD = 2
    photos = [image_file(f"p{i}.jpg") for i in range(3)]
    response = post_visit(client_for(grid_worker), household, photos=photos)
    assert response.status_code == 200 and not Visit.objects.exists()
    assert "一次最多上传 2 张照片" in response.text


def test_a_correction_cannot_take_a_visit_over_its_photo_limit(
    settings,
    media,
    client_for,
    grid_worker,
    household,
):
    settings.PHOTOS_PER_RECORD = 2
    visit = record_visit(
        VisitRecord(household=household, visited_at=now(), kind="care",
                    photos=[clean_photo(image_file())]),
        by=grid_worker,
    )  # fmt: skip
    url = reverse("petitions:visit_correct", args=[visit.pk])
    response = client_for(grid_worker).post(
        url, {"kind": "care", "notes": "补充", "photos": [image_file(), image_file()]}
    )
    assert response.status_code == 200 and "已有 1 张" in response.text
    assert visit.photos.count() == 1
    with pytest.raises(Exception, match="1"):
        correct_visit(visit, by=grid_worker, kind="care", notes="",
                      photos=[clean_photo(image_file()), clean_photo(image_file())])  # fmt: skip
    assert visit.photos.count() == 1 and len(files_under(media)) == 2


def test_the_sweep_deletes_only_old_photo_files_that_no_row_refers_to(
    media, grid_worker, household, drainage
):
    import time

    from django.core.management import call_command

    visit = record_visit(
        visit_record(household, drainage, photos=[clean_photo(image_file())]), by=grid_worker
    )
    kept = visit.photos.get()
    folder = media / "private" / "visits" / "2026" / "01"
    folder.mkdir(parents=True)
    old_orphan, new_orphan = folder / "killed.jpg", folder / "in-flight.jpg"
    old_orphan.write_bytes(b"left by a killed worker")
    new_orphan.write_bytes(b"a request still running")
    two_days_ago = time.time() - 48 * 3600
    os.utime(old_orphan, (two_days_ago, two_days_ago))
    os.utime(media / kept.image.name, (two_days_ago, two_days_ago))

    call_command("sweep_photo_files", stdout=io.StringIO())
    assert not old_orphan.exists() and new_orphan.exists()
    assert (media / kept.image.name).exists() and (media / kept.thumbnail.name).exists()


def test_a_full_disk_while_resolving_resolves_nothing_leaves_no_file_and_keeps_the_form(
    media, disk_fills_up, client_for, grid_worker, household, drainage
):
    petition = open_petition(
        by=grid_worker, source="walk_in", category=drainage, description="下水管道堵塞",
        household=household,
    )  # fmt: skip
    client = client_for(grid_worker)
    url = reverse("petitions:act", args=[petition.pk, "accept"])
    client.post(url, {"version": petition.version})
    petition.refresh_from_db()
    response = client.post(
        reverse("petitions:act", args=[petition.pk, "resolve"]),
        {"version": petition.version, "what_was_done": "疏通了下水管道", "cost": "2300",
         "photos": [image_file("before.jpg"), image_file("after.jpg")]},
    )  # fmt: skip
    assert response.status_code == 400
    assert files_under(media) == []
    petition.refresh_from_db()
    assert petition.status == "accepted" and not PetitionPhoto.objects.exists()
    assert "磁盘已满" in response.text and "疏通了下水管道</textarea>" in response.text
    assert "before.jpg、after.jpg" in response.text  # named, to attach again
