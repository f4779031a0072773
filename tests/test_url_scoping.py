"""Every URL of the project, as every role of street A, with the ids of street B's objects.

No answer may be a 500, and none may carry street B's data. The URL patterns are read from the
URL conf, so a new page is walked automatically; a page without a rule below fails the test.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from communities.models import Assignment
from grids.models import Role
from jobs.models import Job
from meetings.models import Attendee, Meeting, MeetingPhoto, Topic
from petitions.models import (
    Category,
    Notification,
    Petition,
    PetitionPhoto,
    ThreeTrustAnswer,
    Visit,
    VisitPhoto,
)
from petitions.photos import clean_photo
from safety.models import Incident, PoliceDay, Turnout, TurnoutPhoto
from tests import factories as f
from tests.petitions.test_photos import image_file

FOREIGN_MARKERS = ("河西社区", "张琳", "滨河花园", "13900001111")
ROLES = ["street_a_staff", "community_staff", "grid_worker", "department_staff", "outsider"]


def url_names():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/"):
                    continue  # the admin: organizers only, tested in tests/grids/test_admin.py
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return sorted(set(walk(get_resolver().url_patterns)))


@pytest.fixture
def foreign(grid_b1, grid_worker, casework_defaults):
    """Street B's objects: a compound, unit, household with a resident, a role, a visit, a photo."""
    compound = f.make_compound(grid_b1.community, name="滨河花园")
    building = f.make_building(compound, grid_b1, name="1号楼")
    unit = f.make_unit(building, name="1单元")
    household = f.make_household(grid_b1, unit=unit, room="101")
    resident = f.make_resident(household, name="张琳", phone="13900001111")
    role = Role.objects.create(
        kind="unit_head", resident=resident, community=grid_b1.community, grid=grid_b1, unit=unit,
        start_date="2025-01-01",
    )  # fmt: skip
    visit = Visit.objects.create(
        household=household, grid=grid_b1, visited_at=timezone.now(), kind="care",
        notes="张琳 独居", author=grid_worker,
    )  # fmt: skip
    photo = clean_photo(image_file())
    visit_photo = VisitPhoto.objects.create(
        visit=visit, image=photo.image, thumbnail=photo.thumbnail
    )
    petition = Petition.objects.create(
        source="visit", category=Category.objects.get(name="其他"), grid=grid_b1,
        household=household, resident=resident, description="张琳 反映滨河花园漏水",
        created_by=grid_worker,
    )  # fmt: skip
    petition_photo = PetitionPhoto.objects.create(
        petition=petition, image=photo.image, thumbnail=photo.thumbnail
    )
    street_b_day = PoliceDay.objects.create(
        date=timezone.localdate(), theme="滨河花园 警力下沉日", street=grid_b1.community.street,
        scheduled_by=grid_worker,
    )  # fmt: skip
    turnout = Turnout.objects.create(
        day=street_b_day, community=grid_b1.community, recorded_by=grid_worker, note="张琳"
    )
    Incident.objects.create(
        goal="accident", kind="fire", occurred_on=timezone.localdate(),
        community=grid_b1.community, summary="滨河花园 电动车起火", recorded_by=grid_worker,
    )  # fmt: skip
    meeting = Meeting.objects.create(
        community=grid_b1.community, kind="day", starts_at=timezone.now(),
        place="河西社区议事厅", created_by=grid_worker,
    )  # fmt: skip
    # Street B's first secretary (another unit than department_staff's) and a 三双 answer there.
    bureau = f.make_department(grid_b1.community.street.district, name="信访局")
    cadre = f.make_official("cadre_b", name="张琳", department=bureau)
    Assignment.objects.create(
        official=cadre.official, department=bureau, community=grid_b1.community,
        start_date="2025-01-01",
    )  # fmt: skip
    ThreeTrustAnswer.objects.create(
        household=household, grid=grid_b1, asked_by=cadre, visit=visit, knows=True
    )
    return {
        **foreign_dispute(grid_b1, building, resident, grid_worker, petition),
        "police_day": street_b_day, "turnout": turnout,
        "turnout_photo": TurnoutPhoto.objects.create(
            turnout=turnout, image=photo.image, thumbnail=photo.thumbnail
        ),
        "meeting": meeting,
        "topic": Topic.objects.create(
            meeting=meeting, title="滨河花园停车", petition=petition, created_by=grid_worker
        ),
        "attendee": Attendee.objects.create(
            meeting=meeting, capacity="resident", resident=resident, household=household
        ),
        "meeting_photo": MeetingPhoto.objects.create(
            meeting=meeting, image=photo.image, thumbnail=photo.thumbnail
        ),
        "department_b": bureau,
        "cadre_b": cadre.official,
        "petition": petition,
        "petition_photo": petition_photo,
        "community": grid_b1.community, "grid": grid_b1, "building": building, "unit": unit,
        "household": household, "resident": resident, "role": role, "visit": visit,
        "photo": visit_photo,
        "notification": Notification.objects.create(
            user=f.make_official("grid_b", areas=[grid_b1]), petition=petition, kind="assigned"
        ),
    }  # fmt: skip


