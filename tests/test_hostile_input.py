"""Every GET parameter and POST field of every URL, and every id in its path, with crafted
values (huge, negative, non-numeric, unicode), as a user who may use the page: never a 500.
`_pages()` lists every URL with its fields; the forms fuzzed with arbitrary text are in
test_fuzzed_forms.py."""

import pytest
from django.urls import reverse

from grids.models import Role
from petitions.models import Category, Petition, Visit
from tests.hostile_world import (
    HUGE,
    action_data,
    activities,
    activity_data,
    build_world,
    dispute_action_data,
    short,
    visit_data,
)

# --- Every GET parameter and POST field of every URL, with crafted values ------------------------
#
# The cases are generated: the URLs from the URL conf (a new URL without an entry in PAGES fails
# `test_every_url_has_its_hostile_inputs`), the fields from the forms that parse them (their
# `base_fields`), plus the few parameters a view reads itself. Each field gets every hostile
# value in turn while the other fields keep valid values, so that the bad one gets as deep as it
# can; each request runs in a savepoint rolled back afterwards, so every request meets the same
# data. No answer may be a 500; a refused one (400, or the form again) changes nothing.

HOSTILE = [
    HUGE, "-1", "0001-01-01", "9999-12-31", "9999-12-31T23:59", "2026-02-30",
    "2026-02-30T10:00", "9999-12", "0000-01", "0000-01-01",
    "1\x00", "9" * 5_000, "长" * 10_000, "１２", "²", "\u202e1\u202c", ["1", HUGE, "abc"],
]  # fmt: skip


def _fields(*forms_):
    """The posted fields of the forms (files come apart, in request.FILES, and have their own
    tests in tests/petitions/test_photos.py)."""
    from django import forms

    return [
        name
        for form in forms_
        for name, field in form.base_fields.items()
        if not isinstance(field, forms.FileField)
    ]


def _period_fields():
    from petitions.periods import PeriodForm

    return _fields(PeriodForm)


@pytest.fixture
def fast_hashing(settings):
    """The login and password forms hash on every request: a fast hasher keeps the walk short
    (the users below are created after this, so their passwords use it too)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(fast_hashing, grid_a1, grid_worker, community_staff, casework_defaults):
    """Street A's objects every page can use (tests/hostile_world.py)."""
    return build_world(grid_a1, grid_worker, community_staff)


def _page(user, method, kwargs=lambda o: {}, base=lambda o: {}, fields=(), query=lambda o: ""):
    """One URL's hostile inputs: who asks, how, its path ids, valid values, the fields to spoil."""
    return {"user": user, "method": method, "kwargs": kwargs, "base": base,
            "fields": fields, "query": query}  # fmt: skip


