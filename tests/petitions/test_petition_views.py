"""Petition pages: the list and detail scoped, only the viewer's actions shown, transitions by
POST with a version check, and the residents' tracking page without personal data."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from petitions.models import Category, Petition
from petitions.services import transitions as t
from tests import factories as f


@pytest.fixture
def petition(grid_a1, grid_worker, casework_defaults):
    household = f.make_household(grid_a1, room="301")
    resident = f.make_resident(household, name="陈华", phone="13812345678")
    return Petition.objects.create(
        source="visit", category=Category.objects.get(name="排水防涝"), grid=grid_a1,
        household=household, resident=resident, description="6号楼下水管道堵塞",
        created_by=grid_worker,
    )  # fmt: skip


def act(client, petition, action, **data):
    petition.refresh_from_db()
    url = reverse("petitions:act", args=[petition.pk, action])
    return client.post(url, {"version": petition.version, **data}, follow=True)


def test_list_and_detail_are_scoped(client_for, community_staff, street_b_staff, petition):
    assert "下水管道堵塞" in client_for(community_staff).get(reverse("petitions:list")).text
    assert "下水管道堵塞" not in client_for(street_b_staff).get(reverse("petitions:list")).text
    detail = reverse("petitions:detail", args=[petition.pk])
    assert client_for(street_b_staff).get(detail).status_code == 404


def test_detail_offers_only_what_the_viewer_may_do_now(client_for, grid_worker, petition):
    response = client_for(grid_worker).get(reverse("petitions:detail", args=[petition.pk]))
    for action in ("accept", "escalate", "reject", "withdraw"):
        assert reverse("petitions:act", args=[petition.pk, action]) in response.text
    for action in ("resolve", "close", "follow_up", "dispatch"):
        assert reverse("petitions:act", args=[petition.pk, action]) not in response.text


def test_grid_worker_accepts_resolves_follows_up_and_closes(client_for, grid_worker, petition):
    client = client_for(grid_worker)
    assert "已完成" in act(client, petition, "accept").text
    act(client, petition, "resolve", what_was_done="发动23户集资疏通")
    act(client, petition, "follow_up", satisfaction="satisfied", comment="满意")
    response = act(client, petition, "close")
    petition.refresh_from_db()
    assert petition.status == "closed"
    assert "已结案" in response.text


def test_a_refused_transition_says_why_and_changes_nothing(client_for, grid_worker, petition):
    response = act(client_for(grid_worker), petition, "escalate", reason="")
    assert "请填写原因" in response.text
    petition.refresh_from_db()
    assert (petition.status, petition.level) == ("new", "compound")


def test_two_officials_on_the_same_petition_only_one_succeeds(
    client_for, grid_worker, community_staff, petition
):
    seen = petition.version
    url = reverse("petitions:act", args=[petition.pk, "accept"])
    assert "已完成" in client_for(grid_worker).post(url, {"version": seen}, follow=True).text
    second = client_for(community_staff).post(url, {"version": seen}, follow=True)
    assert "已被修改" in second.text
    petition.refresh_from_db()
    assert petition.assignee == grid_worker and petition.events.count() == 1


def test_transitions_need_post(client_for, grid_worker, petition):
    url = reverse("petitions:act", args=[petition.pk, "accept"])
    assert client_for(grid_worker).get(url).status_code == 405


def test_tracking_shows_status_and_public_steps_without_personal_data(
    client, grid_worker, petition
):
    t.accept(petition, by=grid_worker)
    t.resolve(petition, by=grid_worker, what_was_done="陈华家门口管道已疏通")
    response = client.get(reverse("petitions:track"), {"code": petition.tracking_code.lower()})
    assert response.status_code == 200
    assert "已办结" in response.text and "签收" in response.text
    for private in ("陈华", "13812345678", "301", "下水管道堵塞", "疏通"):
        assert private not in response.text


@pytest.mark.parametrize("typed", ["{0} {1} {2}", "{0}-{1}-{2}", " {0}{1}{2} "])
def test_a_code_typed_in_groups_or_full_width_finds_the_petition(client, petition, typed):
    code = petition.tracking_code
    text = typed.format(code[:4], code[4:8], code[8:])
    response = client.get(reverse("petitions:track"), {"code": text})
    assert response.status_code == 200 and "没有与该查询码" not in response.text
    assert petition.category.name in response.text
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert (
        petition.category.name in client.get(reverse("petitions:track"), {"code": full_width}).text
    )


def test_wrong_tracking_codes_are_rate_limited(client, db):
    cache.clear()
    for _ in range(10):
        assert client.get(reverse("petitions:track"), {"code": "WRONGCODE2"}).status_code == 200
    assert client.get(reverse("petitions:track"), {"code": "WRONGCODE3"}).status_code == 429


def test_resolve_from_the_page_with_cost_and_a_photo(client_for, grid_worker, petition):
    from tests.petitions.test_photos import gps_exif, image_file

    client = client_for(grid_worker)
    act(client, petition, "accept")
    petition.refresh_from_db()
    photo = image_file(exif=gps_exif().tobytes())
    url = reverse("petitions:act", args=[petition.pk, "resolve"])
    client.post(
        url,
        {"version": petition.version, "what_was_done": "疏通", "cost": "2300", "photos": [photo]},
    )
    petition.refresh_from_db()
    assert petition.status == "resolved" and str(petition.cost) == "2300.00"
    stored = petition.photos.get().image.read()
    assert b"PhoneMaker" not in stored
    page = client.get(reverse("petitions:detail", args=[petition.pk]))
    assert (
        reverse("petitions:petition_photo", args=[petition.photos.get().pk, "thumb"]) in page.text
    )


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("resolve", {"what_was_done": "x", "cost": "abc"}, "请输入金额"),
        ("merge", {"into": "NOSUCHCODE"}, "没有"),
        ("return", {"code": "bogus", "reason": "不属本级"}, "不能再退回"),
    ],
)
def test_bad_input_on_an_action_is_refused_with_a_message(
    client_for, grid_worker, petition, action, data, message
):
    client = client_for(grid_worker)
    if action == "resolve":
        act(client, petition, "accept")
    before = Petition.objects.get(pk=petition.pk)
    response = act(client, petition, action, **data)
    assert message in response.text
    after = Petition.objects.get(pk=petition.pk)
    assert (after.status, after.level, after.version) == (
        before.status,
        before.level,
        before.version,
    )


def test_assign_and_extension_through_the_page(client_for, community_staff, grid_worker, petition):
    client = client_for(community_staff)
    act(client, petition, "assign", assignee=grid_worker.pk)
    petition.refresh_from_db()
    assert petition.assignee == grid_worker
    worker = client_for(grid_worker)
    act(worker, petition, "accept")
    petition.refresh_from_db()
    later = (timezone.localtime(petition.due_at) + timezone.timedelta(days=3)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    act(worker, petition, "request_extension", until=later, reason="等待材料")
    act(client_for(community_staff), petition, "decide_extension", approve="1")
    petition.refresh_from_db()
    assert timezone.localtime(petition.due_at).strftime("%Y-%m-%dT%H:%M") == later


def create(client, **data):
    return client.post(
        reverse("petitions:create"),
        {
            "source": "walk_in",
            "description": "路灯不亮",
            "households_affected": "1",
            "urgency": "normal",
            **data,
        },
        follow=True,
    )


def test_a_walk_in_petition_is_recorded_for_a_building(
    client_for, grid_worker, grid_a1, casework_defaults
):
    building = f.make_building(f.make_compound(grid_a1.community), grid_a1)
    lighting = Category.objects.get(name="亮化绿化")
    response = create(client_for(grid_worker), category=lighting.pk, building=building.pk)
    petition = Petition.objects.get()
    assert (petition.building, petition.grid, petition.source) == (building, grid_a1, "walk_in")
    assert petition.tracking_code in response.text
    assert petition.events.get().action == "created"


def test_a_petition_without_a_chosen_source_is_refused_not_filed_under_the_first(
    client_for, grid_worker, grid_a1, casework_defaults
):
    building = f.make_building(f.make_compound(grid_a1.community), grid_a1)
    client = client_for(grid_worker)
    form = client.get(reverse("petitions:create")).text
    assert '<option value="" selected>---------</option>' in form
    lighting = Category.objects.get(name="亮化绿化")
    response = create(client, category=lighting.pk, building=building.pk, source="")
    assert "请选择诉求来源" in response.text and not Petition.objects.exists()


def test_a_petition_needs_a_place_inside_the_scope(
    client_for, grid_worker, grid_b1, casework_defaults
):
    foreign = f.make_building(f.make_compound(grid_b1.community), grid_b1)
    lighting = Category.objects.get(name="亮化绿化")
    response = create(client_for(grid_worker), category=lighting.pk, building=foreign.pk)
    assert not Petition.objects.exists()
    assert response.status_code == 200
    response = create(client_for(grid_worker), category=lighting.pk)
    assert "住户或楼栋" in response.text


def test_a_repeat_within_30_days_is_offered_for_merging(client_for, grid_worker, petition):
    client = client_for(grid_worker)
    data = {"category": petition.category_id, "household": petition.household_id}
    first = client.post(reverse("petitions:create") + f"?household={petition.household_id}",
                        {"source": "wechat", "description": "又堵了", "households_affected": "1",
                         "urgency": "normal", **data})  # fmt: skip
    assert first.status_code == 200 and petition.tracking_code in first.text
    assert Petition.objects.count() == 1
    response = create(client, repeat=f"merge:{petition.pk}", **data)
    duplicate = Petition.objects.exclude(pk=petition.pk).get()
    assert (duplicate.status, duplicate.merged_into) == ("merged", petition)
    assert response.redirect_chain[-1][0] == reverse("petitions:detail", args=[petition.pk])


def test_list_filters_narrow_and_never_widen_the_scope(
    client_for, street_a_staff, grid_worker, grid_a1, grid_b1, casework_defaults
):
    category = Category.objects.get(name="邻里纠纷")
    here = Petition.objects.create(
        source="walk_in",
        category=category,
        grid=grid_a1,
        description="邻里噪音",
        created_by=grid_worker,
    )
    Petition.objects.create(
        source="walk_in",
        category=category,
        grid=grid_b1,
        description="河西的纠纷",
        created_by=grid_worker,
    )
    client = client_for(street_a_staff)
    listed = client.get(
        reverse("petitions:list"), {"dispute": "1", "community": grid_b1.community_id}
    )
    assert "河西的纠纷" not in listed.text and "邻里噪音" not in listed.text
    listed = client.get(
        reverse("petitions:list"), {"dispute": "1", "status": "open", "sort": "due"}
    )
    assert "邻里噪音" in listed.text and "河西的纠纷" not in listed.text
    assert here.tracking_code


def test_petition_ledger_export_is_masked_and_filtered(client_for, street_a_staff, petition):
    import io

    from openpyxl import load_workbook

    response = client_for(street_a_staff).get(reverse("petitions:ledger"), {"status": "open"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 4
    assert "陈华" in rows[3] and "138****5678" in rows[3] and "13812345678" not in rows[3]


def test_list_query_count_is_the_same_for_one_petition_and_fifty(
    client_for, community_staff, petition, grid_worker, django_assert_num_queries
):
    client = client_for(community_staff)
    url = reverse("petitions:list")
    client.get(url)  # warm up: the first request stamps the session
    # the page header (session, user, official, areas, unread notifications);
    # petitions page (one more row than shown, no count);
    # categories, communities, grids for the filters (a community official serves no street:
    # that filter costs no query)
    with django_assert_num_queries(9):
        client.get(url)
    for n in range(49):
        household = f.make_household(petition.grid)
        Petition.objects.create(
            source="walk_in", category=petition.category, grid=petition.grid, household=household,
            resident=f.make_resident(household), description=f"第{n}件", created_by=grid_worker,
        )  # fmt: skip
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.text.count('class="badge">待受理') == 50


def test_the_new_petition_form_from_a_household_page_carries_the_household(
    client_for, grid_worker, petition
):
    response = client_for(grid_worker).get(
        reverse("petitions:create"), {"household": petition.household_id}
    )
    assert f'name="household" value="{petition.household_id}"' in response.text
    assert "陈华" in response.text  # the members to pick who raised it


def test_inbox_tells_the_assignee_and_counts_unread_in_the_header(
    client_for, community_staff, grid_worker, petition
):
    client = client_for(community_staff)
    act(client, petition, "assign", assignee=grid_worker.pk)
    worker = client_for(grid_worker)
    home = worker.get("/")
    assert 'aria-label="未读">1<' in home.text
    inbox = worker.get(reverse("petitions:inbox"))
    assert "新派单" in inbox.text and "排水防涝" in inbox.text
    worker.post(reverse("petitions:inbox_read"))
    assert 'aria-label="未读"' not in worker.get("/").text


def test_resolving_asks_the_recorder_to_follow_up_and_reopening_tells_the_handler(
    client_for, grid_worker, community_staff, petition
):
    from petitions.models import Notification

    act(client_for(community_staff), petition, "accept")
    act(client_for(community_staff), petition, "resolve", what_was_done="疏通")
    assert Notification.objects.get(user=grid_worker).kind == "follow_up"
    act(client_for(grid_worker), petition, "follow_up", satisfaction="not")
    assert Notification.objects.filter(user=community_staff, kind="reopened").exists()


def test_residents_contributions_are_entered_room_by_room(
    client_for, grid_worker, grid_a1, casework_defaults
):
    compound = f.make_compound(grid_a1.community)
    building = f.make_building(compound, grid_a1, name="6号楼")
    unit = f.make_unit(building, name="2单元")
    for room in ("301", "302"):
        f.make_household(grid_a1, unit=unit, room=room)
    petition = Petition.objects.create(
        source="visit", category=Category.objects.get(name="排水防涝"), grid=grid_a1,
        building=building, compound=compound, description="下水管道堵塞", created_by=grid_worker,
    )  # fmt: skip
    client = client_for(grid_worker)
    act(client, petition, "accept")
    bad = act(client, petition, "resolve", what_was_done="疏通", contributions="999 100")
    assert "第 1 行" in bad.text
    with translation.override("zh-hans"):
        for amount in ("0", str(10**30)):
            huge = act(client, petition, "resolve", what_was_done="疏通",
                       contributions=f"301 {amount}")  # fmt: skip
            assert "集资第 1 行：金额应在 0.01 至 99,999,999.99 元之间" in huge.text
        vague = act(client, petition, "resolve", what_was_done="疏通", contributions="301 一百")
        assert "请填写房号和金额" in vague.text
    act(client, petition, "resolve", what_was_done="疏通", contributions="301 100\n6-2-302 120.5")
    petition.refresh_from_db()
    assert petition.status == "resolved"
    assert sorted(str(c.amount) for c in petition.contributions.all()) == ["100.00", "120.50"]


def test_public_money_and_contributions_cannot_exceed_the_cost(
    client_for, grid_worker, grid_a1, casework_defaults
):
    compound = f.make_compound(grid_a1.community)
    building = f.make_building(compound, grid_a1, name="6号楼")
    f.make_household(grid_a1, unit=f.make_unit(building, name="2单元"), room="301")
    petition = Petition.objects.create(
        source="visit", category=Category.objects.get(name="排水防涝"), grid=grid_a1,
        building=building, compound=compound, description="下水管道堵塞", created_by=grid_worker,
    )  # fmt: skip
    client = client_for(grid_worker)
    act(client, petition, "accept")
    with translation.override("zh-hans"):
        refused = act(client, petition, "resolve", what_was_done="疏通", cost="800",
                      public_money="900", contributions="301 100")  # fmt: skip
    assert refused.status_code == 400 and "超过了费用" in refused.text
    petition.refresh_from_db()
    assert petition.status == "accepted" and not petition.contributions.exists()
    act(client, petition, "resolve", what_was_done="疏通", cost="1000", public_money="900",
        contributions="301 100")  # fmt: skip
    petition.refresh_from_db()
    assert petition.status == "resolved"


def test_area_filters_narrow_like_a_cascade(
    client_for, organizer, street_a, street_b, community_a, community_b, grid_a1, grid_b1
):
    client = client_for(organizer)
    url = reverse("petitions:list")
    # A district: streets first; communities once a street is chosen, grids once a community is.
    page = client.get(url).text
    assert 'name="street"' in page and 'name="community"' not in page
    page = client.get(url, {"street": street_a.pk}).text
    assert f'<option value="{community_a.pk}">{community_a.name}</option>' in page
    assert community_b.name not in page and 'name="grid"' not in page
    page = client.get(url, {"street": street_a.pk, "community": community_a.pk}).text
    assert f'<option value="{community_a.pk}" selected>' in page
    assert f'<option value="{grid_a1.pk}">{grid_a1.name}</option>' in page


def test_area_filters_offer_only_the_users_own_areas(client_for, street_a_staff, community_b):
    page = (
        client_for(street_a_staff)
        .get(reverse("petitions:list"), {"community": community_b.pk})
        .text
    )
    assert community_b.name not in page


def test_period_filter_counts_local_days(client_for, community_staff, petition, grid_worker):
    import datetime
    import zoneinfo

    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    late = Petition.objects.create(
        source="walk_in", category=petition.category, grid=petition.grid,
        description="十月最后一晚", created_by=grid_worker,
    )  # fmt: skip
    Petition.objects.filter(pk=late.pk).update(
        created_at=datetime.datetime(2026, 10, 31, 23, 30, tzinfo=shanghai)  # 15:30 UTC
    )
    Petition.objects.filter(pk=petition.pk).update(
        created_at=datetime.datetime(2026, 11, 1, 0, 30, tzinfo=shanghai)  # still 31 Oct UTC
    )
    response = client_for(community_staff).get(
        reverse("petitions:list"), {"period": "custom", "start": "2026-10-01", "end": "2026-10-31"}
    )
    assert [p.pk for p in response.context["page"]] == [late.pk]


def test_a_post_with_the_next_version_cannot_accept_a_petition_rejected_meanwhile(
    client_for, grid_worker, petition
):
    from django.db.models import F

    Petition.objects.filter(pk=petition.pk).update(status="rejected", version=F("version") + 1)
    url = reverse("petitions:act", args=[petition.pk, "accept"])
    response = client_for(grid_worker).post(url, {"version": petition.version + 1}, follow=True)
    assert "不能执行“签收”" in response.text
    petition.refresh_from_db()
    assert petition.status == "rejected" and not petition.events.exists()


def district_petition(petition, organizer, department=None):
    for _ in range(3):
        t.escalate(petition, by=organizer, reason="上报")
    if department is not None:
        t.dispatch(petition, by=organizer, department=department)
    return petition


CRAFTED_DATES = ["2026-02-30T10:00", "9999-12-31T23:59", "0001-01-01T00:00", "garbage",
                 "2026-13-01T10:00", "１２３", "2026-06-01T25:61"]  # fmt: skip


@pytest.mark.parametrize("value", CRAFTED_DATES)
def test_impossible_dates_are_field_errors_and_change_nothing(
    client_for, community_staff, grid_worker, organizer, department, petition, value
):
    client = client_for(community_staff)
    t.accept(petition, by=grid_worker)
    calls = [
        (client, "assign", {"assignee": grid_worker.pk, "due": value}),
        (client_for(grid_worker), "request_extension", {"until": value, "reason": "等材料"}),
    ]
    for who, action, data in calls:
        before = Petition.objects.get(pk=petition.pk)
        response = act(who, petition, action, **data)
        assert response.status_code == 400, (action, value)
        assert 'class="error"' in response.text and "请检查填写的内容" in response.text
        after = Petition.objects.get(pk=petition.pk)
        assert (after.version, after.due_at, after.assignee_id) == (
            before.version, before.due_at, before.assignee_id,
        )  # fmt: skip
    district_petition(petition, organizer)
    response = act(client_for(organizer), petition, "put_on_ledger",
                   owner=department.pk, target=value[:10])  # fmt: skip
    assert response.status_code == 400
    petition.refresh_from_db()
    assert petition.ledger_owner is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"cost": "1e999999"}, "12 个数字"),
        ({"cost": "-1"}, "0"),
        ({"public_money": "12345678901234"}, "12 个数字"),
        ({"contributions": "301 1e30"}, "第 1 行"),
        ({"contributions": "301 abc"}, "第 1 行"),
        ({"what_was_done": "\x00"}, "请"),
    ],
)
def test_crafted_amounts_on_resolve_are_field_errors(
    client_for, grid_worker, petition, data, message
):
    client = client_for(grid_worker)
    act(client, petition, "accept")
    response = act(client, petition, "resolve", **{"what_was_done": "疏通", **data})
    assert response.status_code == 400 and message in response.text
    petition.refresh_from_db()
    assert petition.status == "accepted" and not petition.contributions.exists()


def test_an_action_form_keeps_what_was_typed_on_an_error(
    client_for, grid_worker, grid_a1, casework_defaults
):
    compound = f.make_compound(grid_a1.community)
    for name in ("5号楼", "6号楼"):  # two rooms 301 in the compound: "301" is ambiguous
        f.make_household(grid_a1, unit=f.make_unit(f.make_building(compound, grid_a1, name=name)),
                         room="301")  # fmt: skip
    petition = Petition.objects.create(
        source="visit", category=Category.objects.get(name="排水防涝"), grid=grid_a1,
        compound=compound, description="下水管道堵塞", created_by=grid_worker,
    )  # fmt: skip
    client = client_for(grid_worker)
    act(client, petition, "accept")
    response = act(client, petition, "resolve", what_was_done="23户集资疏通下水管道",
                   cost="2300", public_money="0", contributions="301 100")  # fmt: skip
    assert response.status_code == 400
    page = response.text
    assert '<details class="action" id="action-resolve" open>' in page
    assert "23户集资疏通下水管道</textarea>" in page and 'value="2300"' in page
    assert "301 100</textarea>" in page
    assert page.count("找不到唯一的住户") == 2  # in the banner and next to the field
    assert page.index('class="messages"') < page.index('id="actions"')


def test_buttons_say_what_they_do(client_for, organizer, community_staff, petition, department):
    page = client_for(community_staff).get(reverse("petitions:detail", args=[petition.pk])).text
    for verb in ("<summary>签收</summary>", "<summary>撤回</summary>", "<summary>合并</summary>",
                 "<summary>指派经办人</summary>"):  # fmt: skip
        assert verb in page
    assert "<summary>已签收</summary>" not in page
    district_petition(petition, organizer)
    page = client_for(organizer).get(reverse("petitions:detail", args=[petition.pk])).text
    assert "<summary>派单到部门</summary>" in page and "<summary>指派经办人</summary>" in page
    assert "<summary>上报</summary>" not in page  # no level above the district


def test_a_department_returning_a_petition_lands_on_its_list_with_the_message(
    client_for, organizer, department, department_staff, petition
):
    district_petition(petition, organizer, department)
    client = client_for(department_staff)
    page = client.get(reverse("petitions:detail", args=[petition.pk])).text
    assert petition.household.address in page
    assert reverse("grids:household", args=[petition.household_id]) not in page
    response = act(client, petition, "return", code="duties", reason="不属于住建局职责")
    assert response.redirect_chain[-1] == (reverse("petitions:list"), 302)
    assert response.status_code == 200
    assert "已完成：退回" in response.text and "已不在您的列表中" in response.text


def resolved_with_contributions(client, petition, grid_a1):
    """Two paying households in the petition's building; resolved from the page."""
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    building = f.make_building(compound, grid_a1, name="6号楼")
    unit = f.make_unit(building, name="2单元")
    payers = [f.make_household(grid_a1, unit=unit, room=room) for room in ("301", "302")]
    Petition.objects.filter(pk=petition.pk).update(building=building, compound=compound)
    act(client, petition, "accept")
    act(client, petition, "resolve", what_was_done="集资疏通", cost="2300", public_money="2000",
        contributions="301 100\n6-2-302 200")  # fmt: skip
    return payers