def foreign_dispute(grid_b1, building, resident, grid_worker, petition):
    """Street B's dispute: 张琳 against a neighbour, agreed, with a scan and a notification."""
    from disputes.defaults import ensure_kinds
    from disputes.models import Dispute, DisputeKind, DisputeNotification, DisputePhoto
    from disputes.services.intake import PartyData, open_dispute

    ensure_kinds(DisputeKind)
    dispute = open_dispute(
        by=grid_worker, kind=DisputeKind.objects.get(name="邻里纠纷"), found_by="wechat",
        description="张琳 滨河花园 邻里纠纷", grid=grid_b1, building=building, petition=petition,
        parties=[PartyData("applicant", resident=resident),
                 PartyData("respondent", name="张琳邻居", phone="13900001111")],
    )  # fmt: skip
    Dispute.objects.filter(pk=dispute.pk).update(
        status="agreed", agreed_at=timezone.now(), agreement_terms="张琳 赔偿"
    )
    photo = clean_photo(image_file())
    return {
        "dispute": dispute, "party": dispute.parties.get(side="applicant"),
        "dispute_photo": DisputePhoto.objects.create(
            dispute=dispute, image=photo.image, thumbnail=photo.thumbnail),
        "dispute_notification": DisputeNotification.objects.create(
            user=f.make_official("grid_b_disputes", areas=[grid_b1]), dispute=dispute,
            kind="escalated"),
    }  # fmt: skip


def foreign_job(o):
    """An export job of a street B official, its title and file naming street B's resident."""
    if "job" not in o:
        book = Workbook()
        book.active.append(["张琳", "13900001111"])
        content = io.BytesIO()
        book.save(content)
        owner = f.make_official("street_b_exporter", areas=[o["community"]])
        o["job"] = Job.objects.create(
            kind="export", title="张琳 河西社区", owner=owner, state="succeeded",
            result=ContentFile(content.getvalue(), "foreign.xlsx"), result_name="河西社区.xlsx",
        )  # fmt: skip
    return o["job"]


