"""The activity pages through the client: who may see what, the forms, the panels."""

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Activity, ActivityPhoto, Finding, Place, ServiceTeam
from petitions.models import Petition
from petitions.photos import clean_photo
from tests.petitions.test_photos import image_file


def _activity_data(community, **extra):
    return {
        "kind": "patrol", "title": "红马甲巡查", "held_on": timezone.localdate().isoformat(),
        "participants": "6", "residents_reached": "0", "what_was_done": "巡查楼院、道路",
        "finding-TOTAL_FORMS": "1", "finding-INITIAL_FORMS": "0",
        "finding-0-place": "", "finding-0-category": "", "finding-0-description": "",
        "finding-0-urgency": "normal", **extra,
    }  # fmt: skip


def test_a_grid_worker_records_a_patrol_whose_finding_becomes_a_petition(
    client_for, grid_worker, grid_a1, shed, safety
):
    client = client_for(grid_worker)
    url = reverse("activities:create") + f"?community={grid_a1.community_id}"
    assert client.get(url).status_code == 200
    response = client.post(url, _activity_data(
        grid_a1.community, grid=grid_a1.pk, **{
            "finding-0-place": shed.pk, "finding-0-category": safety.pk,
            "finding-0-description": "3号楼车棚飞线充电",
        },
    ))  # fmt: skip
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    petition = Finding.objects.get(activity=activity).petition
    assert petition.source == "patrol"
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "3号楼车棚飞线充电" in page and petition.get_status_display() in page


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client_for, grid_worker, grid_a1):
    client = client_for(grid_worker)
    url = reverse("activities:create") + f"?community={grid_a1.community_id}"
    data = _activity_data(grid_a1.community, held_on="2099-01-01", title="夜间巡查")
    response = client.post(url, data)
    assert response.status_code == 200 and not Activity.objects.exists()
    page = response.content.decode()
    assert "夜间巡查" in page and "活动开展后再登记" in page


def test_a_grid_worker_must_name_their_grid(client_for, grid_worker, grid_a1):
    url = reverse("activities:create") + f"?community={grid_a1.community_id}"
    response = client_for(grid_worker).post(url, _activity_data(grid_a1.community))
    assert response.status_code == 200 and not Activity.objects.exists()
    assert "grid" in response.context["form"].errors  # their grid is required


def test_another_streets_official_gets_404(client_for, street_b_staff, patrol, shed):
    client = client_for(street_b_staff)
    photo = clean_photo(image_file())
    photo = ActivityPhoto.objects.create(
        activity=patrol, image=photo.image, thumbnail=photo.thumbnail
    )
    for url in (
        reverse("activities:detail", args=[patrol.pk]),
        reverse("activities:place_detail", args=[shed.pk]),
        reverse("activities:photo", args=[photo.pk, "thumb"]),
    ):
        assert client.get(url).status_code == 404, url
    ledger = client.get(reverse("activities:ledger")).content.decode()
    assert "红马甲巡查" not in ledger


def test_another_grids_worker_cannot_see_the_patrol(client_for, grid_a2, patrol):
    from tests import factories as f

    other = f.make_official("grid2", areas=[grid_a2])
    assert client_for(other).get(patrol.get_absolute_url()).status_code == 404


def test_the_community_sees_its_grids_activities(client_for, community_staff, patrol):
    response = client_for(community_staff).get(patrol.get_absolute_url())
    assert response.status_code == 200


def test_the_ledger_shows_the_months_activities_and_their_findings(
    client_for, community_staff, patrol
):
    month = patrol.held_on.strftime("%Y-%m")
    page = client_for(community_staff).get(reverse("activities:ledger"), {"month": month})
    text = page.content.decode()
    assert "红马甲巡查" in text and "0/1" in text


def test_a_bad_month_is_a_chinese_400(client_for, community_staff):
    response = client_for(community_staff).get(reverse("activities:ledger"), {"month": "2026-13"})
    assert response.status_code == 400 and "2026-10" in response.content.decode()