def test_contributions_show_on_the_petition_and_each_paying_households_timeline(
    client_for, grid_worker, petition, grid_a1
):
    client = client_for(grid_worker)
    payers = resolved_with_contributions(client, petition, grid_a1)
    page = client.get(reverse("petitions:detail", args=[petition.pk])).text
    section = page[page.index('id="resolutions"') :]
    for text in ("安装公司家属院 6号楼 2单元 301", "安装公司家属院 6号楼 2单元 302", "100.00",
                 "200.00", "300", "2300", "2000"):  # fmt: skip
        assert text in section
    for payer, amount in zip(payers, ("100.00", "200.00"), strict=True):
        household = client.get(reverse("grids:household", args=[payer.pk])).text
        entry = household[household.index('id="contributions"') :]
        assert amount in entry and reverse("petitions:detail", args=[petition.pk]) in entry


def test_the_petition_ledger_carries_department_resolution_date_costs_and_payers(
    client_for, grid_worker, street_a_staff, petition, grid_a1
):
    import io

    from openpyxl import load_workbook

    resolved_with_contributions(client_for(grid_worker), petition, grid_a1)
    response = client_for(street_a_staff).get(reverse("petitions:ledger"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = [list(r) for r in sheet.iter_rows(min_row=3, max_row=4, values_only=True)]
    record = dict(zip(header, row, strict=True))
    assert "主办单位" in record and record["主办单位"] in ("", None)
    assert record["办结时间"]
    assert float(record["费用（元）"]) == 2300 and float(record["财政资金（元）"]) == 2000
    assert float(record["居民集资（元）"]) == 300 and record["集资户数"] == 2


def test_the_admin_shows_petitions_read_only(client_for, organizer, petition):
    client = client_for(organizer)
    url = reverse("admin:petitions_petition_change", args=[petition.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="due_at"' not in page.text
    response = client.post(url, {"status": "closed", "level": "district",
                                 "due_at_0": "2030-01-01", "due_at_1": "10:00"})  # fmt: skip
    assert response.status_code == 403
    petition.refresh_from_db()
    assert (petition.status, petition.level, petition.due_at, petition.version) == (
        "new", "compound", None, 0,
    )  # fmt: skip


def kinds(user):
    from petitions.models import Notification

    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_escalation_tells_the_level_above_and_a_return_the_level_below(
    grid_worker, community_staff, street_a_staff, organizer, department, department_staff,
    petition,
):  # fmt: skip
    t.escalate(petition, by=grid_worker, reason="小区解决不了")
    assert kinds(community_staff) == ["escalated"] and kinds(street_a_staff) == []
    t.escalate(petition, by=community_staff, reason="需要街道协调")
    assert kinds(street_a_staff) == ["escalated"]
    t.return_down(petition, by=street_a_staff, reason="社区可以解决", code="other")
    assert kinds(community_staff) == ["returned", "escalated"]
    t.return_down(petition, by=community_staff, reason="物业负责", code="ownership")
    assert kinds(grid_worker) == ["returned"]
    district_petition(petition, organizer, department)
    t.return_down(petition, by=department_staff, reason="不属于住建局", code="duties")
    assert kinds(organizer)[0] == "returned"  # the organizers hear of a department's return


def test_opening_a_notification_marks_it_read_and_the_marker_is_not_the_status(
    client_for, grid_worker, community_staff, petition
):
    from petitions.models import Notification

    t.escalate(petition, by=grid_worker, reason="小区解决不了")
    client = client_for(community_staff)
    inbox = client.get(reverse("petitions:inbox")).text
    notification = Notification.objects.get(user=community_staff)
    assert '<span class="badge badge--red">新</span>' in inbox and "上报到本级" in inbox
    assert "待受理</span>" not in inbox
    response = client.get(reverse("petitions:notification", args=[notification.pk]))
    assert response.url == reverse("petitions:detail", args=[petition.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert (
        client_for(grid_worker)
        .get(reverse("petitions:notification", args=[notification.pk]))
        .status_code
        == 404
    )


CRAFTED = ["2026-02-30", "9999-12-31T23:59", "0001-01-01", "x" * 5000, "9" * 40, "-1",
           "\x00", "１２３", "NaN", "1e999999"]  # fmt: skip


@pytest.mark.parametrize("value", CRAFTED)
def test_crafted_values_in_every_field_of_every_action_never_fail_or_half_change(
    client_for, organizer, petition, value
):
    from petitions.actions import ACTIONS

    client = client_for(organizer)
    for verb, action in ACTIONS.items():
        fields = action.bind(petition, organizer).fields
        before = Petition.objects.get(pk=petition.pk)
        events = petition.events.count()
        response = act(client, petition, verb, **dict.fromkeys(fields, value))
        assert response.status_code in (200, 400), (verb, value)
        if response.status_code == 400 or "已完成" not in response.text:
            after = Petition.objects.get(pk=petition.pk)
            assert (after.status, after.level, after.version) == (
                before.status, before.level, before.version,
            ), (verb, value)  # fmt: skip
            assert petition.events.count() == events, (verb, value)


def test_the_admin_shows_each_resolution_and_its_contributions_read_only(
    client_for, grid_worker, organizer, petition, grid_a1
):
    resolved_with_contributions(client_for(grid_worker), petition, grid_a1)
    page = client_for(organizer).get(reverse("admin:petitions_petition_change", args=[petition.pk]))
    text = page.content.decode()
    assert "2300.00" in text and "200.00" in text and "6号楼 2单元 302" in text
    assert 'name="contributions-0-amount"' not in text  # shown, not editable


def test_the_admin_names_each_step_as_the_pages_do(client_for, organizer, grid_worker, petition):
    act(client_for(grid_worker), petition, "accept")
    with translation.override("zh-hans"):
        page = (
            client_for(organizer)
            .get(reverse("admin:petitions_petition_change", args=[petition.pk]))
            .text
        )
    assert "已签收" in page and "待受理" in page
    for code in ('<td class="field-action_shown"><p>accept', ">accept<", ">in_progress<"):
        assert code not in page


def test_assign_offers_only_officials_who_may_handle_the_petition_at_its_level(
    grid_worker, community_staff, street_a_staff, organizer, department, department_staff,
    petition,
):  # fmt: skip
    from petitions.actions import handler_choices

    # A compound-level petition: every level above may handle it too (HANDLED_FROM).
    assert set(handler_choices(petition)) == {
        grid_worker, community_staff, street_a_staff, organizer,
    }  # fmt: skip
    district_petition(petition, organizer, department)
    petition.refresh_from_db()
    offered = set(handler_choices(petition))
    assert offered == {organizer, department_staff}
    assert all(t.can_handle(user, petition) for user in offered)


def test_the_inbox_lists_unread_first_then_newest_first(client_for, grid_worker, petition):
    import datetime

    from petitions.models import Notification

    now = timezone.now()
    made = {}
    for name, hours_ago, read_hours_ago in (
        ("old read", 30, 25), ("new read", 2, 0.5),
        ("old unread", 20, None), ("new unread", 1, None),
    ):  # fmt: skip
        note = Notification.objects.create(user=grid_worker, petition=petition, kind="assigned")
        Notification.objects.filter(pk=note.pk).update(
            created_at=now - datetime.timedelta(hours=hours_ago),
            read_at=None
            if read_hours_ago is None
            else now - datetime.timedelta(hours=read_hours_ago),
        )
        made[note.pk] = name
    listed = client_for(grid_worker).get(reverse("petitions:inbox")).context["notifications"]
    assert [made[n.pk] for n in listed] == ["new unread", "old unread", "new read", "old read"]


def test_the_list_filters_by_source(client_for, organizer, grid_a1, casework_defaults):
    """?source= was ignored once: every petition was listed whatever its source."""
    from django.urls import reverse

    from petitions.models import Category, Petition
    from tests import factories as f

    household = f.make_household(grid_a1)
    other = Category.objects.get(name="其他")
    for source, text in (("meeting", "议事会上提出"), ("hotline", "热线来电")):
        Petition.objects.create(
            source=source, category=other, grid=grid_a1, household=household, description=text,
            created_by=organizer,
        )  # fmt: skip
    page = client_for(organizer).get(reverse("petitions:list"), {"source": "meeting"})
    text = page.content.decode()
    assert "议事会上提出" in text and "热线来电" not in text
    assert client_for(organizer).get(reverse("petitions:list"), {"source": "x"}).status_code == 400