def foreign_activity(o):
    """Street B's patrol: a photo, a place (滨河花园车棚) checked with a finding, its team."""
    from activities.models import (
        Activity,
        ActivityPhoto,
        Finding,
        Place,
        PlaceCheck,
        ServiceTeam,
        TeamMember,
    )

    if "activity" not in o:
        team = ServiceTeam.objects.create(community=o["community"], kind="joint", name="联防联控队")
        TeamMember.objects.create(team=team, name="张琳", kind="party", is_leader=True)
        activity = Activity.objects.create(
            kind="patrol",
            title="河西社区红马甲巡查",
            community=o["community"],
            grid=o["grid"],
            team=team,
            held_on=timezone.localdate(),
            participants=8,
            what_was_done="张琳 带队",
            created_by=o["petition"].created_by,
        )
        place = Place.objects.create(
            grid=o["grid"],
            kind="charging",
            name="滨河花园车棚",
            building=o["building"],
            responsible_person="张琳",
            responsible_phone="13900001111",
        )
        PlaceCheck.objects.create(activity=activity, place=place, result="problems")
        Finding.objects.create(activity=activity, place=place, petition=o["petition"])
        photo = clean_photo(image_file())
        o["activity_photo"] = ActivityPhoto.objects.create(
            activity=activity, image=photo.image, thumbnail=photo.thumbnail
        )
        o.update(activity=activity, place=place, team=team)
    return o["activity"]


def _in_foreign_community(o):
    foreign_activity(o)
    return f"?community={o['community'].pk}"


