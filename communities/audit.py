"""The audit log: logins, failed logins and exports, written as they happen (PIPL, 等保).

Reveals of personal numbers have their own log (`grids.RevealLog`) and admin changes Django's
`LogEntry`; all three are read-only in the admin.
"""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from core.client_address import client_address as _request_address

from .models import AuditEvent


def client_address(request):
    # The same address the login lockout and /track/ key on: the client's, behind the proxy too.
    return _request_address(request) if request is not None else ""


def record(kind, *, user=None, username="", request=None, detail="", rows=None):
    return AuditEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.is_authenticated else None,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        address=client_address(request)[:45],
        detail=detail[:500],
        rows=rows,
    )


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(AuditEvent.Kind.LOGIN, user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record(AuditEvent.Kind.LOGIN_FAILED, username=credentials.get("username", ""), request=request)
