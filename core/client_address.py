"""The address of the person at the other end of a request: the one place that decides it.

Without a proxy it is the connecting address (REMOTE_ADDR). Behind the documented TLS proxy
(BEHIND_TLS_PROXY=on) the connecting address is the proxy's, the same for everyone; the client's
is the LAST entry of X-Forwarded-For, the one our proxy appended (nginx:
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`). Entries before it were sent by
the client and may be forged, so exactly one hop is trusted. The login lockout (django-axes,
AXES_CLIENT_IP_CALLABLE) and the tracking page's wrong-code counter both key on this address.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The client's IP address as text; the connecting address when no valid one is reported."""
    connecting = request.META.get("REMOTE_ADDR", "")
    if not getattr(settings, "BEHIND_TLS_PROXY", False):
        return connecting
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        # No header (a request that did not come through the proxy, e.g. a health check from
        # the host itself) or garbage: never key on text a client chose.
        return connecting