# name -> (method, kwargs from the foreign objects, query string)
URL_RULES = {
    "home": ("get", lambda o: {}, ""),
    "healthz": ("get", lambda o: {}, ""),
    "login": ("get", lambda o: {}, ""),
    "logout": ("post", lambda o: {}, ""),
    "password_change": ("get", lambda o: {}, ""),
    "password_change_done": ("get", lambda o: {}, ""),
    "set_language": ("post", lambda o: {}, ""),
    "grids:area_list": ("get", lambda o: {}, ""),
    "grids:community": ("get", lambda o: {"pk": o["community"].pk}, ""),
    "grids:community_export": ("get", lambda o: {"pk": o["community"].pk}, ""),
    "grids:roster_export": ("get", lambda o: {"pk": o["community"].pk}, ""),
    "grids:grid": ("get", lambda o: {"pk": o["grid"].pk}, ""),
    "grids:grid_export": ("get", lambda o: {"pk": o["grid"].pk}, ""),
    "grids:role_appoint": (
        "get",
        lambda o: {"grid_pk": o["grid"].pk},
        lambda o: f"?kind=unit_head&place={o['unit'].pk}",
    ),  # fmt: skip
    "grids:role_end": ("post", lambda o: {"pk": o["role"].pk}, ""),
    "grids:building": ("get", lambda o: {"pk": o["building"].pk}, ""),
    "grids:household": ("get", lambda o: {"pk": o["household"].pk}, ""),
    "grids:resident_search": ("get", lambda o: {}, "?q=张"),
    "grids:resident_reveal": ("post", lambda o: {"pk": o["resident"].pk, "field": "phone"}, ""),
    "petitions:visit_create": ("get", lambda o: {}, lambda o: f"?household={o['household'].pk}"),
    "petitions:household_picker": ("get", lambda o: {}, "?q=张"),
    "petitions:household_panel": ("get", lambda o: {"pk": o["household"].pk}, ""),
    "petitions:co_visitor_choices": (
        "get",
        lambda o: {},
        lambda o: f"?household={o['household'].pk}",
    ),  # fmt: skip
    "cadres:list": ("get", lambda o: {}, ""),
    "cadres:export": ("get", lambda o: {}, ""),
    "cadres:unit": ("get", lambda o: {"pk": o["department_b"].pk}, ""),
    "cadres:cadre": ("get", lambda o: {"pk": o["cadre_b"].pk}, ""),
    "cadres:three_trusts": ("get", lambda o: {}, ""),
    "petitions:my_visits": ("get", lambda o: {}, ""),
    "petitions:coverage": ("get", lambda o: {}, ""),
    "petitions:care_visits_due": ("get", lambda o: {}, ""),
    "petitions:visit_ledger": ("get", lambda o: {}, ""),
    "petitions:visit_detail": ("get", lambda o: {"pk": o["visit"].pk}, ""),
    "petitions:visit_correct": ("get", lambda o: {"pk": o["visit"].pk}, ""),
    "petitions:visit_photo": ("get", lambda o: {"pk": o["photo"].pk, "size": "full"}, ""),
    "petitions:petition_photo": (
        "get",
        lambda o: {"pk": o["petition_photo"].pk, "size": "thumb"},
        "",
    ),
    "petitions:list": ("get", lambda o: {}, ""),
    "petitions:inbox": ("get", lambda o: {}, ""),
    "petitions:rankings": ("get", lambda o: {}, ""),
    "petitions:publish_ranking": ("post", lambda o: {}, ""),
    "petitions:weekly_report": ("get", lambda o: {}, ""),
    "petitions:inbox_read": ("post", lambda o: {}, ""),
    "petitions:notification": ("get", lambda o: {"pk": o["notification"].pk}, ""),
    "petitions:ledger": ("get", lambda o: {}, ""),
    "petitions:district_ledger": ("get", lambda o: {}, "?department=1&state=open"),
    "petitions:create": ("get", lambda o: {}, lambda o: f"?household={o['household'].pk}"),
    "petitions:detail": ("get", lambda o: {"pk": o["petition"].pk}, ""),
    "petitions:act": ("post", lambda o: {"pk": o["petition"].pk, "action": "accept"}, ""),
    "jobs:detail": ("get", lambda o: {"pk": foreign_job(o).pk}, ""),
    "jobs:progress": ("get", lambda o: {"pk": foreign_job(o).pk}, ""),
    "jobs:download": ("get", lambda o: {"pk": foreign_job(o).pk}, ""),
    "jobs:list": ("get", lambda o: foreign_job(o) and {}, ""),  # street B's job exists
    "disputes:list": ("get", lambda o: {}, ""),
    "disputes:create": ("get", lambda o: {}, lambda o: f"?petition={o['petition'].pk}"),
    "disputes:detail": ("get", lambda o: {"pk": o["dispute"].pk}, ""),
    "disputes:agreement": ("get", lambda o: {"pk": o["dispute"].pk}, ""),
    "disputes:party_reveal": ("post", lambda o: {"pk": o["party"].pk}, ""),
    "disputes:notification": ("get", lambda o: {"pk": o["dispute_notification"].pk}, ""),
    "disputes:photo": ("get", lambda o: {"pk": o["dispute_photo"].pk, "size": "full"}, ""),
    "disputes:act": ("post", lambda o: {"pk": o["dispute"].pk, "action": "follow_up"}, ""),
    "disputes:report": ("get", lambda o: {}, lambda o: f"?community={o['community'].pk}"),
    "disputes:report_xlsx": ("get", lambda o: {}, lambda o: f"?community={o['community'].pk}"),
    "petitions:track": ("get", lambda o: {}, lambda o: f"?code={o['petition'].tracking_code}"),
    "safety:police_days": ("get", lambda o: {}, "?period=this_year"),
    "safety:police_day_create": ("get", lambda o: {}, ""),
    "safety:police_day": ("get", lambda o: {"pk": o["police_day"].pk}, ""),
    "safety:turnout_record": (
        "get",
        lambda o: {"pk": o["police_day"].pk, "community_pk": o["community"].pk},
        "",
    ),  # fmt: skip
    "safety:turnout_photo": ("get", lambda o: {"pk": o["turnout_photo"].pk, "size": "full"}, ""),
    "safety:three_zeros": ("get", lambda o: {}, ""),
    "safety:incidents": ("get", lambda o: {}, lambda o: f"?community={o['community'].pk}"),
    "safety:incident_create": ("get", lambda o: {}, ""),
    "meetings:list": ("get", lambda o: {}, ""),
    "meetings:ledger": ("get", lambda o: {}, ""),
    "meetings:create": ("get", lambda o: {}, ""),
    "meetings:schedule": ("get", lambda o: {}, ""),
    "meetings:detail": ("get", lambda o: {"pk": o["meeting"].pk}, ""),
    "meetings:minutes": ("get", lambda o: {"pk": o["meeting"].pk}, ""),
    "meetings:attendees": ("get", lambda o: {"pk": o["meeting"].pk}, ""),
    "meetings:change": ("post", lambda o: {"pk": o["meeting"].pk, "action": "cancel"}, ""),
    "meetings:remove_attendee": ("post", lambda o: {"pk": o["attendee"].pk}, ""),
    "meetings:decide": ("get", lambda o: {"pk": o["topic"].pk}, ""),
    "meetings:raise_petition": ("get", lambda o: {"pk": o["topic"].pk}, ""),
    "meetings:photo": ("get", lambda o: {"pk": o["meeting_photo"].pk, "size": "full"}, ""),
    "activities:ledger": ("get", lambda o: {}, _in_foreign_community),
    "activities:ledger_export": ("get", lambda o: {}, _in_foreign_community),
    "activities:create": ("get", lambda o: {}, _in_foreign_community),
    "activities:detail": ("get", lambda o: {"pk": foreign_activity(o).pk}, ""),
    "activities:edit": ("get", lambda o: {"pk": foreign_activity(o).pk}, ""),
    "activities:add_finding": ("get", lambda o: {"pk": foreign_activity(o).pk}, ""),
    "activities:photo": (
        "get",
        lambda o: foreign_activity(o) and {"pk": o["activity_photo"].pk, "size": "full"},
        "",
    ),
    "activities:place_list": ("get", lambda o: {}, _in_foreign_community),
    "activities:place_create": ("get", lambda o: {}, ""),
    "activities:place_reveal": (
        "post",
        lambda o: foreign_activity(o) and {"pk": o["place"].pk},
        "",
    ),
    "activities:place_detail": ("get", lambda o: foreign_activity(o) and {"pk": o["place"].pk}, ""),
    "activities:team_list": ("get", lambda o: foreign_activity(o) and {}, ""),
    "activities:team_create": ("get", lambda o: {}, _in_foreign_community),
    "activities:team_detail": ("get", lambda o: foreign_activity(o) and {"pk": o["team"].pk}, ""),
}


