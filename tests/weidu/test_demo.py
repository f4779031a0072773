"""`load_demo` builds the seed's district, is idempotent, its logins work, and its casework
tells a coherent story over six months."""

import datetime
import io
from collections import defaultdict

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone

from communities.models import Assignment, Community, Official, Street
from communities.scoping import get_scope
from grids.models import Compound, Household, Resident, Unit
from petitions import dashboard
from petitions.models import Petition, PetitionEvent, Visit
from petitions.periods import period_from
from petitions.services.transitions import deadline_for


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module inside a transaction rolled back at its end (each
    test then runs in its own savepoint, as pytest-django's `db` does)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db):
    return None


def test_demo_has_the_seeds_compound_figures(demo):
    anzhuang = Compound.objects.get(name="安装公司家属院")
    assert anzhuang.community.name == "新村社区"
    assert anzhuang.community.street.name == "北大街街道"
    assert (anzhuang.year_built, anzhuang.address) == (1971, "八一路59号")
    assert anzhuang.buildings.count() == 24
    assert Household.objects.filter(unit__building__compound=anzhuang).count() == 683
    assert Community.objects.get(name="河西社区").grids.count() == 8
    assert Street.objects.count() == 14


def test_demo_residents_are_valid(demo):
    for resident in Resident.objects.order_by("?")[:200]:
        resident.full_clean()


def test_loading_the_demo_twice_changes_nothing(demo):
    models = (Community, Compound, Unit, Household, Resident, Official, Visit, Petition)
    counts = [m.objects.count() for m in models]
    call_command("load_demo", stdout=io.StringIO())
    assert [m.objects.count() for m in models] == counts


@pytest.mark.parametrize(
    ("username", "scope_label"),
    [
        ("organizer", "魏都区"),
        ("street", "北大街街道"),
        ("community", "北大街街道 · 新村社区"),
        ("grid", "北大街街道 · 新村社区 · 第1网格"),
        ("department", "住建局"),
    ],
)
def test_each_demo_login_works_and_serves_its_area(demo, username, scope_label):
    request = RequestFactory().post("/accounts/login/")
    user = authenticate(request, username=username, password="weidu-demo")
    assert user is not None
    assert get_scope(user).label == scope_label


def test_demo_first_secretaries_are_current(demo):
    bax = Assignment.objects.current().get(community__name="八西社区")
    assert (bax.official.name, bax.department.name) == ("菅广宇", "区委办")


def test_demo_petitions_tell_the_pages_stories(demo):
    from petitions.models import Petition

    drain = Petition.objects.get(description__startswith="6号楼下水管道堵塞")
    assert drain.status == "closed" and drain.contributions.count() == 23
    square = Petition.objects.get(description__contains="私自种菜")
    assert (square.level, square.department.name, square.status) == ("district", "教体局", "closed")
    assert [d.name for d in square.assisting_departments.all()] == ["园林中心"]
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert {"new", "accepted", "in_progress", "resolved", "followed_up", "closed"} <= statuses
    assert any(p.is_overdue() for p in Petition.objects.all())


# A word each petition's text must contain for its category (its subject, in the resident's words).
KEYWORDS = {
    "物业管理": ("物业", "门禁"),
    "环境卫生": ("垃圾", "卫生", "杂物堆放"),
    "排水防涝": ("下水", "渗水", "积水", "雨水"),
    "停车管理": ("停车", "乱停"),
    "飞线充电及充电桩": ("充电",),
    "亮化绿化": ("灯", "绿化", "树木"),
    "老旧小区改造": ("老旧小区改造", "漏雨", "防水"),
    "占用公共空间": ("种菜", "堆放杂物", "消防通道"),
    "邻里纠纷": ("邻居", "邻里"),
    "治安安全": ("监控", "被盗"),
    "食品安全": ("食品", "熟食"),
    "其他": ("咨询",),
}


def test_every_demo_petitions_text_is_about_its_category(demo):
    for petition in Petition.objects.select_related("category"):
        words = KEYWORDS[petition.category.name]
        assert any(w in petition.description for w in words), (
            f"{petition.category.name} · {petition.description}"
        )


def test_no_petition_event_predates_its_petition_or_lies_in_the_future(demo):
    now = timezone.now()
    for event in PetitionEvent.objects.select_related("petition"):
        assert event.petition.created_at <= event.at <= now, (event.action, event.petition)
    for petition in Petition.objects.prefetch_related("events"):
        moments = [e.at for e in petition.events.all()]
        assert moments == sorted(moments)


def test_petition_dates_agree_with_statuses_and_deadlines_count_working_days(demo):
    for p in Petition.objects.select_related("category"):
        if p.status == "new":
            assert p.accepted_at is None and p.due_at is None
        else:
            assert p.created_at <= p.accepted_at
            # The deadline is the rule's working days from acceptance at the current level.
            assert (p.due_at, p.respond_by) == deadline_for(p, p.accepted_at)
        if p.status in ("resolved", "followed_up", "closed"):
            assert p.accepted_at <= p.resolved_at
        if p.status == "closed":
            assert p.resolved_at <= p.closed_at
        else:
            assert p.closed_at is None


def test_demo_petitions_and_visits_spread_over_six_months(demo):
    now = timezone.now()
    six_months_ago = now - datetime.timedelta(days=183)

    def months(moments):
        return {timezone.localtime(m).strftime("%Y-%m") for m in moments}

    created = list(Petition.objects.values_list("created_at", flat=True))
    visited = list(Visit.objects.values_list("visited_at", flat=True))
    assert all(six_months_ago <= m <= now for m in created + visited)
    assert len(months(created)) >= 5
    assert len(months(visited)) >= 6
    # Registered on many days, not all "today".
    assert len({timezone.localtime(m).date() for m in created}) >= 30
    assert Visit.objects.exclude(created_at=F("visited_at")).count() == 0


def test_some_demo_petitions_are_overdue_and_some_were_resolved_late(demo):
    assert any(p.is_overdue() for p in Petition.objects.all())
    late = [p for p in Petition.objects.exclude(resolved_at=None) if p.resolved_at > p.due_at]
    on_time = [p for p in Petition.objects.exclude(resolved_at=None) if p.resolved_at <= p.due_at]
    assert late and len(on_time) > len(late)


def test_every_visit_is_credited_to_an_official_who_serves_its_grid(demo):
    by_author = defaultdict(set)
    for pk, author_id in Visit.objects.values_list("pk", "author_id"):
        by_author[author_id].add(pk)
    for author in get_user_model().objects.filter(pk__in=by_author):
        scope = get_scope(author)
        assert not scope.is_organizer and not scope.serves("street")
        visible = set(Visit.objects.visible_to(author).values_list("pk", flat=True))
        assert by_author[author.pk] <= visible, author.official.name


def test_every_community_of_the_page_has_an_official_and_hexi_has_zhang_lin(demo):
    for community in Community.objects.all():
        serving = Official.objects.filter(scopes__community=community) | Official.objects.filter(
            scopes__grid__community=community
        )
        assert serving.exists(), community.name
    hexi = Community.objects.get(name="河西社区")
    secretary = Official.objects.get(scopes__community=hexi)
    assert (secretary.name, secretary.title) == ("张琳", "河西社区党总支书记")
    assert Official.objects.filter(scopes__grid__community=hexi).count() == 8


def test_hexi_has_petitions_a_mediated_dispute_and_a_tuesday_meetings_concern(demo):
    hexi = Community.objects.get(name="河西社区")
    petitions = Petition.objects.filter(grid__community=hexi)
    assert petitions.count() >= 3
    assert petitions.filter(category__is_dispute=True, status="closed").exists()
    raised = petitions.filter(source="meeting").values_list("created_at", flat=True)
    assert any(timezone.localtime(at).weekday() == 1 for at in raised)  # its 议事日 is Tuesday
    assert Visit.objects.filter(grid__community=hexi).exists()


def test_the_department_login_has_a_petition_to_work_on(demo):
    department = get_user_model().objects.get(username="department")
    working = Petition.objects.filter(
        department=department.official.department, status__in=["accepted", "in_progress"]
    )
    assert working.exists()


def test_the_organizers_charts_have_something_true_to_show(demo):
    organizer = get_user_model().objects.get(username="organizer")
    trends = dashboard.weekly_trends(organizer)
    assert sum(1 for n in trends["visits"] if n) >= 10
    assert sum(trends["received"]) and sum(trends["closed"])
    _labels, rates = dashboard.monthly_rates(organizer, months=6)
    assert sum(1 for r in rates if r.satisfaction is not None) >= 5
    last_month = period_from({"period": "last_month"})
    scored = [r for r in dashboard.ranking(organizer, last_month) if r.rates.composite is not None]
    assert scored


def test_load_demo_prints_the_address_make_run_serves(demo, monkeypatch):
    out = io.StringIO()
    call_command("load_demo", "--address", "127.0.0.1:8123", stdout=out)
    assert "Demo logins at http://127.0.0.1:8123/" in out.getvalue()
    monkeypatch.setenv("PORT", "8042")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo logins at http://127.0.0.1:8042/" in out.getvalue()


def test_every_communitys_secretary_sits_on_its_task_force(demo):
    from grids.models import Role

    for community in Community.objects.all():
        secretary = Official.objects.filter(scopes__community=community).order_by("pk").first()
        assert Role.objects.filter(kind="task_force", official=secretary).exists(), community.name


def test_demo_has_the_follow_through_chain(demo):
    from django.contrib.auth import get_user_model

    from communities.scoping import get_scope
    from petitions.models import PetitionEvent

    users = get_user_model().objects
    assert get_scope(users.get(username="zuzhibu")).collects
    assert get_scope(users.get(username="quweiban")).coordinates
    on_ledger = Petition.objects.filter(ledger_owner__name="住建局")
    assert on_ledger.count() == 2 and on_ledger.filter(ledger_signed_off_at__isnull=False).count()
    actions = set(PetitionEvent.objects.values_list("action", flat=True))
    assert {"put_on_ledger", "supervise", "instruct", "ledger_progress", "sign_off",
            "coordinate", "raise_grade"} <= actions  # fmt: skip
    coordinated = Petition.objects.get(events__action="coordinate")
    assert coordinated.level == "street" and coordinated.assisting_departments.count() == 2


def test_hexi_holds_its_tuesday_deliberation_day_and_decides_a_petition(demo):
    from meetings.models import Meeting, Topic

    days = Meeting.objects.filter(community__code="411002010001", kind="day")
    held = days.filter(status="held").order_by("-starts_at")
    assert held.count() == 4
    assert {timezone.localtime(m.starts_at).weekday() for m in days} == {1}  # every Tuesday
    assert days.filter(status="scheduled", starts_at__gt=timezone.now()).count() >= 7
    latest = held.first()
    titles = " ".join(latest.topics.values_list("title", flat=True))
    for subject in ("小区管理", "老旧小区改造", "卫生创建", "安全整治", "矛盾调解"):
        assert subject in titles
    from_petition = Topic.objects.get(meeting=latest, petition__isnull=False)
    assert from_petition.is_decided
    event = PetitionEvent.objects.get(petition=from_petition.petition, action="meeting_decision")
    assert from_petition.decision in event.note
    assert latest.attendees.filter(capacity="police").exists()
    assert latest.attendees.filter(department__name="区政府办").exists()


def test_the_police_down_days_add_up_to_the_papers_figures_from_disputes_found_on_them(demo):
    """98 officers, 202 disputes screened, 26 legal services (620, 1,280, 160 at 14/89), the
    disputes counted from the disputes recorded on the days, not typed."""
    from disputes.models import Dispute
    from safety.models import PoliceDay, Turnout
    from safety.views import _totals

    first = PoliceDay.objects.order_by("date").first()
    turnouts = Turnout.objects.filter(day__date__gte=first.date)
    totals = _totals(turnouts)
    assert (totals["officers"], totals["screened"], totals["legal_services"]) == (98, 202, 26)
    assert 180 <= totals["resolved"] < 202
    days = PoliceDay.objects.values("date")
    found = Dispute.objects.filter(found_by="police_day", created_at__date__in=days)
    assert found.count() == 202
    assert found.filter(status="closed").exists() and found.filter(status="agreed").exists()


def test_every_admin_page_of_a_demo_record_opens_for_the_organizer(demo, client):
    """Each registered model's list and its first record's page, as the district organizer (a
    meeting's page once failed on its read-only topics inline)."""
    from django.contrib import admin
    from django.urls import reverse

    client.force_login(get_user_model().objects.get(username="organizer"))
    opened = 0
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_changelist")).status_code == 200, name
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            url = reverse(f"{name}_change", args=[first.pk])
            assert client.get(url).status_code == 200, url
            opened += 1
    assert opened >= 30
