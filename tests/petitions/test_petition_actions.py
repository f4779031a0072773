"""Acting on a petition from its page: transitions by POST with a version check, input refused
with a message and nothing half changed, costs and residents' contributions."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from grids.models import Household
from petitions.models import Petition
from petitions.services import transitions as t
from tests import factories as f
from tests.petitions.acting import (
    act,
    district_petition,
)


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


def test_a_stale_form_still_possible_comes_back_as_typed(
    client_for, grid_worker, community_staff, petition
):
    """Someone else answered the resident meanwhile: escalating is still possible, so the page
    comes back with the reason as typed and the new version, and nothing was escalated."""
    t.accept(petition, by=grid_worker)
    seen = petition.version
    act(client_for(community_staff), petition, "respond", note="已电话联系")
    url = reverse("petitions:act", args=[petition.pk, "escalate"])
    response = client_for(grid_worker).post(url, {"version": seen, "reason": "需社区协调物业"})
    assert response.status_code == 400 and "已被修改" in response.text
    assert "需社区协调物业</textarea>" in response.text
    petition.refresh_from_db()
    assert petition.level == "compound"
    assert f'name="version" value="{petition.version}"' in response.text


def test_a_stale_form_no_longer_possible_shows_what_was_typed(
    client_for, grid_worker, community_staff, petition
):
    seen = petition.version
    act(client_for(community_staff), petition, "reject", reason="不属于受理范围")
    url = reverse("petitions:act", args=[petition.pk, "escalate"])
    response = client_for(grid_worker).post(
        url, {"version": seen, "reason": "需社区协调物业"}, follow=True
    )
    assert "已被修改" in response.text and "需社区协调物业" in response.text


def test_transitions_need_post(client_for, grid_worker, petition):
    url = reverse("petitions:act", args=[petition.pk, "accept"])
    assert client_for(grid_worker).get(url).status_code == 405


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
        ("resolve", {"what_was_done": "x", "cost": "9999999999.99"}, "不超过1000万元"),
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


def test_residents_contributions_are_entered_room_by_room(
    client_for, grid_worker, grid_a1, casework_defaults
):
    compound = f.make_compound(grid_a1.community)
    building = f.make_building(compound, grid_a1, name="6号楼")
    unit = f.make_unit(building, name="2单元")
    for room in ("301", "302"):
        f.make_household(grid_a1, unit=unit, room=room)
    petition = f.make_petition(grid_a1, by=grid_worker, building=building, compound=compound)
    client = client_for(grid_worker)
    act(client, petition, "accept")
    bad = act(client, petition, "resolve", what_was_done="疏通", contributions="999 100")
    assert "第 1 行" in bad.text
    with translation.override("zh-hans"):
        for amount in ("0", "99999999", str(10**30)):  # 0, a slip of zeros, an overflow
            huge = act(client, petition, "resolve", what_was_done="疏通",
                       contributions=f"301 {amount}")  # fmt: skip
            assert "集资第 1 行：金额应在 0.01 至 10,000,000 元之间" in huge.text
        # each line within bounds, but more than one resolution may cost in all
        many = act(client, petition, "resolve", what_was_done="疏通",
                   contributions="301 6000000\n6-2-302 6000000")  # fmt: skip
        assert "一次办结的金额不超过1000万元" in many.text
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
    petition = f.make_petition(grid_a1, by=grid_worker, building=building, compound=compound)
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


def test_an_action_form_keeps_what_was_typed_on_an_error(
    client_for, grid_worker, grid_a1, casework_defaults
):
    compound = f.make_compound(grid_a1.community)
    for name in ("5号楼", "6号楼"):  # two rooms 301 in the compound: "301" is ambiguous
        f.make_household(grid_a1, unit=f.make_unit(f.make_building(compound, grid_a1, name=name)),
                         room="301")  # fmt: skip
    petition = f.make_petition(grid_a1, by=grid_worker, compound=compound)
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


def test_the_household_is_linked_only_for_those_who_see_it(
    client_for, grid_worker, street_a_staff, petition, grid_a2
):
    """Its grid's worker and its street's staff open the household's page from the petition;
    once the household has moved to another grid, its grid worker (who still handles the
    petition) no longer does. (`client_for` signs one client in as each in turn.)"""
    link = reverse("grids:household", args=[petition.household_id])
    url = reverse("petitions:detail", args=[petition.pk])
    assert link in client_for(grid_worker).get(url).text
    assert link in client_for(street_a_staff).get(url).text
    Household.objects.filter(pk=petition.household_id).update(grid=grid_a2)
    assert link in client_for(street_a_staff).get(url).text
    page = client_for(grid_worker).get(url).text
    assert petition.household.address in page and link not in page


def test_merging_a_petition_into_itself_says_so(client_for, grid_worker, petition):
    response = act(client_for(grid_worker), petition, "merge", into=petition.tracking_code.lower())
    assert "这是本诉求自己的查询码" in response.text
    assert Petition.objects.get(pk=petition.pk).status == "new"