def test_the_ledger_exports_to_excel(client_for, community_staff, patrol):
    month = patrol.held_on.strftime("%Y-%m")
    response = client_for(community_staff).get(
        reverse("activities:ledger_export"), {"month": month}
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert "红马甲巡查" in cells


def test_the_place_page_masks_the_phone_and_lists_inspections(
    client_for, community_staff, patrol, shed
):
    page = client_for(community_staff).get(shed.get_absolute_url()).content.decode()
    assert "139****2222" in page and "13911112222" not in page
    assert "红马甲巡查" in page and "3号楼车棚飞线充电" in page


def test_the_petition_page_shows_where_it_was_found(client_for, community_staff, patrol, shed):
    petition = Petition.objects.get()
    page = client_for(community_staff).get(reverse("petitions:detail", args=[petition.pk]))
    assert shed.name in page.content.decode() and "红马甲巡查" in page.content.decode()


def test_the_community_page_shows_its_latest_activities(client_for, community_staff, patrol):
    page = client_for(community_staff).get(reverse("grids:community", args=[patrol.community_id]))
    assert "红马甲巡查" in page.content.decode()


def test_registering_a_place(client_for, grid_worker, grid_a1):
    response = client_for(grid_worker).post(reverse("activities:place_create"), {
        "grid": grid_a1.pk, "kind": "restaurant", "name": "老街饭店",
        "responsible_person": "赵六", "responsible_phone": "138 1234 5678",
    })  # fmt: skip
    place = Place.objects.get()
    assert response.status_code == 302 and place.responsible_phone == "13812345678"


def test_a_bad_phone_keeps_the_place_form(client_for, grid_worker, grid_a1):
    response = client_for(grid_worker).post(reverse("activities:place_create"), {
        "grid": grid_a1.pk, "kind": "restaurant", "name": "老街饭店", "responsible_phone": "12",
    })  # fmt: skip
    assert response.status_code == 200 and not Place.objects.exists()
    assert "老街饭店" in response.content.decode()


def test_founding_a_team_from_lines_of_members(client_for, community_staff, community_a):
    url = reverse("activities:team_create") + f"?community={community_a.pk}"
    response = client_for(community_staff).post(url, {
        "kind": "joint", "name": "联防联控队", "members": "张琳 党员 队长\n李明 片警\n周强 物业",
    })  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    team = ServiceTeam.objects.get()
    assert [m.name for m in team.members.all()] == ["张琳", "李明", "周强"]
    page = client_for(community_staff).get(team.get_absolute_url()).content.decode()
    assert "联防联控队" in page
    # a team's members, not a household's (the two headings share the English word)
    assert "<h2>队伍成员</h2>" in page and "家庭成员" not in page


def test_a_team_without_a_leader_is_refused_in_chinese(client_for, community_staff, community_a):
    url = reverse("activities:team_create") + f"?community={community_a.pk}"
    response = client_for(community_staff).post(
        url, {"kind": "joint", "name": "联防联控队", "members": "李明 片警"}
    )
    assert response.status_code == 200 and not ServiceTeam.objects.exists()
    assert "队长" in response.content.decode()


def test_the_dashboard_counts_activities_and_findings(client_for, community_staff, patrol):
    page = client_for(community_staff).get(reverse("home"), {"period": "this_month"})
    figures = page.context["activity_figures"]
    assert (figures.activities, figures.participants, figures.findings) == (1, 6, 1)
    assert figures.rectified == 0


def test_a_district_ledger_offers_streets_then_a_streets_communities(
    client_for, organizer, street_a_staff, grid_a1, grid_b1, community_staff, safety
):
    from tests.activities.test_query_counts import add_activities

    add_activities(grid_a1, community_staff, safety, 1)
    add_activities(grid_b1, organizer, safety, 1)
    client = client_for(organizer)
    response = client.get(reverse("activities:ledger"))
    assert len(response.context["streets"]) == 2 and response.context["communities"] == []
    assert len(response.context["page"]) == 2
    street_a = grid_a1.community.street_id
    response = client.get(reverse("activities:ledger"), {"street": street_a})
    assert response.context["communities"] == [(grid_a1.community_id, grid_a1.community.name)]
    assert [a.grid_id for a in response.context["page"]] == [grid_a1.pk]
    # Another street's id shows none of its activities to a street official.
    response = client_for(street_a_staff).get(
        reverse("activities:ledger"), {"street": grid_b1.community.street_id}
    )
    assert list(response.context["page"]) == [] and response.context["communities"] == []
