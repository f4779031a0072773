"""The scale generator writes valid, deterministic data through COPY (or executemany on SQLite)."""

import pytest
from django.db import transaction
from django.db.models import Max

from communities.demo import load_map
from grids.demo import load_registry
from grids.models import Household, Resident
from grids.synthetic import generate_registry
from petitions.models import Petition, PetitionEvent, Visit
from petitions.synthetic import generate_petitions, generate_visits
from trails.sealing import seal_everything
from trails.streams import all_streams
from trails.verify import verify

HOUSEHOLDS, VISITS_PER_HOUSEHOLD, PETITIONS = 300, 3.0, 200


@pytest.fixture
def demo_map(db):
    load_map()
    load_registry()


def generate(seed=1):
    generate_registry(HOUSEHOLDS, seed=seed, progress=lambda message: None)
    generate_visits(VISITS_PER_HOUSEHOLD, seed=seed, progress=lambda message: None)
    generate_petitions(PETITIONS, seed=seed, progress=lambda message: None)


def generated_households():
    return Household.objects.filter(unit__building__compound__name__startswith="生成小区")


def fingerprint():
    """What a seed decides, without ids or the clock."""
    residents = Resident.objects.filter(household__in=generated_households()).order_by("pk")
    return (
        list(residents.values_list("name", "id_number", "birth_date", "relation")),
        list(Visit.objects.filter(household__in=generated_households()).values_list("kind")),
        list(Petition.objects.order_by("pk").values_list("status", "level", "source")),
    )


def test_generated_rows_are_there_and_valid(demo_map):
    petitions_before = Petition.objects.count()
    generate()

    households = generated_households()
    assert households.count() == HOUSEHOLDS
    residents = Resident.objects.filter(household__in=households)
    assert 2 * HOUSEHOLDS < residents.count() < 4 * HOUSEHOLDS
    for resident in residents.order_by("?")[:50]:
        resident.full_clean()
    # The phone suffix is a generated column: COPY leaves it to the database.
    with_phone = residents.exclude(phone="").first()
    assert with_phone.phone_suffix == with_phone.phone[-4:]

    visits = Visit.objects.filter(household__in=households)
    assert 2 * HOUSEHOLDS < visits.count() < 4 * HOUSEHOLDS
    for household in households.annotate(latest=Max("visits__visited_at"))[:50]:
        assert household.last_visited_at == household.latest

    new = Petition.objects.order_by("pk")[petitions_before:]
    assert len(new) == PETITIONS
    assert {"closed", "in_progress"} <= {p.status for p in new}
    # Recorded over two years, not all at the moment of generating (auto_now_add does not apply).
    assert len({p.created_at.date() for p in new}) > PETITIONS // 2
    for petition in new:
        assert petition.accepted_at is None or petition.created_at < petition.accepted_at
        petition.full_clean(exclude=["tracking_code"])
    events = PetitionEvent.objects.filter(petition__in=[p.pk for p in new], action="created")
    assert sorted(events.values_list("petition_id", "at")) == [(p.pk, p.created_at) for p in new]
    # Events inserted in bulk by SQL have no MAC until generate_scale chains them.
    events = PetitionEvent._meta.db_table
    assert verify(next(s for s in all_streams() if s.name == events)).problem == "no_mac"
    seal_everything()
    assert [v.stream for v in map(verify, all_streams()) if not v.intact] == []


def test_the_same_seed_gives_the_same_data(demo_map):
    with transaction.atomic():
        generate(seed=5)
        first = fingerprint()
        transaction.set_rollback(True)
    generate(seed=5)
    assert fingerprint() == first
    assert first[0]  # not two empty lists


def test_generated_cadres_have_the_pages_shape(demo_map, monkeypatch):
    """48 unit heads as first secretaries of 89 communities (some serve two), 539 grid first
    secretaries, the demo's named ones included; a second run adds nothing."""
    from cadres.synthetic import generate_cadres
    from communities.models import Assignment
    from grids import synthetic

    monkeypatch.setattr(synthetic, "HOUSEHOLDS_PER_COMMUNITY", 6)  # one household a grid
    generate_registry(90 * 6, seed=1, progress=lambda message: None)

    def shape():
        current = Assignment.objects.current().first_secretaries()
        heads = current.filter(community__isnull=False)
        return (
            heads.values("official").distinct().count(),
            heads.values("community").distinct().count(),
            current.filter(grid__isnull=False).values("official").distinct().count(),
            Visit.objects.filter(co_visitors__isnull=False).count() > 500,
        )

    generate_cadres(seed=1, progress=lambda message: None)
    assert shape() == (48, 89, 539, True)
    assert Assignment.objects.get(community__name="八西社区").official.name == "菅广宇"
    count = Assignment.objects.count()
    generate_cadres(seed=1, progress=lambda message: None)
    assert Assignment.objects.count() == count