def _pages():
    from django.contrib.auth.forms import PasswordChangeForm

    from activities.forms import (
        ActivityForm,
        FindingForm,
        PlaceFilters,
        PlaceForm,
        TeamForm,
    )
    from activities.forms import (
        LedgerFilters as ActivityFilters,
    )
    from core.forms import LoginForm
    from grids.forms import RoleAppointForm
    from grids.views.roles import RoleEndRequest
    from meetings.forms import (
        AgendaForm,
        AttendeesForm,
        DecisionForm,
        MeetingForm,
        MinutesForm,
        RaisePetitionForm,
        ScheduleForm,
        TopicForm,
    )  # fmt: skip
    from meetings.forms import (
        LedgerFilters as MeetingFilters,
    )
    from petitions.actions import ACTIONS
    from petitions.forms import ConcernForm, PetitionForm, VisitCorrectionForm, VisitForm
    from petitions.views.coverage import CoverageQuery
    from petitions.views.ledger import LedgerFilters
    from petitions.views.petitions import ListFilters
    from safety.forms import (
        IncidentFilters,
        IncidentForm,
        PoliceDayFilters,
        PoliceDayForm,
        TurnoutForm,
        ZerosQuery,
    )

    period = _period_fields()
    custom = lambda o: {"period": "custom", "start": "2026-10-01", "end": "2026-10-31"}  # noqa: E731
    pk = lambda key: lambda o: {"pk": o[key].pk}  # noqa: E731
    made = lambda key: lambda o: {"pk": activities(o)[key].pk}  # noqa: E731
    pages = {
        "home": _page("organizer", "get", base=custom, fields=period),
        "healthz": _page(None, "get"),
        "login": _page(None, "post", base=lambda o: {"username": "x", "password": "y"},
                       fields=[*_fields(LoginForm), "next"]),
        "logout": _page("organizer", "post", fields=["next"]),
        "password_change": _page("organizer", "post", fields=_fields(PasswordChangeForm)),
        "password_change_done": _page("organizer", "get"),
        "set_language": _page(None, "post", base=lambda o: {"language": "zh-hans", "next": "/"},
                              fields=["language", "next"]),
        "grids:area_list": _page("organizer", "get"),
        "grids:community": _page("organizer", "get", pk("community")),
        "grids:community_export": _page("organizer", "get", pk("community")),
        "grids:roster_export": _page("organizer", "get", pk("community")),
        "grids:grid": _page("organizer", "get", pk("grid")),
        "grids:grid_export": _page("organizer", "get", pk("grid")),
        "grids:role_appoint": _page(
            "community_staff", "post", lambda o: {"grid_pk": o["grid"].pk},
            base=lambda o: {"resident": o["resident"].pk, "start_date": "2026-01-01"},
            fields=["kind", "place", *_fields(RoleAppointForm)],
            query=lambda o: {"kind": "unit_head", "place": o["unit"].pk},
        ),
        "grids:role_end": _page(
            "community_staff", "post", pk("role"),
            base=lambda o: {"end_date": "2026-01-02", "grid": o["grid"].pk},
            fields=_fields(RoleEndRequest),
        ),
        "grids:building": _page("organizer", "get", pk("building")),
        "grids:household": _page("organizer", "get", pk("household")),
        "grids:resident_search": _page("organizer", "get", fields=["q"]),
        "grids:resident_reveal": _page(
            "organizer", "post", lambda o: {"pk": o["resident"].pk, "field": "phone"},
            fields=["field"],
        ),
        "petitions:visit_create": _page(
            "grid_worker", "post", base=visit_data,
            fields=[*_fields(VisitForm), *(f"concern-0-{n}" for n in _fields(ConcernForm)),
                    "concern-TOTAL_FORMS", "concern-INITIAL_FORMS", "tags_for", "tags-{resident}"],
        ),
        "petitions:household_picker": _page("grid_worker", "get", fields=["q"]),
        "petitions:household_panel": _page("grid_worker", "get", pk("household")),
        "petitions:co_visitor_choices": _page(
            "grid_worker", "get", base=lambda o: {"household": o["household"].pk},
            fields=["household"],
        ),
        "cadres:list": _page("organizer", "get", base=custom, fields=period),
        "cadres:export": _page("organizer", "get", base=custom, fields=[*period, "by"]),
        "cadres:unit": _page("organizer", "get", pk("department"), base=custom, fields=period),
        "cadres:cadre": _page("organizer", "get", pk("cadre"), base=custom, fields=period),
        "cadres:three_trusts": _page("organizer", "get", base=custom, fields=period),
        "petitions:my_visits": _page("grid_worker", "get"),
        "petitions:coverage": _page(
            "organizer", "get", base=custom, fields=[*period, *_fields(CoverageQuery)]
        ),
        "petitions:care_visits_due": _page("organizer", "get"),
        "petitions:visit_ledger": _page("organizer", "get", base=custom, fields=period),
        "petitions:visit_detail": _page("grid_worker", "get", pk("visit")),
        "petitions:visit_correct": _page(
            "grid_worker", "post", pk("visit"), base=lambda o: {"kind": "care", "notes": "独居"},
            fields=_fields(VisitCorrectionForm),
        ),
        "petitions:visit_photo": _page(
            "grid_worker", "get", lambda o: {"pk": o["visit_photo"].pk, "size": "full"},
                    ),
        "petitions:petition_photo": _page(
            "grid_worker", "get", lambda o: {"pk": o["petition_photo"].pk, "size": "thumb"},
                    ),
        "petitions:list": _page(
            "organizer", "get", base=custom, fields=[*period, *_fields(ListFilters)]
        ),
        "petitions:ledger": _page(
            "organizer", "get", base=custom, fields=[*period, *_fields(ListFilters)]
        ),
        "petitions:district_ledger": _page(
            "organizer", "get", fields=_fields(LedgerFilters)
        ),
        "petitions:inbox": _page("organizer", "get"),
        "petitions:inbox_read": _page("organizer", "post"),
        "petitions:rankings": _page("organizer", "get", fields=["month", "format"]),
        "petitions:publish_ranking": _page("organizer", "post", fields=["month"]),
        "petitions:weekly_report": _page("organizer", "get"),
        "petitions:create": _page(
            "grid_worker", "post",
            base=lambda o: {"source": "walk_in", "category": Category.objects.get(name="其他").pk,
                            "household": o["household"].pk, "description": "路灯不亮",
                            "households_affected": "1", "urgency": "normal", "repeat": "new"},
            fields=[*_fields(PetitionForm), "resident", "repeat"],
        ),
        "petitions:detail": _page("organizer", "get", pk("petition")),
        "petitions:track": _page(None, "get", fields=["code"]),
        "petitions:notification": _page("grid_worker", "get", pk("notification")),
        "safety:police_days": _page(
            "organizer", "get", base=custom, fields=[*period, *_fields(PoliceDayFilters)]
        ),
        "safety:police_day_create": _page(
            "organizer", "post", base=lambda o: {"date": "2026-11-01", "theme": "警力下沉日"},
            fields=_fields(PoliceDayForm),
        ),
        "safety:police_day": _page("organizer", "get", pk("police_day")),
        "safety:turnout_record": _page(
            "community_staff", "post",
            lambda o: {"pk": o["police_day"].pk, "community_pk": o["community"].pk},
            base=lambda o: {"other_officers": "2", "households_visited": "9",
                            "consultations": "1", "publicity": "0", "document_help": "0",
                            "officers": o["handler"].official.pk},
            fields=_fields(TurnoutForm),
        ),
        "safety:turnout_photo": _page(
            "community_staff", "get", lambda o: {"pk": o["turnout_photo"].pk, "size": "thumb"},
        ),
        "safety:three_zeros": _page("organizer", "get", fields=_fields(ZerosQuery)),
        "safety:incidents": _page("organizer", "get", fields=_fields(IncidentFilters)),
        "safety:incident_create": _page(
            "community_staff", "post",
            base=lambda o: {"goal": "accident", "kind": "fire", "occurred_on": "2026-11-01",
                            "community": o["community"].pk, "persons": "1",
                            "summary": "楼道起火"},
            fields=_fields(IncidentForm),
        ),
        "meetings:list": _page("community_staff", "get", fields=_fields(MeetingFilters)),
        "meetings:ledger": _page("community_staff", "get", fields=_fields(MeetingFilters)),
        "meetings:create": _page(
            "community_staff", "post",
            base=lambda o: {"community": o["community"].pk, "kind": "day",
                            "starts_at": "2026-12-01T09:00", "place": "议事厅"},
            fields=_fields(MeetingForm),
        ),
        "meetings:schedule": _page(
            "community_staff", "post",
            base=lambda o: {"community": o["community"].pk, "kind": "day", "weekday": "1",
                            "time": "09:00", "place": "议事厅"},
            fields=_fields(ScheduleForm),
        ),
        "meetings:detail": _page("community_staff", "get", pk("meeting")),
        "meetings:minutes": _page("community_staff", "get", pk("meeting")),
        "meetings:attendees": _page("community_staff", "get", pk("meeting")),
        "meetings:remove_attendee": _page("community_staff", "post", pk("attendee")),
        "meetings:decide": _page(
            "community_staff", "post", pk("topic"),
            base=lambda o: {"decided_how": "vote", "decision": "同意", "votes_for": "20",
                            "votes_against": "1", "action": "划线", "owner_name": "物业",
                            "due": "2026-12-10"},
            fields=_fields(DecisionForm),
        ),
        "meetings:raise_petition": _page(
            "community_staff", "post", pk("topic"),
            base=lambda o: {"category": Category.objects.get(name="其他").pk,
                            "building": o["building"].pk, "description": "清理堆物"},
            fields=_fields(RaisePetitionForm),
        ),
        "meetings:photo": _page(
            "community_staff", "get", lambda o: {"pk": o["meeting_photo"].pk, "size": "thumb"}
        ),
        "jobs:list": _page("grid_worker", "get"),
        "jobs:detail": _page("grid_worker", "get", pk("job")),
        "jobs:progress": _page("grid_worker", "get", pk("job")),
        "jobs:download": _page("grid_worker", "get", pk("job")),
        "activities:ledger": _page("organizer", "get", fields=_fields(ActivityFilters)),
        "activities:ledger_export": _page("organizer", "get", fields=_fields(ActivityFilters)),
        "activities:create": _page(
            "grid_worker", "post", base=activity_data,
            fields=[*_fields(ActivityForm), *(f"finding-0-{n}" for n in _fields(FindingForm)),
                    "finding-TOTAL_FORMS", "finding-INITIAL_FORMS", "community"],
            query=lambda o: {"community": o["community"].pk},
        ),
        "activities:detail": _page("grid_worker", "get", made("activity")),
        "activities:edit": _page(
            "grid_worker", "post", made("activity"), base=activity_data,
            fields=_fields(ActivityForm),
        ),
        "activities:add_finding": _page(
            "grid_worker", "post", made("activity"),
            base=lambda o: {
                "place": activities(o)["place"].pk, "description": "飞线充电", "urgency": "normal",
                "category": Category.objects.get(name="其他").pk,
            },
            fields=_fields(FindingForm),
        ),
        "activities:place_reveal": _page("grid_worker", "post", made("place")),
        "activities:photo": _page(
            "grid_worker", "get",
            lambda o: {"pk": activities(o)["activity_photo"].pk, "size": "thumb"},
        ),
        "activities:place_list": _page("organizer", "get", fields=_fields(PlaceFilters)),
        "activities:place_create": _page(
            "grid_worker", "post",
            base=lambda o: {"grid": o["grid"].pk, "kind": "shop", "name": "平价超市",
                            "responsible_phone": "13812345678"},
            fields=_fields(PlaceForm),
        ),
        "activities:place_detail": _page("grid_worker", "get", made("place")),
        "activities:team_list": _page("community_staff", "get"),
        "activities:team_create": _page(
            "community_staff", "post",
            base=lambda o: {"kind": "patrol", "name": "夜巡队", "members": "李明 民警 队长"},
            fields=[*_fields(TeamForm), "community"],
            query=lambda o: {"community": o["community"].pk},
        ),
        "activities:team_detail": _page("community_staff", "get", made("team")),
    }  # fmt: skip
    from disputes.actions import ACTIONS as DISPUTE_ACTIONS
    from disputes.forms import DisputeForm, ReportQuery
    from disputes.forms import ListFilters as DisputeFilters

    pages |= {
        "disputes:list": _page("grid_worker", "get", fields=_fields(DisputeFilters)),
        "disputes:create": _page(
            "grid_worker",
            "post",
            base=lambda o: {
                "kind": o["kind"].pk,
                "found_by": "wechat",
                "description": "噪音",
                "people_involved": "2",
                "risk": "low",
                "grid": o["grid"].pk,
                "applicant_name": "甲",
                "respondent_name": "乙",
            },
            fields=[*_fields(DisputeForm), "petition", "visit", "household"],
        ),
        "disputes:detail": _page("grid_worker", "get", pk("dispute")),
        "disputes:agreement": _page("grid_worker", "get", pk("dispute")),
        "disputes:party_reveal": _page("grid_worker", "post", pk("party")),
        "disputes:notification": _page("grid_worker", "get", pk("dispute_notification")),
        "disputes:photo": _page(
            "grid_worker", "get", lambda o: {"pk": o["dispute_photo"].pk, "size": "thumb"}
        ),
        "disputes:report": _page("community_staff", "get", fields=_fields(ReportQuery)),
        "disputes:report_xlsx": _page("community_staff", "get", fields=_fields(ReportQuery)),
    }
    for action, entry in DISPUTE_ACTIONS.items():
        pages[f"disputes:act/{action}"] = _page(
            "community_staff", "post", lambda o, a=action: {"pk": o["dispute"].pk, "action": a},
            base=dispute_action_data,
            fields=["version", *_fields(entry.form)] if action == "accept" else _fields(entry.form),
        )  # fmt: skip
    meeting_forms = {
        "add_topic": (TopicForm, lambda o: {"title": "停车难"}),
        "put_on_agenda": (AgendaForm, lambda o: {"petition": o["petition"].pk}),
        "add_attendees": (AttendeesForm, lambda o: {"capacity": "police", "name": "王警官"}),
        "record_minutes": (MinutesForm, lambda o: {"minutes": "纪要", "unnamed_residents": "3"}),
        "cancel": (None, lambda o: {}),
    }
    for action, (form, base) in meeting_forms.items():
        pages[f"meetings:change/{action}"] = _page(
            "community_staff", "post", lambda o, a=action: {"pk": o["meeting"].pk, "action": a},
            base=base, fields=_fields(form) if form else (),
        )  # fmt: skip
    for action, entry in ACTIONS.items():
        names = _fields(entry.form)
        pages[f"petitions:act/{action}"] = _page(
            "organizer", "post", lambda o, a=action: {"pk": o["petition"].pk, "action": a},
            base=action_data,
            # The version is read alike by every action: spoiled once, on the first.
            fields=["version", *names] if action == "accept" else names,
        )  # fmt: skip
    return pages


