"""Recording activities: findings become petitions in the same step, all or nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities.models import Activity, ActivityPhoto, Finding, PlaceCheck, ServiceTeam
from activities.services import (
    ActivityRecord,
    FindingRecord,
    MemberRecord,
    found_team,
    record_activity,
    register_place,
)
from petitions.models import Petition, PetitionPhoto
from petitions.photos import clean_photo
from tests.petitions.test_photos import image_file


def test_a_patrols_finding_is_a_petition_located_at_its_place(patrol, shed, square):
    finding = Finding.objects.get(activity=patrol)
    petition = finding.petition
    assert petition.source == Petition.Source.PATROL
    assert petition.building == shed.building and petition.grid == shed.grid
    assert petition.description == "3号楼车棚飞线充电"
    assert petition.events.get().action == "created"
    results = dict(PlaceCheck.objects.filter(activity=patrol).values_list("place", "result"))
    assert results == {shed.pk: "problems", square.pk: "passed"}


def test_a_finding_at_a_square_is_located_by_the_grid(grid_worker, grid_a1, square, safety):
    record = ActivityRecord(
        kind="fire", title="消防检查", community=grid_a1.community, grid=grid_a1,
        held_on=timezone.localdate(), what_was_done="检查",
        findings=[FindingRecord(place=square, category=safety, description="灭火器过期",
                                photos=[clean_photo(image_file())])],
    )  # fmt: skip
    activity = record_activity(record, by=grid_worker)
    petition = activity.findings.get().petition
    assert petition.source == Petition.Source.INSPECTION
    assert petition.grid == grid_a1 and petition.building is None and petition.household is None
    assert PetitionPhoto.objects.filter(petition=petition, event__isnull=False).count() == 1


def test_a_place_of_another_community_saves_nothing(
    community_staff, grid_a1, shed, foreign_place, safety
):
    record = ActivityRecord(
        kind="patrol", title="巡查", community=grid_a1.community, held_on=timezone.localdate(),
        what_was_done="巡查", photos=[clean_photo(image_file())],
        findings=[
            FindingRecord(place=shed, category=safety, description="飞线充电"),
            FindingRecord(place=foreign_place, category=safety, description="油烟"),
        ],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        record_activity(record, by=community_staff)
    assert not Activity.objects.exists() and not Petition.objects.exists()
    assert not ActivityPhoto.objects.exists()


def test_a_grid_worker_records_only_in_their_grid(grid_worker, grid_a1):
    record = ActivityRecord(
        kind="volunteer", title="清洁家园", community=grid_a1.community,
        held_on=timezone.localdate(), what_was_done="打扫",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        record_activity(record, by=grid_worker)
    assert not Activity.objects.exists()


def test_only_patrols_and_inspections_record_findings(community_staff, grid_a1, shed, safety):
    record = ActivityRecord(
        kind="law", title="普法", community=grid_a1.community, held_on=timezone.localdate(),
        what_was_done="宣讲",
        findings=[FindingRecord(place=shed, category=safety, description="飞线充电")],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        record_activity(record, by=community_staff)
    assert not Petition.objects.exists()


def test_an_activity_in_the_future_is_refused(community_staff, grid_a1):
    record = ActivityRecord(
        kind="law", title="普法", community=grid_a1.community,
        held_on=timezone.localdate() + datetime.timedelta(days=2), what_was_done="宣讲",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        record_activity(record, by=community_staff)


def test_the_same_form_saves_one_activity(community_staff, grid_a1):
    import uuid

    from activities.services import AlreadyRecorded

    key = uuid.uuid4()
    record = ActivityRecord(
        kind="law", title="普法", community=grid_a1.community, held_on=timezone.localdate(),
        what_was_done="宣讲",
    )  # fmt: skip
    first = record_activity(record, by=community_staff, key=key)
    with pytest.raises(AlreadyRecorded) as saved:
        record_activity(record, by=community_staff, key=key)
    assert saved.value.record == first and Activity.objects.count() == 1


def test_a_place_is_registered_only_in_ones_grids(grid_worker, grid_a1, grid_a2):
    place = register_place(by=grid_worker, grid=grid_a1, kind="shop", name="平价超市")
    assert place.grid == grid_a1
    with pytest.raises(PermissionDenied):
        register_place(by=grid_worker, grid=grid_a2, kind="shop", name="平价超市")
    with pytest.raises(ValidationError):
        register_place(by=grid_worker, grid=grid_a1, kind="shop", name="平价超市")


def test_a_team_has_exactly_one_leader(community_staff, community_a):
    members = [MemberRecord("张琳", "party", is_leader=True), MemberRecord("李明", "police")]
    team = found_team(
        by=community_staff, community=community_a, kind="joint", name="联防联控队",
        members=members,
    )  # fmt: skip
    assert team.members.get(is_leader=True).name == "张琳"
    with pytest.raises(ValidationError):
        found_team(
            by=community_staff, community=community_a, kind="patrol", name="巡逻队",
            members=[MemberRecord("李明", "police")],
        )  # fmt: skip
    assert ServiceTeam.objects.count() == 1


def test_a_team_of_another_street_is_refused(community_staff, community_b):
    with pytest.raises(PermissionDenied):
        found_team(
            by=community_staff, community=community_b, kind="joint", name="联防联控队",
            members=[MemberRecord("张琳", "party", is_leader=True)],
        )  # fmt: skip
