"""Every URL of the project, as every role of street A, with the ids of street B's objects.

No answer may be a 500, and none may carry street B's data. The URL patterns are read from the
URL conf, so a new page is walked automatically; a page without a rule below fails the test.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from communities.models import Assignment
from grids.models import Role
from jobs.models import Job
from petitions.models import (
    Category,
    Notification,
    Petition,
    PetitionPhoto,
    ThreeTrustAnswer,
    Visit,
    VisitPhoto,
)
from petitions.photos import clean_photo
from tests import factories as f
from tests.petitions.test_photos import image_file

FOREIGN_MARKERS = ("河西社区", "张琳", "滨河花园", "13900001111")
ROLES = ["street_a_staff", "community_staff", "grid_worker", "department_staff", "outsider"]


def url_names():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/"):
                    continue  # the admin: organizers only, tested in tests/grids/test_admin.py
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return sorted(set(walk(get_resolver().url_patterns)))


@pytest.fixture
def foreign(grid_b1, grid_worker, casework_defaults):
    """Street B's objects: a compound, unit, household with a resident, a role, a visit, a photo."""
    compound = f.make_compound(grid_b1.community, name="滨河花园")
    building = f.make_building(compound, grid_b1, name="1号楼")
    unit = f.make_unit(building, name="1单元")
    household = f.make_household(grid_b1, unit=unit, room="101")
    resident = f.make_resident(household, name="张琳", phone="13900001111")
    role = Role.objects.create(
        kind="unit_head", resident=resident, community=grid_b1.community, grid=grid_b1, unit=unit,
        start_date="2025-01-01",
    )  # fmt: skip
    visit = Visit.objects.create(
        household=household, grid=grid_b1, visited_at=timezone.now(), kind="care",
        notes="张琳 独居", author=grid_worker,
    )  # fmt: skip
    photo = clean_photo(image_file())
    visit_photo = VisitPhoto.objects.create(
        visit=visit, image=photo.image, thumbnail=photo.thumbnail
    )
    petition = Petition.objects.create(
        source="visit", category=Category.objects.get(name="其他"), grid=grid_b1,
        household=household, resident=resident, description="张琳 反映滨河花园漏水",
        created_by=grid_worker,
    )  # fmt: skip
    petition_photo = PetitionPhoto.objects.create(
        petition=petition, image=photo.image, thumbnail=photo.thumbnail
    )
    # Street B's first secretary (another unit than department_staff's) and a 三双 answer there.
    bureau = f.make_department(grid_b1.community.street.district, name="信访局")
    cadre = f.make_official("cadre_b", name="张琳", department=bureau)
    Assignment.objects.create(
        official=cadre.official, department=bureau, community=grid_b1.community,
        start_date="2025-01-01",
    )  # fmt: skip
    ThreeTrustAnswer.objects.create(
        household=household, grid=grid_b1, asked_by=cadre, visit=visit, knows=True
    )
    return {
        "department_b": bureau,
        "petition": petition,
        "petition_photo": petition_photo,
        "community": grid_b1.community, "grid": grid_b1, "building": building, "unit": unit,
        "household": household, "resident": resident, "role": role, "visit": visit,
        "photo": visit_photo,
        "notification": Notification.objects.create(
            user=f.make_official("grid_b", areas=[grid_b1]), petition=petition, kind="assigned"
        ),
    }  # fmt: skip


def foreign_job(o):
    """An export job of a street B official, its title and file naming street B's resident."""
    if "job" not in o:
        book = Workbook()
        book.active.append(["张琳", "13900001111"])
        content = io.BytesIO()
        book.save(content)
        owner = f.make_official("street_b_exporter", areas=[o["community"]])
        o["job"] = Job.objects.create(
            kind="export", title="张琳 河西社区", owner=owner, state="succeeded",
            result=ContentFile(content.getvalue(), "foreign.xlsx"), result_name="河西社区.xlsx",
        )  # fmt: skip
    return o["job"]


