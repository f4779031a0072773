"""Acting on a petition in the casework tests as the pages do: POST an action with the version
the page showed, record a petition through the form, take one up to the district."""

from django.urls import reverse

from petitions.models import Petition
from petitions.services import transitions as t
from tests import factories as f


def act(client, petition, action, **data):
    petition.refresh_from_db()
    url = reverse("petitions:act", args=[petition.pk, action])
    return client.post(url, {"version": petition.version, **data}, follow=True)


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


def district_petition(petition, organizer, department=None):
    for _ in range(3):
        t.escalate(petition, by=organizer, reason="上报")
    if department is not None:
        t.dispatch(petition, by=organizer, department=department)
    return petition


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


def kinds(user):
    from petitions.models import Notification

    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))
