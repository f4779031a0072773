"""The petition list and detail: scoped, filtered, counted in queries; the ledger export; the
admin showing petitions read only."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from petitions.models import Category, Petition
from tests import factories as f
from tests.petitions.acting import act, district_petition, resolved_with_contributions


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


def test_list_filters_narrow_and_never_widen_the_scope(
    client_for, street_a_staff, grid_worker, grid_a1, grid_b1, casework_defaults
):
    category = Category.objects.get(name="邻里纠纷")
    here = f.make_petition(grid_a1, by=grid_worker, category=category, description="邻里噪音")
    f.make_petition(grid_b1, by=grid_worker, category=category, description="河西的纠纷")
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
    late = f.make_petition(
        petition.grid,
        by=grid_worker,
        description="十月最后一晚",
        created=datetime.datetime(2026, 10, 31, 23, 30, tzinfo=shanghai),  # 15:30 UTC
    )
    Petition.objects.filter(pk=petition.pk).update(
        created_at=datetime.datetime(2026, 11, 1, 0, 30, tzinfo=shanghai)  # still 31 Oct UTC
    )
    response = client_for(community_staff).get(
        reverse("petitions:list"), {"period": "custom", "start": "2026-10-01", "end": "2026-10-31"}
    )
    assert [p.pk for p in response.context["page"]] == [late.pk]


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
        resident = f.make_resident(household)
        f.make_petition(
            by=grid_worker, household=household, resident=resident, description=f"第{n}件"
        )
    client.get(url, {"per": 50})  # the official chooses 50 a page; the list remembers it
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.text.count('class="badge">待受理') == 50


def test_list_shows_twenty_rows_unless_the_official_chose_more_and_remembers_the_choice(
    client_for, community_staff, petition, grid_worker
):
    for n in range(24):
        f.make_petition(by=grid_worker, household=petition.household, description=f"第{n}件")
    client = client_for(community_staff)
    url = reverse("petitions:list")
    response = client.get(url)
    assert len(response.context["page"]) == 20 and response.context["page"].has_next
    assert '<option value="20" selected>每页 20 条</option>' in response.text
    assert len(client.get(url, {"per": 100}).context["page"]) == 25
    response = client.get(url)  # remembered
    assert len(response.context["page"]) == 25 and not response.context["page"].has_next
    assert '<option value="100" selected>每页 100 条</option>' in response.text
    # anything but 20, 50 or 100 is refused with a message, and the remembered choice stays
    response = client.get(url, {"per": "100000"})
    assert response.status_code == 400 and "每页条数" in response.text
    assert len(client.get(url).context["page"]) == 25


def test_list_rows_show_what_the_petition_page_shows(client_for, community_staff, petition):
    """A row is read as plain values: the same category, labels, place and badges as the page."""
    Petition.objects.filter(pk=petition.pk).update(
        due_at=timezone.now() - timedelta(hours=1), supervision_grade="red",
        description="电梯坏了 请回电13812345678",
    )  # fmt: skip
    [row] = client_for(community_staff).get(reverse("petitions:list")).context["page"]
    petition.refresh_from_db()
    assert row.url == reverse("petitions:detail", args=[petition.pk])
    assert row.category == str(petition.category)
    assert row.status == petition.get_status_display()
    assert row.level == petition.get_level_display()
    assert row.place == petition.household.address and row.community == petition.grid.community.name
    assert [b.label for b in row.badges] == ["已逾期", "红牌督办"]
    assert "13812345678" not in row.description and "138****5678" in row.description


def test_an_urgent_petition_says_so_on_the_list_and_its_page_while_worked_on(
    client_for, community_staff, petition
):
    Petition.objects.filter(pk=petition.pk).update(urgency="emergency")
    client = client_for(community_staff)
    [row] = client.get(reverse("petitions:list")).context["page"]
    assert [b.label for b in row.badges] == ["特急"]
    page = client.get(reverse("petitions:detail", args=[petition.pk])).text
    assert '<span class="badge badge--red">特急</span>' in page
    Petition.objects.filter(pk=petition.pk).update(urgency="urgent")
    [row] = client.get(reverse("petitions:list")).context["page"]
    assert [b.label for b in row.badges] == ["紧急"]
    # solved: it waits for the resident's answer, no longer for the handler
    Petition.objects.filter(pk=petition.pk).update(status="resolved")
    [row] = client.get(reverse("petitions:list")).context["page"]
    assert row.badges == ()


def test_a_petition_about_a_building_names_it_on_the_list_its_page_and_the_ledger(
    client_for, community_staff, grid_worker, grid_a1, casework_defaults
):
    """A shared concern (a stairwell, a roof) has no household: its building says where to go."""
    from petitions.services.intake import open_petition

    building = f.make_building(f.make_compound(grid_a1.community, name="安装公司家属院"), grid_a1,
                               name="1号楼")  # fmt: skip
    other = Category.objects.get(name="其他")
    petition = open_petition(by=grid_worker, source="walk_in", building=building,
                             category=other, description="楼道灯坏")  # fmt: skip
    client = client_for(community_staff)
    [row] = client.get(reverse("petitions:list")).context["page"]
    assert row.place == f"安装公司家属院 1号楼 · {grid_a1.name}"
    page = client.get(reverse("petitions:detail", args=[petition.pk])).text
    assert f"安装公司家属院 1号楼 · {grid_a1}" in page
    assert petition.place == "安装公司家属院 1号楼"


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


def test_a_resolution_redone_after_the_residents_no_says_so(client_for, grid_worker, petition):
    """After "not satisfied" the first resolution is history, not the current one; once solved
    again only the earlier one is marked."""
    from petitions.services import transitions as t

    t.accept(petition, by=grid_worker)
    t.resolve(petition, by=grid_worker, what_was_done="临时处理")
    t.follow_up(petition, by=grid_worker, satisfaction="not", comment="还是堵")
    client = client_for(grid_worker)
    url = reverse("petitions:detail", args=[petition.pk])
    assert client.get(url).text.count("回访不满意，重新办理") == 1
    t.resolve(petition, by=grid_worker, what_was_done="换管道")
    page = client.get(url).text
    assert page.count("回访不满意，重新办理") == 1 and page.count('class="resolution"') == 2
