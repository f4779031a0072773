"""Door-to-door visits: atomic with their petitions, scoped, photos private, 24-hour corrections."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from petitions.models import Petition, PetitionEvent, Visit, VisitPhoto
from petitions.services.visits import Concern, VisitRecord, correct_visit, record_visit
from tests import factories as f
from tests.petitions.test_photos import gps_exif, image_file


def now():
    return timezone.now() - datetime.timedelta(minutes=1)


def test_visit_is_saved_with_its_petitions_and_their_first_event(grid_worker, household, drainage):
    visit = record_visit(
        VisitRecord(
            household=household, visited_at=now(), kind="routine", notes="6号楼下水道堵塞",
            concerns=[
                Concern(category=drainage, description="下水管道堵塞", households_affected=23)
            ],
        ),
        by=grid_worker,
    )  # fmt: skip
    petition = Petition.objects.get()
    assert (petition.visit, petition.household, petition.grid) == (visit, household, household.grid)
    assert (petition.source, petition.level, petition.status) == ("visit", "compound", "new")
    assert petition.building == household.unit.building
    assert len(petition.tracking_code) == 10
    assert PetitionEvent.objects.get().action == "created"


def test_household_keeps_the_date_of_its_latest_visit(grid_worker, household):
    latest = now()
    record_visit(
        VisitRecord(household=household, visited_at=latest, kind="routine"), by=grid_worker
    )
    # A visit logged late (it happened last week) does not move the date back.
    earlier = latest - datetime.timedelta(days=7)
    record_visit(VisitRecord(household=household, visited_at=earlier, kind="care"), by=grid_worker)
    household.refresh_from_db()
    assert household.last_visited_at == latest


def test_a_failing_petition_saves_no_visit(grid_worker, household, drainage, grid_a2):
    stranger = f.make_resident(f.make_household(grid_a2))
    record = VisitRecord(
        household=household, visited_at=now(), kind="routine",
        concerns=[
            Concern(category=drainage, description="好的诉求"),
            Concern(category=drainage, description="不属于本户的居民", resident=stranger),
        ],
    )  # fmt: skip
    with pytest.raises(ValueError):
        record_visit(record, by=grid_worker)
    assert not Visit.objects.exists() and not Petition.objects.exists()
    household.refresh_from_db()
    assert household.last_visited_at is None


def test_grid_worker_cannot_log_a_visit_outside_their_grid(grid_worker, grid_a2):
    elsewhere = f.make_household(grid_a2)
    with pytest.raises(PermissionDenied):
        record_visit(
            VisitRecord(household=elsewhere, visited_at=now(), kind="care"), by=grid_worker
        )
    assert not Visit.objects.exists()


def test_visit_updates_the_members_tags(grid_worker, household, casework_defaults):
    from grids.models import Tag

    chen = household.residents.get()
    alone = Tag.objects.get(name="独居老人")
    record_visit(
        VisitRecord(household=household, visited_at=now(), kind="care", tags={chen.pk: [alone]}),
        by=grid_worker,
    )
    assert list(chen.tags.all()) == [alone]


def test_only_the_author_corrects_a_visit_and_only_within_24_hours(
    grid_worker, community_staff, household
):
    visit = record_visit(
        VisitRecord(household=household, visited_at=now(), kind="routine"), by=grid_worker
    )
    correct_visit(visit, by=grid_worker, kind="care", notes="补充", photos=[])
    visit.refresh_from_db()
    assert (visit.kind, visit.notes) == ("care", "补充")
    with pytest.raises(PermissionDenied):
        correct_visit(visit, by=community_staff, kind="routine", notes="", photos=[])
    Visit.objects.filter(pk=visit.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    with pytest.raises(PermissionDenied):
        correct_visit(visit, by=grid_worker, kind="routine", notes="太晚了", photos=[])
    visit.refresh_from_db()
    assert visit.notes == "补充"


def post_visit(client, household, **extra):
    data = {
        "household": household.pk,
        "visited_at": timezone.localtime(now()).strftime("%Y-%m-%dT%H:%M"),
        "kind": "routine",
        "notes": "老人身体不错",
        "concern-TOTAL_FORMS": "1",
        "concern-INITIAL_FORMS": "0",
        "concern-MIN_NUM_FORMS": "0",
        "concern-MAX_NUM_FORMS": "10",
        "concern-0-category": "",
        "concern-0-description": "",
        "concern-0-households_affected": "1",
        "concern-0-urgency": "normal",
        **extra,
    }
    return client.post(reverse("petitions:visit_create"), data)


def test_grid_worker_records_a_visit_with_a_photo_and_a_concern(
    client_for, grid_worker, household, drainage
):
    client = client_for(grid_worker)
    assert client.get(reverse("petitions:visit_create")).status_code == 200
    photo = image_file(exif=gps_exif().tobytes())
    response = post_visit(
        client, household, photos=[photo], **{
            "concern-0-category": drainage.pk, "concern-0-description": "下水道堵塞",
            "concern-0-households_affected": "23",
        },
    )  # fmt: skip
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "petitions:visit_detail", args=[visit.pk]
    )
    assert visit.author == grid_worker and visit.photos.count() == 1
    assert Petition.objects.get().households_affected == 23
    stored = VisitPhoto.objects.get().image.read()
    assert b"PhoneMaker" not in stored


def test_an_empty_concern_row_is_ignored(client_for, grid_worker, household):
    response = post_visit(client_for(grid_worker), household)
    assert response.status_code == 302
    assert Visit.objects.count() == 1 and not Petition.objects.exists()


def test_a_non_image_upload_saves_nothing_and_says_why(
    client_for, grid_worker, household, drainage
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = post_visit(
        client_for(grid_worker), household, photos=[bad],
        **{"concern-0-category": drainage.pk, "concern-0-description": "下水道堵塞"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "不是 JPEG、PNG 或 WebP 照片" in response.text
    assert not Visit.objects.exists() and not Petition.objects.exists()


def test_household_outside_the_scope_is_refused_by_the_form(client_for, grid_worker, grid_a2):
    elsewhere = f.make_household(grid_a2)
    response = post_visit(client_for(grid_worker), elsewhere)
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_a_visit_in_the_future_is_refused(client_for, grid_worker, household):
    future = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = post_visit(client_for(grid_worker), household, visited_at=future)
    assert response.status_code == 200 and "不能晚于" in response.text
    assert not Visit.objects.exists()


@pytest.fixture
def visit_with_photo(grid_worker, household):
    from petitions.photos import clean_photo

    return record_visit(
        VisitRecord(
            household=household, visited_at=now(), kind="care", photos=[clean_photo(image_file())]
        ),
        by=grid_worker,
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("grid_worker", 200), ("community_staff", 200), ("street_a_staff", 200), ("organizer", 200),
     ("street_b_staff", 404), ("department_staff", 404), ("outsider", 404)],
)  # fmt: skip
def test_visit_page_and_photos_only_for_officials_who_may_see_the_visit(
    request, client, role, status, visit_with_photo
):
    client.force_login(request.getfixturevalue(role))
    photo = visit_with_photo.photos.get()
    assert (
        client.get(reverse("petitions:visit_detail", args=[visit_with_photo.pk])).status_code
        == status
    )
    for size in ("thumb", "full"):
        response = client.get(reverse("petitions:visit_photo", args=[photo.pk, size]))
        assert response.status_code == status
        if status == 200:
            assert response["Content-Type"] == "image/jpeg"


def test_photos_are_not_under_a_public_url(settings, visit_with_photo):
    photo = visit_with_photo.photos.get()
    assert photo.image.name.startswith("private/")
    from django.urls import resolve
    from django.urls.exceptions import Resolver404

    with pytest.raises(Resolver404):
        resolve("/" + settings.MEDIA_URL + photo.image.name)


def test_correction_page_only_for_the_author_within_24_hours(
    client_for, grid_worker, community_staff, visit_with_photo
):
    url = reverse("petitions:visit_correct", args=[visit_with_photo.pk])
    assert client_for(grid_worker).get(url).status_code == 200
    assert client_for(community_staff).get(url).status_code == 403


def test_household_page_shows_visits_and_petitions_in_one_timeline(
    client_for, community_staff, household, grid_worker, drainage
):
    record_visit(
        VisitRecord(household=household, visited_at=now(), kind="care", notes="独居老人状态良好",
                    concerns=[Concern(category=drainage, description="地下室渗水")]),
        by=grid_worker,
    )  # fmt: skip
    response = client_for(community_staff).get(reverse("grids:household", args=[household.pk]))
    assert "独居老人状态良好" in response.text and "地下室渗水" in response.text
    assert "timeline__item--visit" in response.text and "timeline__item--petition" in response.text


def test_my_visits_lists_only_mine(client_for, grid_worker, community_staff, household):
    record_visit(
        VisitRecord(household=household, visited_at=now(), kind="routine", notes="我的"),
        by=grid_worker,
    )
    record_visit(
        VisitRecord(household=household, visited_at=now(), kind="care", notes="别人的"),
        by=community_staff,
    )
    response = client_for(grid_worker).get(reverse("petitions:my_visits"))
    assert response.text.count("安装公司家属院 6号楼 2单元 301") == 1


def test_household_picker_and_panel_are_scoped(client_for, grid_worker, street_b_staff, household):
    picker = client_for(grid_worker).get(reverse("petitions:household_picker"), {"q": "301"})
    assert "安装公司家属院 6号楼 2单元 301" in picker.text
    assert (
        client_for(grid_worker)
        .get(reverse("petitions:household_panel", args=[household.pk]))
        .status_code
        == 200
    )
    assert (
        "安装公司家属院"
        not in client_for(street_b_staff)
        .get(reverse("petitions:household_picker"), {"q": "301"})
        .text
    )
    assert (
        client_for(street_b_staff)
        .get(reverse("petitions:household_panel", args=[household.pk]))
        .status_code
        == 404
    )


def test_household_picker_says_when_more_households_match_than_it_shows(
    client_for, grid_worker, grid_a1
):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    for number in range(1, 25):  # 24 buildings, each with a room 101
        unit = f.make_unit(f.make_building(compound, grid_a1, name=f"{number}号楼"), name="1单元")
        f.make_resident(f.make_household(grid_a1, unit=unit, room="101"), name=f"住户{number}")
    client = client_for(grid_worker)
    with translation.override("zh-hans"):
        many = client.get(reverse("petitions:household_picker"), {"q": "101"}).text
        one = client.get(reverse("petitions:household_picker"), {"q": "7-1-101"}).text
    assert "还有更多住户符合" in many
    assert "安装公司家属院 7号楼 1单元 101" in one and "还有更多住户符合" not in one


def test_tags_ticked_on_the_form_update_the_members(
    client_for, grid_worker, household, grid_a2, casework_defaults
):
    from grids.models import Tag

    chen = household.residents.get()
    alone, disabled = Tag.objects.get(name="独居老人"), Tag.objects.get(name="残疾")
    chen.tags.add(disabled)
    stranger = f.make_resident(f.make_household(grid_a2))
    response = post_visit(
        client_for(grid_worker), household,
        tags_for=[str(chen.pk), str(stranger.pk)],
        **{f"tags-{chen.pk}": [str(alone.pk)], f"tags-{stranger.pk}": [str(alone.pk)]},
    )  # fmt: skip
    assert response.status_code == 302
    assert list(chen.tags.all()) == [alone]  # 残疾 unticked, 独居老人 ticked
    assert not stranger.tags.exists()  # not a member of the visited household


@pytest.mark.parametrize("page", ["petitions:visit_create", "petitions:create"])
def test_a_department_is_sent_home_with_the_reason_not_given_a_form_it_cannot_fill(
    client_for, department_staff, page
):
    with translation.override("zh-hans"):
        response = client_for(department_staff).get(reverse(page), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "您的账号不分管辖区" in response.text
