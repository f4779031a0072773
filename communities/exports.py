"""Audited Excel downloads (台账): who exported what, how many rows, from which address.

The workbook itself is written by `core.excel`; this adds the exporter's name to its title
block and the audit record every export leaves.
"""

from collections.abc import Iterable

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.excel import XLSX, ledger_workbook

from . import audit
from .models import AuditEvent
from .scoping import get_scope


def exporter_name(user) -> str:
    """Who exported: the official's name, the username only for an account without a profile.

    Read from the request's scope, which has loaded the official already (no query).
    """
    official = get_scope(user).official
    return official.name if official is not None and official.name else user.get_username()


def ledger_response(
    *, filename: str, sheet: str, title: str, request, headers: list, rows: Iterable[list]
) -> FileResponse:
    """An .xlsx download of `rows` under `title`, audited: who, what (title, file), how many
    rows, from which address."""
    user = request.user
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    exported = _("Exported by %(user)s at %(time)s") % {"user": exporter_name(user), "time": now}
    stream, count = ledger_workbook(
        sheet=sheet, title=title, exported=exported, headers=headers, rows=rows
    )
    audit.record(
        AuditEvent.Kind.EXPORT,
        user=user,
        request=request,
        detail=f"{title} ({filename})",
        rows=count,
    )
    return FileResponse(stream, as_attachment=True, filename=filename, content_type=XLSX)
