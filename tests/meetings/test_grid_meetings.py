"""Who may schedule a meeting where: a grid worker for their own grid, a community's officials
for the community and its grids, a street's for its communities; nobody outside."""

import pytest
from django.urls import reverse

from meetings.models import Meeting, Topic
from tests import factories as f


@pytest.fixture
def grid_a2_worker(grid_a2):
    return f.make_official("grid_a2", name="邓丽", areas=[grid_a2], title="网格员")


def _schedule(client, community, grid=None, kind="party"):
    data = {"community": community.pk, "kind": kind, "starts_at": "2026-12-01T09:00",
            "place": "网格党群服务站"}  # fmt: skip
    if grid is not None:
        data["grid"] = grid.pk
    return client.post(reverse("meetings:create"), data)


def test_a_grid_worker_schedules_and_records_their_grids_meeting(
    client_for, grid_worker, community_a, grid_a1
):
    client = client_for(grid_worker)
    assert client.get(reverse("meetings:create")).status_code == 200
    response = _schedule(client, community_a, grid_a1)
    meeting = Meeting.objects.get()
    assert response.url == reverse("meetings:detail", args=[meeting.pk])
    assert (meeting.grid, meeting.kind, meeting.created_by) == (grid_a1, "party", grid_worker)
    # and records it: a topic on its page
    url = reverse("meetings:change", args=[meeting.pk, "add_topic"])
    assert client.post(url, {"title": "楼道堆物清理"}).status_code == 302
    assert Topic.objects.get().meeting == meeting
    assert meeting.place in client.get(reverse("meetings:list")).content.decode()


def test_a_grid_worker_cannot_schedule_for_the_whole_community(
    client_for, grid_worker, community_a
):
    response = _schedule(client_for(grid_worker), community_a, kind="day")
    assert response.status_code == 200
    assert "请选择您的网格" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("other", ["grid_a2", "grid_b1"])
def test_a_grid_worker_cannot_schedule_for_another_grid(request, client_for, grid_worker, other):
    grid = request.getfixturevalue(other)
    response = _schedule(client_for(grid_worker), grid.community, grid)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_grid_worker_of_another_grid_gets_404(
    client_for, grid_worker, grid_a2_worker, community_a, grid_a1
):
    _schedule(client_for(grid_worker), community_a, grid_a1)
    meeting = Meeting.objects.get()
    client = client_for(grid_a2_worker)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    url = reverse("meetings:change", args=[meeting.pk, "add_topic"])
    assert client.post(url, {"title": "x"}).status_code == 404
    assert not Topic.objects.exists()


@pytest.mark.parametrize("role", ["community_staff", "street_a_staff", "organizer"])
@pytest.mark.parametrize("in_grid", [True, False])
def test_community_and_above_schedule_for_the_community_and_its_grids(
    request, client_for, role, in_grid, community_a, grid_a2
):
    grid = grid_a2 if in_grid else None
    response = _schedule(client_for(request.getfixturevalue(role)), community_a, grid)
    meeting = Meeting.objects.get()
    assert response.url == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.grid == grid


@pytest.mark.parametrize("role", ["community_staff", "street_a_staff"])
def test_officials_cannot_schedule_outside_their_area(request, client_for, role, community_b):
    response = _schedule(client_for(request.getfixturevalue(role)), community_b, kind="day")
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_grid_worker_is_sent_to_the_single_meeting_form_for_a_recurring_one(
    client_for, grid_worker
):
    client = client_for(grid_worker)
    response = client.get(reverse("meetings:schedule"))
    assert response.url == reverse("meetings:create")
    assert "整个社区" in client.get(response.url).content.decode()
