"""A saved activity is corrected through its form, and a patrol's or inspection's findings are
added after the fact: by those who may record it, with a Chinese message and no change for bad
input, and its findings stay linked to the petitions they became."""

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Finding, PlaceCheck
from activities.services import ActivityRecord, record_activity
from petitions.models import Petition
from tests import factories as f


@pytest.fixture
def grid_a2_worker(grid_a2):
    return f.make_official("grid_a2", name="邓丽", areas=[grid_a2], title="网格员")


@pytest.fixture
def volunteer_day(community_staff, community_a):
    record = ActivityRecord(
        kind="volunteer", title="清洁家园", community=community_a,
        held_on=timezone.localdate(), what_was_done="清扫楼道", participants=20,
    )  # fmt: skip
    return record_activity(record, by=community_staff)


def _edit_data(activity, **changes):
    data = {
        "kind": activity.kind, "title": activity.title,
        "held_on": activity.held_on.isoformat(), "grid": activity.grid_id or "",
        "participants": activity.participants, "residents_reached": activity.residents_reached,
        "what_was_done": activity.what_was_done, "location": activity.location,
    }  # fmt: skip
    return {**data, **changes}


def _snapshot(activity):
    activity = Activity.objects.get(pk=activity.pk)
    return (activity.kind, activity.title, activity.grid_id, activity.participants,
            sorted(activity.findings.values_list("petition_id", flat=True)))  # fmt: skip


@pytest.mark.parametrize("role", ["grid_worker", "community_staff", "street_a_staff"])
def test_the_organizers_officials_and_those_above_correct_it(
    request, client_for, role, patrol, square
):
    client = client_for(request.getfixturevalue(role))
    url = reverse("activities:edit", args=[patrol.pk])
    page = client.get(url).content.decode()
    assert "红马甲巡查" in page and 'value="6"' in page
    petitions = _snapshot(patrol)[-1]
    response = client.post(url, _edit_data(patrol, title="红马甲夜间巡查", participants=8,
                                           checked=[square.pk]))  # fmt: skip
    assert response.url == reverse("activities:detail", args=[patrol.pk])
    patrol.refresh_from_db()
    assert (patrol.title, patrol.participants) == ("红马甲夜间巡查", 8)
    # the finding stays linked to its petition, its place still marked with problems
    assert _snapshot(patrol)[-1] == petitions and len(petitions) == 1
    results = dict(patrol.checks.values_list("place__name", "result"))
    assert results == {"3号楼车棚": "problems", "健身广场": "passed"}


@pytest.mark.parametrize("role", ["grid_a2_worker", "street_b_staff", "department_staff"])
def test_others_get_404_and_nothing_changes(request, client_for, role, patrol, shed, safety):
    client = client_for(request.getfixturevalue(role))
    before = _snapshot(patrol)
    edit = reverse("activities:edit", args=[patrol.pk])
    add = reverse("activities:add_finding", args=[patrol.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, _edit_data(patrol, title="改掉")).status_code == 404
    assert client.get(add).status_code == 404
    post = {"place": shed.pk, "category": safety.pk, "description": "x", "urgency": "normal"}
    assert client.post(add, post).status_code == 404
    assert _snapshot(patrol) == before and Petition.objects.count() == 1


def test_a_grid_worker_cannot_move_it_to_another_grid(client_for, grid_worker, patrol, grid_a2):
    before = _snapshot(patrol)
    response = client_for(grid_worker).post(
        reverse("activities:edit", args=[patrol.pk]), _edit_data(patrol, grid=grid_a2.pk)
    )
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    assert _snapshot(patrol) == before


def test_a_grid_worker_cannot_correct_the_communitys_own_activity(
    client_for, grid_worker, volunteer_day
):
    url = reverse("activities:edit", args=[volunteer_day.pk])
    assert client_for(grid_worker).get(url).status_code == 404


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"participants": "-1"}, "确保该值大于或等于1"),
        ({"participants": "0"}, "确保该值大于或等于1"),  # an activity of nobody
        ({"held_on": "2999-01-01"}, "日期不能晚于今天"),
        ({"title": ""}, "这个字段是必填项"),
        ({"kind": "volunteer"}, "已有发现的问题"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_changes_nothing(
    client_for, community_staff, patrol, changes, message
):
    before = _snapshot(patrol)
    response = client_for(community_staff).post(
        reverse("activities:edit", args=[patrol.pk]), _edit_data(patrol, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _snapshot(patrol) == before


def test_a_finding_added_later_becomes_a_petition(client_for, grid_worker, patrol, square, safety):
    client = client_for(grid_worker)
    page = client.get(reverse("activities:detail", args=[patrol.pk])).content.decode()
    add = reverse("activities:add_finding", args=[patrol.pk])
    assert add in page
    response = client.post(add, {"place": square.pk, "category": safety.pk,
                                 "description": "健身器材松动", "urgency": "normal"})  # fmt: skip
    assert response.url == reverse("activities:detail", args=[patrol.pk])
    finding = Finding.objects.get(place=square)
    assert finding.activity == patrol
    assert (finding.petition.description, finding.petition.source) == ("健身器材松动", "patrol")
    assert PlaceCheck.objects.get(activity=patrol, place=square).result == "problems"
    assert Petition.objects.count() == 2
    assert "健身器材松动" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"description": "缺地点"}, "这个字段是必填项"),
        ({"place": "999999", "description": "x"}, "选择一个有效的选项"),
        ({"place": "foreign", "description": "x"}, "选择一个有效的选项"),
    ],
)
def test_a_bad_finding_gets_a_chinese_message_and_saves_nothing(
    client_for, community_staff, patrol, safety, foreign_place, data, message
):
    if data.get("place") == "foreign":
        data = {**data, "place": foreign_place.pk}
    before = _snapshot(patrol)
    response = client_for(community_staff).post(
        reverse("activities:add_finding", args=[patrol.pk]),
        {"category": safety.pk, "urgency": "normal", **data},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert _snapshot(patrol) == before and Petition.objects.count() == 1


def test_only_patrols_and_inspections_take_findings(
    client_for, community_staff, volunteer_day, square, safety
):
    client = client_for(community_staff)
    url = reverse("activities:add_finding", args=[volunteer_day.pk])
    post = {"place": square.pk, "category": safety.pk, "description": "x", "urgency": "normal"}
    response = client.post(url, post, follow=True)
    assert "只有巡查和检查" in response.content.decode()
    assert not Finding.objects.exists() and not Petition.objects.exists()
    page = client.get(reverse("activities:detail", args=[volunteer_day.pk])).content.decode()
    assert url not in page
