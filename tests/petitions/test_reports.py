"""Rankings (which month, who is ranked, publishing, bad months, the export), the weekly
report's week, and a department's own home."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from petitions import dashboard
from petitions.models import Petition, PetitionEvent, RankingSnapshot
from petitions.services import reporting
from petitions.views.reports import _week
from tests import clock
from tests import factories as f
from tests.petitions.test_dashboard import followed_up, petition


def month_start(months_ago, today=None):
    """The first day of the month `months_ago` months before this one."""
    first = (today or timezone.localdate()).replace(day=1)
    for _ in range(months_ago):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


def noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def followed_three_months_ago(grid_a1, grid_worker, casework_defaults):
    """One petition of 新村社区 followed up (satisfied) in the month three months back."""
    when = noon(month_start(3) + datetime.timedelta(days=9))
    p = petition(grid_a1, grid_worker, created=when - datetime.timedelta(days=5))
    followed_up(p, grid_worker, when, "satisfied")
    return p


def xlsx_rows(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return book.active


# --- which month, who is ranked ------------------------------------------------------------


def test_rankings_open_on_the_latest_month_with_follow_ups(
    client_for, street_a_staff, followed_three_months_ago
):
    page = client_for(street_a_staff).get(reverse("petitions:rankings"))
    assert page.status_code == 200
    assert f"排名 {month_start(3):%Y-%m}" in page.text
    assert "100.0%" in page.text


def test_rankings_open_on_last_month_when_nothing_was_ever_followed_up(
    client_for, street_a_staff, community_a
):
    page = client_for(street_a_staff).get(reverse("petitions:rankings"))
    assert f"排名 {month_start(1):%Y-%m}" in page.text


def test_only_areas_with_follow_ups_are_ranked(
    street_a_staff, street_a, community_a, grid_a1, grid_worker, casework_defaults
):
    for name in ("东社区", "西社区"):
        f.make_community(street_a, name=name)
    when = noon(month_start(1) + datetime.timedelta(days=3))
    followed_up(petition(grid_a1, grid_worker, created=when), grid_worker, when, "basically")
    rows = dashboard.ranking(street_a_staff, reporting.month_period(month_start(1)))
    assert [(r.name, r.rank) for r in rows] == [("新村社区", 1), ("东社区", None), ("西社区", None)]


def test_an_empty_month_ranks_nobody_and_offers_no_publishing(client_for, organizer, street_a):
    page = client_for(organizer).get(reverse("petitions:rankings"), {"month": "2026-01"})
    assert [r["rank"] for r in page.context["rows"]] == [None] and "未排名" in page.text
    assert 'action="/rankings/publish/"' not in page.text
    assert "没有诉求经过回访" in page.text


# --- publishing ------------------------------------------------------------------------------


def test_publishing_a_month_without_follow_ups_is_refused_with_the_reason(
    client_for, organizer, street_a
):
    month = month_start(2)
    response = client_for(organizer).post(
        reverse("petitions:publish_ranking"), {"month": f"{month:%Y-%m}"}, follow=True
    )
    assert "没有诉求经过回访" in response.text
    assert not RankingSnapshot.objects.exists()


def test_the_running_month_cannot_be_published(organizer, grid_a1, grid_worker, casework_defaults):
    now = timezone.now()
    followed_up(petition(grid_a1, grid_worker, created=now), grid_worker, now, "satisfied")
    with pytest.raises(reporting.ReportingError, match="尚未结束|not over"):
        reporting.publish_ranking(month=month_start(0), by=organizer)
    assert not RankingSnapshot.objects.exists()


def test_publish_ranking_keeps_the_ranked_rows(organizer, followed_three_months_ago):
    snapshot = reporting.publish_ranking(month=month_start(3), by=organizer)
    assert snapshot.parent == "district" and snapshot.published_by == organizer
    assert snapshot.rows[0]["name"] == "北大街街道" and snapshot.rows[0]["rank"] == 1
    assert snapshot.rows[0]["composite"] == pytest.approx(1.0)
    with pytest.raises(reporting.ReportingError):
        reporting.publish_ranking(month=month_start(3), by=organizer)
    assert RankingSnapshot.objects.count() == 1


def test_only_organizers_may_publish_through_the_service(street_a_staff, followed_three_months_ago):
    with pytest.raises(reporting.ReportingError):
        reporting.publish_ranking(month=month_start(3), by=street_a_staff)


# --- bad months and weeks ---------------------------------------------------------------------


BAD_MONTHS = ["9999-12", "0000-01", "garbage", "2026-13", "1999-12", "2026-1", "２０２６-01"]


@pytest.mark.parametrize("month", BAD_MONTHS)
def test_a_bad_month_answers_400_in_chinese(client_for, organizer, street_a, month):
    page = client_for(organizer).get(reverse("petitions:rankings"), {"month": month})
    assert page.status_code == 400
    assert "请选择" in page.text and "YYYY-MM" in page.text


@pytest.mark.parametrize("month", ["9999-12", "0000-01", "garbage", "", "2026-00"])
def test_publishing_a_bad_month_is_refused_in_chinese(client_for, organizer, street_a, month):
    response = client_for(organizer).post(
        reverse("petitions:publish_ranking"), {"month": month}, follow=True
    )
    assert response.status_code == 200 and "请选择" in response.text
    assert not RankingSnapshot.objects.exists()


@pytest.mark.parametrize("week", ["garbage", "9999-01-01", "1999-01-01"])
def test_a_bad_week_answers_400_in_chinese(client_for, street_a_staff, community_a, week):
    page = client_for(street_a_staff).get(reverse("petitions:weekly_report"), {"week": week})
    assert page.status_code == 400 and "请选择" in page.text


# --- the export -------------------------------------------------------------------------------


def test_ranking_export_gives_rates_as_percentages(
    client_for, street_a_staff, followed_three_months_ago
):
    export = client_for(street_a_staff).get(
        reverse("petitions:rankings"), {"month": f"{month_start(3):%Y-%m}", "format": "xlsx"}
    )
    sheet = xlsx_rows(export)
    composite = sheet["C4"]
    assert sheet["B4"].value == "新村社区"
    assert composite.value == pytest.approx(1.0) and composite.number_format == "0.0%"
    assert sheet["F4"].number_format == "0.0%" and sheet["G4"].value == 1


# --- the weekly report's week ------------------------------------------------------------------


def test_the_weekly_report_defaults_to_the_last_complete_week_even_on_a_monday():
    monday = datetime.date(2026, 11, 30)
    week = _week("", monday)
    assert (week.start, week.end) == (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))
    sunday = datetime.date(2026, 11, 29)
    assert _week("", sunday).start == datetime.date(2026, 11, 16)


def test_the_weekly_report_shows_the_chosen_week(
    client_for, street_a_staff, grid_a1, grid_worker, casework_defaults
):

    home = f.make_household(grid_a1)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 14)  # two weeks back
    f.make_visit(home, by=grid_worker, at=noon(monday + datetime.timedelta(days=2)))
    client = client_for(street_a_staff)
    chosen = client.get(reverse("petitions:weekly_report"), {"week": f"{monday:%Y-%m-%d}"})
    sunday = monday + datetime.timedelta(days=6)
    assert f"{monday:%Y-%m-%d} – {sunday:%Y-%m-%d}" in chosen.text
    assert chosen.context["figures"].visits == 1
    default = client.get(reverse("petitions:weekly_report"))
    assert default.context["figures"].visits == 0  # last week: no visit
    assert default.context["period"].start == today - datetime.timedelta(days=today.weekday() + 7)


# --- a department's home -----------------------------------------------------------------------


@pytest.fixture
def dispatched(department, grid_a1, grid_worker, department_staff, casework_defaults):
    """住建局's petitions: one overdue, one due within 24 hours, one later, one resolved on time
    and followed up (satisfied) this month, and one it returned this month."""
    now = timezone.now()
    hours = datetime.timedelta(hours=1)
    recently = clock.recently(now=now)  # "this month": the resolved one stays within it

    def dispatch(description, **fields):
        p = petition(
            grid_a1, grid_worker, created=now - 48 * hours, level="district", department=department,
            status=fields.pop("status", "accepted"), **fields,
        )  # fmt: skip
        Petition.objects.filter(pk=p.pk).update(description=description)
        return p

    dispatch("逾期的", due_at=now - 2 * hours)
    dispatch("快到期的", due_at=now + 5 * hours)
    dispatch("还早的", due_at=now + 100 * hours)
    done = dispatch("已办结", status="closed", due_at=now + 10 * hours, resolved_at=now - recently)
    followed_up(done, grid_worker, now - recently / 2, "satisfied")
    returned = petition(grid_a1, grid_worker, created=now, level="district")
    event = PetitionEvent.objects.create(
        petition=returned, actor=department_staff, action="return", to_status="new"
    )
    petition(grid_a1, grid_worker, created=now, level="district")  # not dispatched
    return event


def test_a_department_sees_its_own_home_not_the_area_dashboard(
    client_for, department_staff, dispatched
):
    page = client_for(department_staff).get("/")
    board = page.context["department"]
    assert (board["open"], board["overdue"], board["due_soon"], board["returned"]) == (3, 1, 1, 1)
    assert board["on_time"] == 1.0 and board["rates"].satisfaction == 1.0
    assert [p.description for p in board["work"]] == ["逾期的", "快到期的", "还早的"]
    assert "辖区住户" not in page.text and "5+3" not in page.text
    assert 'id="overdue-figure"' in page.text and "住建局" in page.text


def test_a_department_sees_its_place_among_the_departments(
    client_for, department_staff, district, dispatched
):
    f.make_department(district, name="教体局")
    rows = client_for(department_staff).get("/").context["department"]["department_ranking"]
    ranked = [(r.name, r.rank, r.is_own) for r in rows]
    assert ranked == [("住建局", 1, True), ("教体局", None, False)]


def test_a_department_sees_what_it_assists_but_is_rated_on_what_it_leads(
    client_for, department_staff, department, district, grid_a1, grid_worker, casework_defaults
):
    lead = f.make_department(district, name="城管局")
    now = timezone.now()
    assisted = petition(grid_a1, grid_worker, created=now, level="district", department=lead)
    assisted.assisting_departments.add(department)
    followed_up(assisted, grid_worker, now, "not")
    board = client_for(department_staff).get("/").context["department"]
    assert board["open"] == 1 and board["rates"].followed_up == 0
    ranked = {r.name: r.rank for r in board["department_ranking"]}
    assert ranked == {"城管局": 1, "住建局": None}
