"""The objects the hostile-input walk (tests/test_hostile_input.py) runs against: street A's
household, visit, petition, dispute, meeting, police day and the rest every page can use, and
the valid form data each page's other fields keep while one field gets a hostile value."""

from communities.models import Assignment
from grids.models import Role, Tag
from petitions.models import Category, Petition, Visit
from tests import factories as f

HUGE = str(10**30)  # past any 64-bit id


def short(value):
    """A hostile value as a failure names it: its start and, when long, its length."""
    long = isinstance(value, str) and len(value) > 24
    return repr(value)[:24] + (f"… ({len(value)} characters)" if long else "")


def build_world(grid_a1, grid_worker, community_staff):
    """Street A's objects every page can use: a household with a member, a role, a visit (its
    author may still correct it), a petition and photos."""
    from django.utils import timezone

    from jobs.models import Job
    from petitions.models import Category, Notification, PetitionPhoto, VisitPhoto
    from petitions.photos import clean_photo
    from safety.models import PoliceDay, Turnout, TurnoutPhoto
    from tests.petitions.test_photos import image_file

    compound = f.make_compound(grid_a1.community, name="幸福小区")
    building = f.make_building(compound, grid_a1, name="6号楼")
    unit = f.make_unit(building, name="2单元")
    household = f.make_household(grid_a1, unit=unit, room="301")
    resident = f.make_resident(household, name="陈华", phone="13812345678")
    role = Role.objects.create(
        kind="unit_head", resident=resident, community=grid_a1.community, grid=grid_a1, unit=unit,
        start_date="2025-01-01",
    )  # fmt: skip
    visit = Visit.objects.create(
        household=household, grid=grid_a1, visited_at=timezone.now(), kind="care", notes="独居",
        author=grid_worker,
    )  # fmt: skip
    petition, other = (
        Petition.objects.create(
            source="walk_in",
            category=Category.objects.get(name="其他"),
            grid=grid_a1,
            household=household,
            resident=resident,
            description=text,
            created_by=grid_worker,
        )  # fmt: skip
        for text in ("楼道灯坏了", "楼道灯又坏了")
    )
    photo = clean_photo(image_file(size=(32, 24)))
    visit_photo = VisitPhoto.objects.create(
        visit=visit, image=photo.image, thumbnail=photo.thumbnail
    )
    petition_photo = PetitionPhoto.objects.create(
        petition=petition, image=photo.image, thumbnail=photo.thumbnail
    )
    police_day = PoliceDay.objects.create(
        date=timezone.localdate(), theme="警力下沉日", scheduled_by=community_staff
    )
    turnout = Turnout.objects.create(
        day=police_day, community=grid_a1.community, recorded_by=community_staff
    )
    meetings = meeting_objects(grid_a1.community, community_staff, photo)
    department = f.make_department(grid_a1.community.street.district, name="住建局")
    # A first secretary of the community (the cadre's page)
    cadre = f.make_official("hostile_cadre", name="马超", department=department)
    Assignment.objects.create(
        official=cadre.official, department=department, community=grid_a1.community,
        start_date="2025-01-01",
    )  # fmt: skip
    return {
        **meetings,
        **dispute_objects(household, resident, building, grid_worker, community_staff, petition),
        "police_day": police_day, "turnout": turnout,
        "turnout_photo": TurnoutPhoto.objects.create(
            turnout=turnout, image=photo.image, thumbnail=photo.thumbnail
        ),
        "community": grid_a1.community, "grid": grid_a1, "building": building, "unit": unit,
        "household": household, "resident": resident, "role": role, "visit": visit,
        "petition": petition, "other_petition": other, "visit_photo": visit_photo,
        "department": department, "cadre": cadre.official,
        "handler": grid_worker, "petition_photo": petition_photo,
        "tag": Tag.objects.order_by("pk").first(),
        "job": Job.objects.create(kind="export", title="诉求台账", owner=grid_worker,
                                  state="succeeded"),
        "notification": Notification.objects.create(user=grid_worker, petition=petition,
                                                    kind="assigned"),
    }  # fmt: skip


def dispute_objects(household, resident, building, grid_worker, community_staff, petition):
    """An accepted dispute of 6号楼 (resident against an outsider), its photo and notification."""
    from disputes.defaults import ensure_kinds
    from disputes.models import DisputeKind, DisputeNotification, DisputePhoto
    from disputes.services import transitions as dt
    from disputes.services.intake import PartyData, open_dispute
    from petitions.photos import clean_photo
    from tests.petitions.test_photos import image_file

    ensure_kinds(DisputeKind)
    dispute = open_dispute(
        by=grid_worker, kind=DisputeKind.objects.get(name="邻里纠纷"), found_by="wechat",
        description="楼上漏水", grid=household.grid, building=building, petition=petition,
        parties=[PartyData("applicant", resident=resident),
                 PartyData("respondent", name="刘某", phone="13912345678")],
    )  # fmt: skip
    dt.accept(dispute, by=community_staff)
    photo = clean_photo(image_file(size=(32, 24)))
    return {
        "dispute": dispute, "party": dispute.parties.get(side="applicant"),
        "kind": dispute.kind,
        "dispute_photo": DisputePhoto.objects.create(
            dispute=dispute, image=photo.image, thumbnail=photo.thumbnail),
        "dispute_notification": DisputeNotification.objects.create(
            user=grid_worker, dispute=dispute, kind="escalated"),
    }  # fmt: skip


