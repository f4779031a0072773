"""One vocabulary: the levels and closed statuses are defined once, and the queryset's words
(`open`, `overdue`, `due_soon`, `in_area`) say in SQL what a petition says of itself."""

import datetime

from django.utils import timezone

from petitions.models import Petition
from tests import factories as f


def test_levels_and_closed_statuses_are_the_choices_themselves():
    assert tuple(Petition.Level.values) == Petition.LEVELS
    assert set(Petition.CLOSED_STATUSES) <= set(Petition.Status.values)
    assert Petition.Status.NEW not in Petition.CLOSED_STATUSES


def test_the_querysets_words_agree_with_each_petition(
    grid_worker, grid_a1, grid_a2, grid_b1, casework_defaults
):
    now = timezone.now()
    hours = datetime.timedelta(hours=1)
    made = [
        f.make_petition(grid, by=grid_worker, status=status, due_at=due)
        for grid in (grid_a1, grid_a2, grid_b1)
        for status in ("new", "in_progress", "closed", "merged")
        for due in (None, now - hours, now + hours, now + 30 * hours)
    ]
    petitions = Petition.objects.filter(pk__in=[p.pk for p in made])

    def pks(qs):
        return set(qs.values_list("pk", flat=True))

    assert pks(petitions.open()) == {p.pk for p in made if p.is_open}
    assert pks(petitions.overdue(now)) == {p.pk for p in made if p.is_overdue(now)}
    assert pks(petitions.due_soon(now)) == {p.pk for p in made if p.is_due_soon(now)}
    community = grid_a1.community
    assert pks(petitions.in_area("grid", grid_a1.pk)) == {p.pk for p in made if p.grid == grid_a1}
    assert pks(petitions.in_area("community", community.pk)) == {
        p.pk for p in made if p.grid.community == community
    }
    assert pks(petitions.in_area("street", community.street_id)) == pks(
        petitions.in_area("community", community.pk)
    )


def test_the_status_new_and_the_inboxs_new_are_two_words():
    from django.utils import translation
    from django.utils.translation import pgettext

    with translation.override("zh-hans"):
        assert str(Petition.Status.NEW.label) == "待受理"
        assert pgettext("notification", "new") == "新"
        assert str(Petition.Level.DISTRICT.label) == "区"