# name -> (method, kwargs from the foreign objects, query string)
URL_RULES = {
    "home": ("get", lambda o: {}, ""),
    "healthz": ("get", lambda o: {}, ""),
    "login": ("get", lambda o: {}, ""),
    "logout": ("post", lambda o: {}, ""),
    "password_change": ("get", lambda o: {}, ""),
    "password_change_done": ("get", lambda o: {}, ""),
    "set_language": ("post", lambda o: {}, ""),
    "grids:area_list": ("get", lambda o: {}, ""),
    "grids:community": ("get", lambda o: {"pk": o["community"].pk}, ""),
    "grids:community_export": ("get", lambda o: {"pk": o["community"].pk}, ""),
    "grids:roster_export": ("get", lambda o: {"pk": o["community"].pk}, ""),
    "grids:grid": ("get", lambda o: {"pk": o["grid"].pk}, ""),
    "grids:grid_export": ("get", lambda o: {"pk": o["grid"].pk}, ""),
    "grids:role_appoint": (
        "get",
        lambda o: {"grid_pk": o["grid"].pk},
        lambda o: f"?kind=unit_head&place={o['unit'].pk}",
    ),  # fmt: skip
    "grids:role_end": ("post", lambda o: {"pk": o["role"].pk}, ""),
    "grids:building": ("get", lambda o: {"pk": o["building"].pk}, ""),
    "grids:household": ("get", lambda o: {"pk": o["household"].pk}, ""),
    "grids:resident_search": ("get", lambda o: {}, "?q=张"),
    "grids:resident_reveal": ("post", lambda o: {"pk": o["resident"].pk, "field": "phone"}, ""),
    "petitions:visit_create": ("get", lambda o: {}, lambda o: f"?household={o['household'].pk}"),
    "petitions:household_picker": ("get", lambda o: {}, "?q=张"),
    "petitions:household_panel": ("get", lambda o: {"pk": o["household"].pk}, ""),
    "petitions:co_visitor_choices": (
        "get",
        lambda o: {},
        lambda o: f"?household={o['household'].pk}",
    ),  # fmt: skip
    "cadres:list": ("get", lambda o: {}, ""),
    "cadres:export": ("get", lambda o: {}, ""),
    "cadres:unit": ("get", lambda o: {"pk": o["department_b"].pk}, ""),
    "cadres:three_trusts": ("get", lambda o: {}, ""),
    "petitions:my_visits": ("get", lambda o: {}, ""),
    "petitions:coverage": ("get", lambda o: {}, ""),
    "petitions:care_visits_due": ("get", lambda o: {}, ""),
    "petitions:visit_ledger": ("get", lambda o: {}, ""),
    "petitions:visit_detail": ("get", lambda o: {"pk": o["visit"].pk}, ""),
    "petitions:visit_correct": ("get", lambda o: {"pk": o["visit"].pk}, ""),
    "petitions:visit_photo": ("get", lambda o: {"pk": o["photo"].pk, "size": "full"}, ""),
    "petitions:petition_photo": (
        "get",
        lambda o: {"pk": o["petition_photo"].pk, "size": "thumb"},
        "",
    ),
    "petitions:list": ("get", lambda o: {}, ""),
    "petitions:inbox": ("get", lambda o: {}, ""),
    "petitions:rankings": ("get", lambda o: {}, ""),
    "petitions:publish_ranking": ("post", lambda o: {}, ""),
    "petitions:weekly_report": ("get", lambda o: {}, ""),
    "petitions:inbox_read": ("post", lambda o: {}, ""),
    "petitions:notification": ("get", lambda o: {"pk": o["notification"].pk}, ""),
    "petitions:ledger": ("get", lambda o: {}, ""),
    "petitions:create": ("get", lambda o: {}, lambda o: f"?household={o['household'].pk}"),
    "petitions:detail": ("get", lambda o: {"pk": o["petition"].pk}, ""),
    "petitions:act": ("post", lambda o: {"pk": o["petition"].pk, "action": "accept"}, ""),
    "jobs:detail": ("get", lambda o: {"pk": foreign_job(o).pk}, ""),
    "jobs:progress": ("get", lambda o: {"pk": foreign_job(o).pk}, ""),
    "jobs:download": ("get", lambda o: {"pk": foreign_job(o).pk}, ""),
    "jobs:list": ("get", lambda o: foreign_job(o) and {}, ""),  # street B's job exists
    "petitions:track": ("get", lambda o: {}, lambda o: f"?code={o['petition'].tracking_code}"),
}


def test_every_url_has_a_scope_rule():
    assert url_names() == sorted(URL_RULES), "add the new URL to URL_RULES with foreign ids"


def body_text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(content))
        return " ".join(str(c) for s in book for row in s.iter_rows(values_only=True) for c in row)
    if response.get("Content-Type", "").startswith("image/"):
        return "<image>"
    return content.decode("utf-8", "replace")


@pytest.mark.parametrize("role", ROLES)
def test_no_url_leaks_another_streets_data(request, client, role, foreign, community_a, grid_a1):
    user = request.getfixturevalue(role)
    for name, (method, kwargs, query) in URL_RULES.items():
        client.force_login(user)
        url = reverse(name, kwargs=kwargs(foreign)) + (query(foreign) if callable(query) else query)
        response = getattr(client, method)(url)
        assert response.status_code != 500, (role, name)
        if response.status_code == 200:
            text = body_text(response)
            assert text != "<image>", (role, name, "served another street's photo")
            leaked = [m for m in FOREIGN_MARKERS if m in text]
            assert not leaked, (role, name, leaked)