def dispute_action_data(o):
    from django.utils import timezone

    return {
        "version": o["dispute"].version, "note": "已回访", "reason": "需要社区协调",
        "held_on": timezone.localdate().isoformat(), "place": "社区调解室", "outcome": "success",
        "terms": "赔偿500元", "notes": "", "role_1": "judge", "official_1": "", "name_1": "周法官",
        "route": "litigation", "body": "魏都区人民法院", "performance": "performed",
    }  # fmt: skip


def meeting_objects(community, by, photo):
    """A 议事日 of today with a topic, an attendee and a photo."""
    from django.utils import timezone

    from meetings.models import Attendee, Meeting, MeetingPhoto, Topic

    meeting = Meeting.objects.create(
        community=community, kind="day", starts_at=timezone.now(), place="议事厅", created_by=by
    )
    return {
        "meeting": meeting,
        "topic": Topic.objects.create(meeting=meeting, title="停车难", created_by=by),
        "attendee": Attendee.objects.create(meeting=meeting, capacity="police", name="王警官"),
        "meeting_photo": MeetingPhoto.objects.create(
            meeting=meeting, image=photo.image, thumbnail=photo.thumbnail
        ),
    }


def visit_data(o):
    from django.utils import timezone

    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return {
        "household": o["household"].pk, "visited_at": now,
        "kind": "routine", "notes": "", "concern-TOTAL_FORMS": "1", "concern-INITIAL_FORMS": "0",
        "concern-0-category": "", "concern-0-description": "", "concern-0-households_affected": "1",
        "concern-0-urgency": "normal", "tags_for": o["resident"].pk,
        f"tags-{o['resident'].pk}": o["tag"].pk,
    }  # fmt: skip


def action_data(o):
    """Valid values of every action field, so that a spoiled one is read after the others."""
    return {
        "version": o["petition"].version, "note": "已电话回复", "reason": "需要街道协调",
        "code": "territory", "what_was_done": "已更换灯泡", "cost": "12.50", "public_money": "0",
        "contributions": "", "satisfaction": "satisfied", "comment": "满意",
        "instruction": "三日内办结", "department": o["department"].pk, "owner": o["department"].pk,
        "assignee": o["handler"].pk, "due": "2026-12-01T10:00", "until": "2026-12-20T10:00",
        "into": o["other_petition"].tracking_code, "approve": "1", "part": "已完成",
        "target": "2026-12-31",
    }  # fmt: skip


def activities(o):
    """Street A's activity objects, made when a page first asks for them: a patrol with a
    photo, a place and a team."""
    from django.utils import timezone

    from activities.models import Activity, ActivityPhoto, Place, ServiceTeam, TeamMember
    from petitions.photos import clean_photo
    from tests.petitions.test_photos import image_file

    if "activity" not in o:
        o["place"] = Place.objects.create(grid=o["grid"], kind="charging", name="6号楼车棚")
        o["team"] = ServiceTeam.objects.create(
            community=o["community"], kind="patrol", name="巡逻队"
        )
        TeamMember.objects.create(team=o["team"], name="陈华", kind="resident", is_leader=True)
        o["activity"] = Activity.objects.create(
            kind="patrol",
            title="巡查",
            community=o["community"],
            grid=o["grid"],
            held_on=timezone.localdate(),
            what_was_done="巡查",
            created_by=o["handler"],
        )
        photo = clean_photo(image_file(size=(32, 24)))
        o["activity_photo"] = ActivityPhoto.objects.create(
            activity=o["activity"], image=photo.image, thumbnail=photo.thumbnail
        )
    return o


def activity_data(o):
    from django.utils import timezone

    activities(o)
    return {
        "kind": "patrol", "title": "红马甲巡查", "held_on": timezone.localdate().isoformat(),
        "grid": o["grid"].pk, "participants": "6", "residents_reached": "0",
        "what_was_done": "巡查楼院", "location": "6号楼", "finding-TOTAL_FORMS": "1",
        "finding-INITIAL_FORMS": "0", "finding-0-place": o["place"].pk,
        "finding-0-category": Category.objects.get(name="其他").pk,
        "finding-0-description": "飞线充电", "finding-0-urgency": "normal",
    }  # fmt: skip