def _url_names():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/"):
                    continue  # Django's admin, for district organizers (tests/weidu/test_admin_*)
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_url_has_its_hostile_inputs():
    pages = {name.split("/")[0] for name in _pages()}
    assert _url_names() == sorted(pages), "add the new URL to _pages() with its fields"


def _fingerprint():
    """What a refused request must leave as it was."""
    from activities.models import Activity, Place, ServiceTeam
    from disputes.models import Dispute, DisputeEvent, Mediation, Party
    from meetings.models import Attendee, FollowUp, Meeting, Topic
    from petitions.models import PetitionEvent
    from safety.models import Incident, PoliceDay, Turnout

    return (
        Dispute.objects.count(), DisputeEvent.objects.count(), Party.objects.count(),
        Mediation.objects.count(),
        list(Dispute.objects.order_by("pk").values_list("pk", "status", "version")),
        Visit.objects.count(), Petition.objects.count(), PetitionEvent.objects.count(),
        PoliceDay.objects.count(), Incident.objects.count(),
        list(Turnout.objects.order_by("pk").values_list("pk", "officer_count", "recorded_at")),
        Meeting.objects.count(), Topic.objects.count(), Attendee.objects.count(),
        FollowUp.objects.count(),
        list(Meeting.objects.order_by("pk").values_list("pk", "status", "minutes")),
        list(Topic.objects.order_by("pk").values_list("pk", "decided_at")),
        Activity.objects.count(), Place.objects.count(), ServiceTeam.objects.count(),
        list(Role.objects.order_by("pk").values_list("pk", "end_date")),
        list(Petition.objects.order_by("pk").values_list("pk", "status", "version")),
    )  # fmt: skip


