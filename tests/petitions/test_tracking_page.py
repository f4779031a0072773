"""The residents' tracking page behind the TLS proxy: wrong codes are counted per client address
(the one the proxy reports), and a correct code is always answered."""

import pytest
from django.urls import reverse

from petitions.views.tracking import WRONG_CODES_ALLOWED
from tests import factories as f

PROXY = "10.0.0.254"


@pytest.fixture
def petition(grid_a1, grid_worker, casework_defaults):
    return f.make_petition(by=grid_worker, household=f.make_household(grid_a1, room="301"))


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_TLS_PROXY = True


def track(client, code, client_ip, forwarded_prefix=""):
    return client.get(
        reverse("petitions:track"),
        {"code": code},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_prefix + client_ip,
    )


def guess_until_refused(client, client_ip):
    """Wrong codes until refused; the forged entries in front of the one the proxy appended
    change with every guess and buy no fresh attempts."""
    for n in range(WRONG_CODES_ALLOWED):
        response = track(client, f"WRONGCODE{n}", client_ip, forwarded_prefix=f"192.0.2.{n}, ")
        assert response.status_code == 200
    assert track(client, "WRONGCODEX", client_ip, "198.51.100.1, ").status_code == 429


def test_one_guesser_behind_the_proxy_does_not_lock_out_other_residents(
    client, petition, behind_proxy
):
    guess_until_refused(client, "203.0.113.9")
    # Another resident, through the same proxy, mistypes once and then gets it right.
    assert track(client, "WRONGCODE0", "198.51.100.7").status_code == 200
    response = track(client, petition.tracking_code, "198.51.100.7")
    assert response.status_code == 200 and "排水防涝" in response.text


def test_a_correct_code_is_answered_even_from_an_address_over_the_limit(
    client, petition, behind_proxy
):
    guess_until_refused(client, "203.0.113.9")  # e.g. a shared office or a carrier's NAT
    for _ in range(3):  # answered every time, and correct codes are not counted as guesses
        response = track(client, petition.tracking_code, "203.0.113.9")
        assert response.status_code == 200 and "排水防涝" in response.text
    assert track(client, "WRONGCODEY", "203.0.113.9").status_code == 429
