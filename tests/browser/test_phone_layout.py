"""The demo on a phone: at 360 px no page of any demo role scrolls sideways; the navigation is
one row with a 更多 menu; every chart draws what its table holds; tables open on their newest
column; rankings, the weekly report and a department's home read right on a phone and in print.

Screenshots (WEIDU_SCREENSHOTS=1): the dashboard, a petition with its actions, the weekly report
and a department's home, on a phone (390x844) and a desktop (1366x900).
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from activities.models import Activity, Place, ServiceTeam
from communities.models import Community, Department, Grid, Official
from communities.scoping import cadre_q
from disputes.models import Dispute
from grids.models import Building, Household, Resident
from jobs.models import Job
from meetings.models import Meeting, Topic
from petitions.models import Petition, PetitionPhoto, Visit, VisitPhoto
from safety.models import PoliceDay
from tests.browser.conftest import log_in, screenshot
from tests.test_url_scoping import URL_RULES

NARROW = {"width": 360, "height": 740}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
DEMO_PASSWORD = "weidu-demo"
ROLES = ["organizer", "street", "community", "grid", "department"]

# Pages that are not HTML for a browser, or change data: the URL walk in tests/test_url_scoping.py
# covers their scope. Every other GET page of URL_RULES is walked here, so a new page is too.
NOT_PAGES = {
    "healthz", "logout", "set_language", "login", "grids:community_export", "grids:roster_export",
    "grids:grid_export", "grids:role_end", "grids:resident_reveal", "petitions:visit_ledger",
    "petitions:visit_photo", "petitions:petition_photo", "petitions:ledger",
    "petitions:publish_ranking", "petitions:inbox_read", "petitions:act",
    "petitions:household_picker", "petitions:household_panel", "jobs:progress", "jobs:download",
    "disputes:act", "disputes:party_reveal", "disputes:photo", "disputes:report_xlsx",
    "disputes:notification",
    "safety:turnout_photo", "meetings:photo", "activities:photo", "activities:ledger_export",
    "cadres:export", "petitions:co_visitor_choices", "meetings:ledger",
}  # fmt: skip


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo, loaded and committed once for this module (the live server reads it from its own
    connection), and the database emptied at the module's end, as a live-server test leaves it.
    The tests only add to it (logins, a finished job per role) or count relative to what they
    find (the department's test), so they do not depend on each other's order."""
    from grids.models import Tag
    from petitions.defaults import ensure_defaults
    from petitions.models import Category, VisitFrequency

    with django_db_blocker.unblock():
        ensure_defaults(Category, Tag, VisitFrequency)
        call_command("load_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def transactional_db(demo_loaded, django_db_blocker):
    """The live server asks for `transactional_db`, which would empty the database after each
    test; here every test reads the module's demo instead (requesting `db` would do it too)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def demo(transactional_db):
    return None


def _first(queryset):
    return queryset.order_by("pk").first()


def pages_of(username):
    """Every page of the project as `username` of the demo sees it, with their own objects."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    own = {
        "community": _first(Community.objects.visible_to(user)),
        "grid": _first(Grid.objects.visible_to(user)),
        "building": _first(Building.objects.visible_to(user)),
        "household": _first(Household.objects.visible_to(user)),
        "resident": _first(Resident.objects.visible_to(user)),
        "visit": _first(Visit.objects.visible_to(user)),
        "petition": _first(Petition.objects.visible_to(user)),
        "photo": _first(VisitPhoto.objects.all()),
        "petition_photo": _first(PetitionPhoto.objects.all()),
        # A district-wide police-down day: every community may record its turnout on it.
        "police_day": _first(PoliceDay.objects.visible_to(user).filter(street=None)),
        "turnout_photo": None,
        "unit": None,
        "role": None,
        "dispute": _first(Dispute.objects.visible_to(user)),
        "party": None,
        "dispute_photo": None,
        "dispute_notification": None,
        "meeting": _first(Meeting.objects.visible_to(user)),
        "topic": _first(Topic.objects.filter(meeting__in=Meeting.objects.visible_to(user))),
        "attendee": None,
        "meeting_photo": None,
        # the user's own activities, places and teams (street B's are made only for the scope walk)
        "activity": _first(Activity.objects.visible_to(user)),
        "place": _first(Place.objects.visible_to(user)),
        "team": _first(ServiceTeam.objects.visible_to(user)),
        "activity_photo": None,
        # the user's own unit, whose page they may open (None: no unit)
        "department_b": _first(Department.objects.visible_to(user).filter(officials__user=user)),
        # a cadre whose assignment the user sees (their page)
        "cadre_b": _first(Official.objects.filter(cadre_q(user)).distinct()),
        # Opening a notification marks it read and goes on to its petition, walked above.
        "notification": None,
        # The user's own finished job: its page and the list of jobs are walked too.
        "job": Job.objects.get_or_create(
            owner=user, kind="export", title="诉求台账", defaults={"state": "succeeded"}
        )[0],
    }
    urls = []
    for name, (method, kwargs, query) in URL_RULES.items():
        if method != "get" or name in NOT_PAGES:
            continue
        try:
            args = kwargs(own)
            url = reverse(name, kwargs=args) + (query(own) if callable(query) else query)
        except (AttributeError, TypeError, NoReverseMatch):
            continue  # nothing of that kind in the user's sight (a department has no grid)
        urls.append((name, url))
    return urls


