"""The dispute list, the dispute page and the monthly report run a fixed number of queries: the
same with one dispute as with fifty."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disputes.models import Dispute
from disputes.services import transitions as t

ROWS = pytest.mark.parametrize("rows", [1, 50])


def _disputes(make_dispute, by, rows):
    """`rows` disputes, the first one agreed after a mediation by a judge and a lawyer."""
    disputes = [make_dispute() for _ in range(rows)]
    first = disputes[0]
    t.accept(first, by=by)
    t.mediate(first, by=by, held_on=timezone.localdate(), place="社区调解室",
              mediators=[("judge", None, "周法官"), ("lawyer", None, "陈律师"),
                         ("grid_worker", by.official, "")],
              outcome="success", terms="赔偿500元")  # fmt: skip
    return Dispute.objects.get(pk=first.pk)


def _count(client, url, data=None):
    client.get(url, data)  # warm up: the first request stamps the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(queries), response


@ROWS
def test_the_dispute_list_queries_are_fixed(client_for, make_dispute, community_staff, rows):
    _disputes(make_dispute, community_staff, rows)
    # session, user, scope (official, areas), the page's rows with kind, grid, community,
    # street, building and compound joined, the unread dispute notifications, the petitions'
    # unread count (the menu), the kinds of the filter.
    # 100 rows a page: the official's choice, remembered by the first request.
    count, response = _count(client_for(community_staff), reverse("disputes:list"), {"per": 100})
    assert len(response.context["page"]) == rows
    assert count == 8


@ROWS
def test_the_dispute_page_queries_are_fixed(client_for, make_dispute, community_staff, rows):
    dispute = _disputes(make_dispute, community_staff, rows)
    url = reverse("disputes:detail", args=[dispute.pk])
    # session, user, scope (2), the dispute with its place, kind, petition, visit, handler and
    # referral joined (loaded through the user's scope, so the actions offered ask no more),
    # the parties with their residents, the menu's unread count, the mediations, their
    # mediators with officials, the scans, the timeline with its actors.
    count, response = _count(client_for(community_staff), url)
    assert "周法官" in response.content.decode()
    assert count == 11


def test_the_mediation_form_reads_the_officials_once(client_for, make_dispute, community_staff):
    """An accepted dispute offers the mediation form: its four mediator rows share one query
    of the officials serving the place."""
    dispute = make_dispute()
    t.accept(dispute, by=community_staff)
    url = reverse("disputes:detail", args=[dispute.pk])
    # as above, with the officials offered instead of the mediations' mediators (none yet)
    count, response = _count(client_for(community_staff), url)
    assert response.text.count(f'<option value="{community_staff.official.pk}">') == 4
    assert count == 10


@ROWS
def test_the_monthly_report_queries_are_fixed(
    client_for, make_dispute, community_staff, community_a, rows
):
    _disputes(make_dispute, community_staff, rows)
    count, response = _count(
        client_for(community_staff), reverse("disputes:report"), {"community": community_a.pk}
    )
    assert response.context["report"].total.screened == rows
    # session, user, scope (2), the community asked for, the kinds, one grouped count per
    # measure for the month (3) and for the five months before (3), the community choices,
    # the menu's unread count.
    assert count == 14