def test_every_url_has_a_scope_rule():
    assert url_names() == sorted(URL_RULES), "add the new URL to URL_RULES with foreign ids"


def body_text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(content))
        return " ".join(str(c) for s in book for row in s.iter_rows(values_only=True) for c in row)
    if response.get("Content-Type", "").startswith("image/"):
        return "<image>"
    return content.decode("utf-8", "replace")


@pytest.mark.parametrize("role", ROLES)
def test_no_url_leaks_another_streets_data(request, client, role, foreign, community_a, grid_a1):
    user = request.getfixturevalue(role)
    for name, (method, kwargs, query) in URL_RULES.items():
        client.force_login(user)
        url = reverse(name, kwargs=kwargs(foreign)) + (query(foreign) if callable(query) else query)
        response = getattr(client, method)(url)
        assert response.status_code != 500, (role, name)
        if response.status_code == 200:
            text = body_text(response)
            assert text != "<image>", (role, name, "served another street's photo")
            leaked = [m for m in FOREIGN_MARKERS if m in text]
            assert not leaked, (role, name, leaked)


@pytest.mark.parametrize("role", ROLES)
def test_no_one_of_street_a_changes_street_bs_meeting(request, client, role, foreign):
    client.force_login(request.getfixturevalue(role))
    meeting = foreign["meeting"]
    for action in ("cancel", "add_topic", "record_minutes"):
        url = reverse("meetings:change", kwargs={"pk": meeting.pk, "action": action})
        assert (
            client.post(url, {"title": "x", "minutes": "x", "unnamed_residents": "1"}).status_code
            == 404
        )
    decide = reverse("meetings:decide", kwargs={"pk": foreign["topic"].pk})
    assert client.post(decide, {"decided_how": "consensus", "decision": "x"}).status_code == 404
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes, meeting.topics.count()) == ("scheduled", "", 1)