def test_every_get_page_is_walked_or_said_not_to_be_a_page():
    walked = {name for name, (method, _k, _q) in URL_RULES.items() if method == "get"}
    assert NOT_PAGES - set(URL_RULES) == set()
    assert walked - NOT_PAGES, "nothing left to walk"


STACKED_OVERFLOW = """() => [...document.querySelectorAll('.table-wrap')]
    .filter(box => box.querySelector('table.stack') && box.scrollWidth > box.clientWidth + 1)
    .map(box => `stacked table ${box.scrollWidth} > ${box.clientWidth}`)"""


@pytest.mark.parametrize("username", ROLES)
def test_no_page_scrolls_sideways_at_360_px(new_page, demo, username):
    page = new_page(NARROW)
    log_in(page, username, DEMO_PASSWORD)
    wide = []
    for name, url in pages_of(username):
        response = page.goto(url)
        assert response.status < 500, (username, name, url)
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            wide.append((name, url, width))
        # A table stacked into cards must fit its box: nothing hidden behind a sideways scroll.
        stacked = page.evaluate(STACKED_OVERFLOW)
        if stacked:
            wide.append((name, url, stacked))
    assert wide == [], f"{username}: pages wider than 360 px: {wide}"


def test_the_navigation_is_one_row_and_the_page_starts_in_the_first_screen(new_page, demo):
    page = new_page(PHONE)
    log_in(page, "grid", DEMO_PASSWORD)
    nav = page.locator(".site-nav").bounding_box()
    assert nav["height"] < 60, nav  # one row (it was three: 124 px)
    assert page.locator("main h1").bounding_box()["y"] < PHONE["height"] / 4
    logout = page.locator(".site-nav button:has-text('退出')")
    assert not logout.is_visible()
    page.locator(".nav-more summary").click()
    assert logout.is_visible()
    page.locator(".nav-more a:has-text('走访覆盖')").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("petitions:coverage"))


CHART_VALUES = """(id) => {
  const chart = echarts.getInstanceByDom(document.getElementById(id));
  return chart.getOption().series.map((s, n) => {
    const data = chart.getModel().getSeriesByIndex(n).getData();
    return s.data.map((v, i) => {
      const el = data.getItemGraphicEl(i);
      const drawn = !!el && !el.invisible && (!el.shape || el.shape.height === undefined
                                               || Math.abs(el.shape.height) > 0);
      return [v === null || v === undefined ? null : (typeof v === "object" ? v.value : v), drawn];
    });
  });
}"""


def _table_numbers(page, selector):
    """The table's rows (after the row header) as numbers; "—" is None."""
    rows = page.locator(f"{selector} tbody tr").all()
    result = []
    for row in rows:
        cells = row.locator("td").all_inner_texts()
        result.append([None if c.strip() == "—" else float(c.strip().rstrip("%")) for c in cells])
    return result


def test_every_chart_draws_what_its_table_holds_on_a_phone(new_page, demo):
    page = new_page(PHONE)
    log_in(page, "street", DEMO_PASSWORD)
    page.locator("#rates-chart canvas").first.wait_for()
    # The monthly rates: composite and satisfaction, month by month, every value drawn.
    rates = page.evaluate(CHART_VALUES, "rates-chart")
    table = _table_numbers(page, "#rates-table")
    for series, row in zip(rates, table[:2], strict=True):
        assert [v for v, _drawn in series] == row
        assert all(drawn for v, drawn in series if v), series  # a single month shows too
    # The weekly trend: visits, received, closed.
    trend = page.evaluate(CHART_VALUES, "trend-chart")
    assert [[v for v, _d in s] for s in trend] == _table_numbers(page, "#trend-table")
    # Categories: each label inside the chart.
    labels = page.evaluate("""() => {
      const el = document.getElementById('category-chart');
      const data = echarts.getInstanceByDom(el).getModel().getSeriesByIndex(0).getData();
      const out = [];
      for (let i = 0; i < data.count(); i++) {
        const text = data.getItemGraphicEl(i).getTextContent();
        const r = text.getBoundingRect().clone(); r.applyTransform(text.getComputedTransform());
        out.push([data.getName(i), r.x, r.x + r.width, el.clientWidth]);
      }
      return out; }""")
    assert labels and all(left >= 0 and right <= width for _n, left, right, width in labels), labels


def test_tables_open_on_their_newest_column_with_a_hint(new_page, demo):
    page = new_page(PHONE)
    log_in(page, "street", DEMO_PASSWORD)
    for box in page.locator(".table-wrap--latest").all():
        wrap = box.bounding_box()
        newest = box.locator("thead th:last-child").bounding_box()
        assert (
            wrap["x"] <= newest["x"]
            and newest["x"] + newest["width"] <= wrap["x"] + wrap["width"] + 1
        )
    assert page.locator(".scroll-hint").first.is_visible()


