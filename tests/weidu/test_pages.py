"""The project-wide pages: login, home, password change, language switch, health check."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.factories import PASSWORD


def test_home_redirects_anonymous_visitor_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_login_page_speaks_chinese_by_default(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.text
    assert "登录" in response.text


def test_browser_set_to_english_still_gets_chinese_until_the_user_switches(client, db):
    response = client.get("/accounts/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="zh-hans">' in response.text


def test_login_page_speaks_english_after_switching(client, db):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert '<html lang="en">' in response.text
    assert "Log in" in response.text


def test_official_logs_in_and_sees_name_and_scope(client, community_staff):
    response = client.post(
        "/accounts/login/", {"username": "community", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "柴松杰" in response.text
    assert "北大街街道 · 新村社区" in response.text


def test_wrong_password_is_refused_with_a_chinese_message(client, community_staff):
    response = client.post("/accounts/login/", {"username": "community", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.text
    assert "_auth_user_id" not in client.session


def test_grid_worker_header_names_the_grid(client_for, grid_worker):
    response = client_for(grid_worker).get("/")
    assert "北大街街道 · 新村社区 · 第一网格" in response.text


def test_admin_link_shown_only_to_staff(client_for, organizer, community_staff):
    assert "/admin/" in client_for(organizer).get("/").text
    assert "/admin/" not in client_for(community_staff).get("/").text


def test_logout_needs_post_and_ends_session(client_for, community_staff):
    client = client_for(community_staff)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_page_changes_password(client_for, community_staff):
    client = client_for(community_staff)
    assert client.get("/accounts/password/").status_code == 200
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Xinhua-Road-59-garden",
            "new_password2": "Xinhua-Road-59-garden",
        },
    )
    assert response.status_code == 302
    community_staff.refresh_from_db()
    assert community_staff.check_password("Xinhua-Road-59-garden")


def test_password_change_refuses_weak_password_in_chinese(client_for, community_staff):
    response = client_for(community_staff).post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "密码" in response.text and "太短" in response.text


def test_healthz_answers_200_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_answers_503_when_database_is_down(client, db, monkeypatch):
    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr("weidu.health.check_database", down)
    response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.parametrize("method", ["post", "delete"])
def test_healthz_answers_only_get(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405


def test_session_ends_after_thirty_idle_minutes(client_for, community_staff):
    import time

    client = client_for(community_staff)
    client.get("/")
    session = client.session
    session["_last_seen"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/communities/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/communities/")
    assert "_auth_user_id" not in client.session


def test_active_session_is_not_written_on_every_request(
    client_for, community_staff, django_assert_num_queries
):
    client = client_for(community_staff)
    client.get("/")
    with django_assert_num_queries(
        5
    ):  # session, user, official, areas, unread notifications: no session write
        client.get("/accounts/password/")


def test_session_ends_twelve_hours_after_signing_in_however_active(client_for, community_staff):
    import time

    client = client_for(community_staff)
    client.get("/")

    def signed_in(hours_ago, minutes=0):
        session = client.session
        now = int(time.time())
        session["_signed_in_at"] = now - hours_ago * 60 * 60 - minutes * 60
        session["_last_seen"] = now - 30  # active half a minute ago
        session.save()

    signed_in(11)
    assert client.get("/communities/").status_code == 200
    signed_in(12, minutes=1)
    response = client.get("/communities/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/communities/")
    assert "_auth_user_id" not in client.session


def test_signing_in_starts_the_twelve_hours_afresh(client, community_staff):
    import time

    client.post("/accounts/login/", {"username": "community", "password": PASSWORD})
    session = client.session
    assert abs(session["_signed_in_at"] - time.time()) < 60
    session["_signed_in_at"] = int(time.time()) - 11 * 60 * 60
    session.save()
    client.post("/accounts/login/", {"username": "community", "password": PASSWORD})
    assert abs(client.session["_signed_in_at"] - time.time()) < 60


def test_the_navigation_marks_the_page_of_its_own_app_only(client, grid_worker):
    from jobs.models import Job

    client.force_login(grid_worker)
    job = Job.objects.create(kind="export", title="诉求台账", owner=grid_worker, state="succeeded")
    assert 'aria-current="page"' not in client.get(reverse("jobs:detail", args=[job.pk])).text
    petitions = client.get(reverse("petitions:list")).text
    assert petitions.count('aria-current="page"') == 1