def _requests(page, objects):
    """(field, value, data) for every field of the page and every hostile value."""
    base = page["base"](objects)
    for field in page["fields"]:
        field = field.format(resident=objects["resident"].pk)
        for value in HOSTILE:
            yield field, value, {**base, field: value}


@pytest.mark.parametrize("name", sorted(n for n, page in _pages().items() if page["fields"]))
def test_no_field_of_any_url_gives_a_500(request, client, world, name):
    """Every hostile value in every field of the URL: never a 500; refused, nothing changed."""
    from django.db import transaction

    page = _pages()[name]
    client.raise_request_exception = False  # a 500 is collected with the others, not raised
    if page["user"]:
        client.force_login(request.getfixturevalue(page["user"]))
    url = reverse(name.split("/")[0], kwargs=page["kwargs"](world))
    query = page["query"](world)
    failures = []
    for field, value, data in _requests(page, world):
        with transaction.atomic():
            before = _fingerprint()
            if page["method"] == "get":
                response = client.get(url, data)
            else:
                spoiled_query = {**query, field: value} if field in query else query
                target = f"{url}?{_urlencode(spoiled_query)}" if query else url
                response = client.post(target, {k: v for k, v in data.items() if k not in query})
            if response.status_code >= 500:
                failures.append((field, short(value), response.status_code))
            elif (
                response.status_code in (200, 400)
                and page["method"] == "post"
                and _fingerprint() != before
            ):
                failures.append((field, short(value), "changed data, then refused"))
            transaction.set_rollback(True)
    assert not failures, failures


def _urlencode(params):
    from django.utils.http import urlencode

    return urlencode(params, doseq=True)


def test_no_path_id_of_any_url_gives_a_500(request, client, world):
    """Ids in the path past what the database holds, or in full-width or Arabic-Indic digits
    (which a regex's `\\d` matches), are a 404 like any unknown id."""
    client.raise_request_exception = False
    failures = []
    for name, page in _pages().items():
        kwargs = page["kwargs"](world)
        for key in [k for k, v in kwargs.items() if isinstance(v, int)]:
            if page["user"]:
                client.force_login(request.getfixturevalue(page["user"]))
            # A marker id in the path, then replaced: `reverse` itself refuses what the patterns do.
            marked = reverse(name.split("/")[0], kwargs={**kwargs, key: 987654321})
            for value in (HUGE, "9" * 5_000, "１２", "٣"):
                url = marked.replace("/987654321/", f"/{value}/")
                response = getattr(client, page["method"])(url)
                if response.status_code >= 500:
                    failures.append((name, key, value[:12], response.status_code))
    assert not failures, failures