def test_rankings_on_a_phone_read_one_area_per_card(new_page, demo):
    page = new_page(PHONE)
    log_in(page, "organizer", DEMO_PASSWORD)
    for url in ("/", reverse("petitions:rankings")):  # the dashboard's ranking and the page
        page.goto(url)
        names = page.locator("table.ranking tbody td:nth-child(2)").all()
        assert names, url
        for cell in names:
            box = cell.bounding_box()
            # a street's name on one line, not a character per line
            assert box["width"] > 150 and box["height"] < 60, (url, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(reverse("petitions:rankings") + "?month=9999-12")
    assert "请选择" in page.locator(".messages").inner_text()


def test_weekly_report_picks_a_week_and_prints_the_whole_chart(new_page, demo):
    page = new_page(PHONE)
    log_in(page, "street", DEMO_PASSWORD)
    page.goto(reverse("petitions:weekly_report"))
    today = timezone.localdate()
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)
    assert page.locator("#week").input_value() == f"{last_monday:%Y-%m-%d}"
    earlier = last_monday - datetime.timedelta(weeks=2)
    page.select_option("#week", f"{earlier:%Y-%m-%d}")
    page.locator(".week-form button[type=submit]").click()
    page.wait_for_load_state()
    assert f"{earlier:%Y-%m-%d} – " in page.locator("#report-week").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "weekly-report-phone")
    desktop = new_page(DESKTOP)
    log_in(desktop, "street", DEMO_PASSWORD)
    desktop.goto(reverse("petitions:weekly_report"))
    desktop.locator("#trend-chart canvas").first.wait_for()
    screenshot(desktop, "weekly-report-desktop")
    desktop.emulate_media(media="print")
    desktop.wait_for_timeout(300)
    chart = desktop.locator("#trend-chart").bounding_box()
    canvas = desktop.locator("#trend-chart canvas").first.bounding_box()
    a4_width = 186 / 25.4 * 96  # A4 less its margins, in CSS px
    assert (
        canvas["width"] <= a4_width
        and canvas["x"] + canvas["width"] <= chart["x"] + chart["width"] + 1
    )
    assert (
        desktop.locator("#trend-chart").evaluate("el => echarts.getInstanceByDom(el).getWidth()")
        <= a4_width
    )


def _dispatch_some_to_the_department():
    """Three open demo petitions dispatched to 住建局: one overdue, one due today, one later."""
    department = Department.objects.get(name="住建局")
    now = timezone.now()
    due = [now - datetime.timedelta(hours=5), now + datetime.timedelta(hours=6),
           now + datetime.timedelta(days=5)]  # fmt: skip
    # Petitions not yet the department's (the demo dispatches some to it already).
    others = (
        Petition.objects.open()
        .exclude(department=department)
        .exclude(assisting_departments=department)
        .order_by("pk")
    )
    for petition, due_at in zip(others[:3], due, strict=True):
        Petition.objects.filter(pk=petition.pk).update(
            level="district", department=department, status="accepted", due_at=due_at
        )


def _department_figures(page):
    return {
        figure: int(page.locator(f"#{figure} .stat__value").inner_text())
        for figure in ("department-open", "overdue-figure", "department-due-soon")
    }


def test_a_department_opens_on_its_own_home(new_page, demo):
    page = new_page(PHONE)
    log_in(page, "department", DEMO_PASSWORD)
    before = _department_figures(page)
    page.close()
    _dispatch_some_to_the_department()
    for viewport, name in ((PHONE, "department-home-phone"), (DESKTOP, "department-home-desktop")):
        page = new_page(viewport)
        log_in(page, "department", DEMO_PASSWORD)
        assert _department_figures(page) == {
            "department-open": before["department-open"] + 3,
            "overdue-figure": before["overdue-figure"] + 1,
            "department-due-soon": before["department-due-soon"] + 1,
        }
        assert page.locator("#department-ranking").is_visible()
        assert "辖区住户" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, name)


def test_screenshots_of_the_dashboard_and_a_petition_with_its_actions(new_page, demo):
    from django.contrib.auth import get_user_model

    community = get_user_model().objects.get(username="community")
    petition = (
        Petition.objects.visible_to(community)
        .open()
        .filter(level__in=["compound", "community"])
        .order_by("pk")
        .first()
    )
    for viewport, suffix in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = new_page(viewport)
        log_in(page, "street", DEMO_PASSWORD)
        page.locator("#category-chart canvas").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"dashboard-{suffix}")
        if suffix == "desktop":
            screenshot(page, "dashboard-demo-desktop")  # the README's
        page = new_page(viewport)
        log_in(page, "community", DEMO_PASSWORD)
        page.goto(reverse("petitions:detail", kwargs={"pk": petition.pk}))
        assert page.locator(f"form[action^='/petitions/{petition.pk}/']").count() > 0  # actions
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"petition-{suffix}")
