"""A place's responsible person's phone is masked; revealing it is logged, and refused to
anyone who does not see the place."""

import pytest
from django.urls import reverse

from activities.models import PlaceRevealLog


@pytest.mark.parametrize("role", ["grid_worker", "community_staff", "street_a_staff"])
def test_the_phone_is_masked_and_its_reveal_logged(request, client_for, role, shed):
    user = request.getfixturevalue(role)
    client = client_for(user)
    page = client.get(shed.get_absolute_url()).content.decode()
    assert "139****2222" in page and "13911112222" not in page
    assert reverse("activities:place_reveal", args=[shed.pk]) in page
    response = client.post(reverse("activities:place_reveal", args=[shed.pk]))
    assert response.status_code == 200
    assert "13911112222" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    log = PlaceRevealLog.objects.get()
    assert (log.user, log.place) == (user, shed)
    # the next page view is masked again
    assert "13911112222" not in client.get(shed.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ["street_b_staff", "department_staff", "outsider"])
def test_who_does_not_see_the_place_is_refused(request, client_for, role, shed):
    client = client_for(request.getfixturevalue(role))
    response = client.post(reverse("activities:place_reveal", args=[shed.pk]))
    assert response.status_code == 404
    assert "13911112222" not in response.content.decode()
    assert not PlaceRevealLog.objects.exists()


def test_a_get_does_not_reveal(client_for, community_staff, shed):
    response = client_for(community_staff).get(reverse("activities:place_reveal", args=[shed.pk]))
    assert response.status_code == 405 and not PlaceRevealLog.objects.exists()


def test_the_place_list_and_the_activity_page_never_show_the_full_phone(
    client_for, community_staff, patrol, shed
):
    client = client_for(community_staff)
    for url in (reverse("activities:place_list"), reverse("activities:detail", args=[patrol.pk])):
        assert "13911112222" not in client.get(url).content.decode()
