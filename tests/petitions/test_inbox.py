"""The inbox: who hears of what happens to a petition (assigned, escalated, returned, resolved,
reopened), unread first, and a notification's marker that is not the petition's status."""

from django.urls import reverse
from django.utils import timezone

from petitions.services import transitions as t
from tests.petitions.acting import act, district_petition, kinds


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


def test_acting_on_a_petition_reads_ones_own_notifications_of_it(
    grid_worker, community_staff, petition
):
    """An official who dealt with the petition has seen it: its badge does not stay lit."""
    from petitions.models import Notification
    from petitions.services.inbox import unread_count
    from petitions.services.intake import open_petition

    other = open_petition(by=grid_worker, source="walk_in", category=petition.category,
                          description="另一件", household=petition.household)  # fmt: skip
    t.escalate(petition, by=grid_worker, reason="小区解决不了")
    t.escalate(other, by=grid_worker, reason="小区解决不了")
    assert unread_count(community_staff) == 2
    t.accept(petition, by=community_staff)
    assert unread_count(community_staff) == 1  # the other petition's is still unread
    assert Notification.objects.get(user=community_staff, petition=petition).read_at is not None
