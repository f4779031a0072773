"""The admin with crafted values: list parameters and ids past 64 bits never give a 500, and a
refused form saves nothing (the pages' walk is tests/test_hostile_input.py)."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.hostile_world import HUGE, short


def _admin_cases():
    """(list URL, parameter, value) for every admin list: its page, search, ordering, each list
    filter's lookups and the date hierarchy, with values past 64 bits (Django builds the
    queries from them itself)."""
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        params = [("p", HUGE), ("o", HUGE), ("q", "1\x00"), ("q", "9" * 5_000)]
        for name in (x for x in model_admin.list_filter if isinstance(x, str)):
            params += [(f"{name}__exact", HUGE), (f"{name}__id__exact", HUGE)]
        if model_admin.date_hierarchy:
            params += [(f"{model_admin.date_hierarchy}__year", HUGE)]
        yield from ((url, name, value) for name, value in params)


def test_no_admin_list_parameter_or_id_gives_a_500(client_for, organizer, grid_a1):
    from django.contrib import admin

    client = client_for(organizer)
    client.raise_request_exception = False
    failures = []
    for url, name, value in _admin_cases():
        if client.get(url, {name: value}).status_code >= 500:
            failures.append((url, name, short(value)))
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
        url = reverse(name, args=[987654321]).replace("987654321", HUGE)
        if client.get(url).status_code >= 500:
            failures.append((url, "id", HUGE))
    assert not failures, failures


@pytest.mark.parametrize("field", ["tags", "household"])
def test_an_admin_form_with_an_id_past_64_bits_is_refused_and_saves_nothing(
    client_for, organizer, grid_a1, field
):
    from grids.models import Resident

    household = f.make_household(grid_a1)
    data = {"household": household.pk, "name": "王五", "gender": "M", "relation": "head",
            "status": "living", field: HUGE}  # fmt: skip
    client = client_for(organizer)
    client.raise_request_exception = False
    response = client.post(reverse("admin:grids_resident_add"), data)
    assert response.status_code in (200, 400)
    assert not Resident.objects.filter(name="王五").exists()
