"""What the figures cache keeps is plain data: no lazy translation (unpickling one builds a class,
0.3 ms each, which made a street's cached dashboard cost 18 ms a load), and the language in
the key keeps each official's labels in their own language."""

import pickle

import pytest
from django.utils import translation

from petitions.dashboard import board
from petitions.headline import follow_through_board
from petitions.periods import period_from
from tests import factories as f


@pytest.fixture
def areas(grid_a1, grid_a2, grid_worker, casework_defaults):
    f.make_visit(f.make_household(grid_a1), by=grid_worker)
    f.make_petition(grid_a2, by=grid_worker)


def lazy_objects(value) -> int:
    return pickle.dumps(value).count(b"_lazy_proxy_unpickle")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_dashboard_and_the_follow_through_board_keep_no_lazy_string(
    areas, organizer, street_a_staff, community_staff, language
):
    period = period_from({})
    with translation.override(language):
        for user in (organizer, street_a_staff, community_staff):
            figures = board(user, period)
            assert figures["ranking"], user  # rows with their three zeros marks
            assert all(row.marks for row in figures["ranking"])
            assert lazy_objects(figures) == 0
        assert lazy_objects(follow_through_board(organizer, period)) == 0


def test_a_three_zeros_mark_is_in_the_language_it_was_computed_in(areas, street_a_staff):
    period = period_from({})
    with translation.override("zh-hans"):
        chinese = board(street_a_staff, period)["ranking"][0].marks[0]["label"]
    with translation.override("en"):
        english = board(street_a_staff, period)["ranking"][0].marks[0]["label"]
    assert (chinese, english) == ("三零达标", "three zeros held")
