"""Login lockout (django-axes), security headers (CSP and friends)."""

import pytest

from tests.factories import PASSWORD


def attempt(client, username, password, ip="10.0.0.1", **headers):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
    )


@pytest.fixture
def locked(client, community_staff):
    for _ in range(4):
        assert attempt(client, "community", "wrong-password").status_code == 200
    assert attempt(client, "community", "wrong-password").status_code == 429  # the fifth locks
    return client


def test_five_wrong_passwords_lock_the_account_at_that_address(locked):
    response = attempt(locked, "community", PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in locked.session


def test_a_colleague_at_the_same_address_can_still_log_in(locked, street_a_staff):
    response = attempt(locked, "street_a", PASSWORD)
    assert response.status_code == 302


def test_the_same_user_from_another_address_can_still_log_in(locked):
    assert attempt(locked, "community", PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_forged_forwarded_for_header_buys_no_fresh_attempts(client, community_staff):
    for n in range(5):
        attempt(client, "community", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert (
        attempt(client, "community", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code
        == 429
    )


def test_success_resets_the_failure_count(client, community_staff):
    for _ in range(4):
        attempt(client, "community", "wrong")
    assert attempt(client, "community", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "community", "wrong")
    assert attempt(client, "community", PASSWORD).status_code == 302


def test_pages_carry_a_content_security_policy_without_inline_script(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    script = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script and "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_contains_an_inline_script():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    inline = []
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            inline.append(f"{template.relative_to(root)}: {match.group(0)}")
        if re.search(r"\son[a-z]+=", text):
            inline.append(f"{template.relative_to(root)}: inline event handler")
    assert inline == []


def test_logins_and_failed_logins_are_audited(client, community_staff):
    from communities.models import AuditEvent

    attempt(client, "community", "wrong")
    attempt(client, "community", PASSWORD)
    events = list(AuditEvent.objects.order_by("at").values_list("kind", "username", "address"))
    assert events == [("login_failed", "community", "10.0.0.1"), ("login", "community", "10.0.0.1")]


def test_exports_are_audited_with_scope_and_row_count(
    client_for, community_staff, community_a, grid_a1
):
    from django.urls import reverse

    from communities.models import AuditEvent
    from tests import factories as f

    for _ in range(3):
        f.make_resident(f.make_household(grid_a1))
    client_for(community_staff).get(reverse("grids:community_export", args=[community_a.pk]))
    event = AuditEvent.objects.get(kind="export")
    assert event.user == community_staff and event.rows == 3
    assert "新村社区" in event.detail


def test_audit_records_cannot_be_changed_or_deleted_in_the_admin(
    client_for, organizer, community_staff
):
    from django.urls import reverse

    from communities.models import AuditEvent

    event = AuditEvent.objects.create(kind="login", username="community")
    client = client_for(organizer)
    assert client.get(reverse("admin:communities_auditevent_changelist")).status_code == 200
    assert (
        client.post(reverse("admin:communities_auditevent_delete", args=[event.pk])).status_code
        == 403
    )
    assert client.get(reverse("admin:communities_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:admin_logentry_changelist")).status_code == 200


def test_changing_the_password_logs_out_every_other_session(client, community_staff):
    from django.test import Client

    other_device = Client()
    other_device.force_login(community_staff)
    assert other_device.get("/").status_code == 200
    client.force_login(community_staff)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Xinhua-Road-59-garden",
            "new_password2": "Xinhua-Road-59-garden",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert other_device.get("/").status_code == 302  # the other one is logged out


def test_an_overlong_username_is_refused_before_authentication(client, db):
    response = attempt(client, "长" * 5000, "whatever")
    assert response.status_code == 200
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.exists()


# --- Behind the TLS proxy: the client's address, one hop trusted (core/client_address.py) -----

PROXY = "10.0.0.254"  # every request reaches the app from the proxy


def via_proxy(client, username, password, client_ip, forwarded_prefix=""):
    """A login as nginx passes it on: X-Forwarded-For with the client's address appended."""
    return attempt(
        client, username, password, ip=PROXY, HTTP_X_FORWARDED_FOR=forwarded_prefix + client_ip
    )


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_TLS_PROXY = True


def request_from(remote_addr, forwarded=None):
    from django.test import RequestFactory

    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


def test_client_address_behind_the_proxy_is_the_entry_the_proxy_appended(behind_proxy):
    from core.client_address import client_address

    assert client_address(request_from(PROXY, "203.0.113.9")) == "203.0.113.9"
    # Entries before the last were sent by the client: never trusted.
    assert client_address(request_from(PROXY, "198.51.100.1, 203.0.113.9")) == "203.0.113.9"
    assert client_address(request_from(PROXY, "2001:db8::1")) == "2001:db8::1"
    # No header, or garbage in it: the connecting address, never text the client chose.
    assert client_address(request_from(PROXY)) == PROXY
    assert client_address(request_from(PROXY, "1.2.3.4, evil")) == PROXY


def test_client_address_without_the_proxy_ignores_forwarded_for(settings):
    from core.client_address import client_address

    settings.BEHIND_TLS_PROXY = False
    assert client_address(request_from("10.0.0.1", "203.0.113.9")) == "10.0.0.1"


def test_behind_the_proxy_one_guesser_locks_only_their_own_address(
    client, community_staff, behind_proxy
):
    # Forged entries in front of the one the proxy appended buy no fresh attempts.
    for n in range(5):
        via_proxy(client, "community", "wrong", "203.0.113.9", forwarded_prefix=f"192.0.2.{n}, ")
    assert via_proxy(client, "community", PASSWORD, "203.0.113.9").status_code == 429
    # The official, from their office, through the same proxy: not locked out.
    assert via_proxy(client, "community", PASSWORD, "198.51.100.7").status_code == 302


def test_behind_the_proxy_the_audit_log_records_the_client_not_the_proxy(
    client, community_staff, behind_proxy
):
    from communities.models import AuditEvent

    attempt(client, "community", PASSWORD, ip=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert AuditEvent.objects.get(kind="login").address == "203.0.113.7"
