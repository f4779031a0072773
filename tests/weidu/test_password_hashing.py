"""Passwords: Argon2id with a memory cost (weidu/hashers.py), old PBKDF2 hashes still log in."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, identify_hasher, make_password

from tests.factories import PASSWORD


def test_a_new_password_is_stored_as_argon2id_with_64_mib_and_one_pass(db):
    encoded = make_password("a-long-enough-secret")
    assert encoded.startswith("argon2$argon2id$v=19$m=65536,t=1,p=1$")
    assert identify_hasher(encoded).must_update(encoded) is False
    assert check_password("a-long-enough-secret", encoded)


def test_an_official_with_a_pbkdf2_password_logs_in_and_it_is_rewritten_as_argon2id(
    client, grid_worker
):
    user = get_user_model().objects.get(username="grid")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post("/accounts/login/", {"username": "grid", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


def test_a_wrong_password_against_an_argon2id_hash_is_refused(client, grid_worker):
    response = client.post("/accounts/login/", {"username": "grid", "password": "not-it-at-all"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
