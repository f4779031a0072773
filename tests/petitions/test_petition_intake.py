"""Recording a petition from the page: its place inside the scope, its source chosen, a repeat
offered for merging; and the residents' tracking page finding it without personal data."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from petitions.models import Category, Petition
from petitions.services import transitions as t
from tests import factories as f
from tests.petitions.acting import (
    create,
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


def test_a_null_character_is_refused_with_what_it_is_not_as_an_empty_field(
    client_for, grid_worker, grid_a1, casework_defaults
):
    """Pasted text may carry a NUL: the official is told so (Django's own Chinese said the field
    was an empty string) and keeps what they typed."""
    building = f.make_building(f.make_compound(grid_a1.community), grid_a1)
    lighting = Category.objects.get(name="亮化绿化")
    response = create(client_for(grid_worker), category=lighting.pk, building=building.pk,
                      description="路灯\x00不亮")  # fmt: skip
    assert "内容中含有不可见的空字符" in response.text and "空字符串" not in response.text
    assert not Petition.objects.exists()


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


def test_the_new_petition_form_from_a_household_page_carries_the_household(
    client_for, grid_worker, petition
):
    response = client_for(grid_worker).get(
        reverse("petitions:create"), {"household": petition.household_id}
    )
    assert f'name="household" value="{petition.household_id}"' in response.text
    assert "陈华" in response.text  # the members to pick who raised it


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
