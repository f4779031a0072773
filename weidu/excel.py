"""Excel exports (台账): a title block naming the scope and the time, a header row, the rows.

openpyxl's write-only mode keeps memory flat however many rows there are; the file goes to a
spooled temporary file (in memory while small) that the view streams to the browser.
"""

import tempfile
from collections.abc import Iterable

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from communities import audit
from communities.models import AuditEvent

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger_response(
    *, filename: str, sheet: str, title: str, request, headers: list[str], rows: Iterable[list]
) -> FileResponse:
    """An .xlsx download: `title`, who exported it and when, then `headers` and `rows`.

    Every export is audited: who, what (title, file), how many rows, from which address.
    """
    user = request.user
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    worksheet.append([title])
    worksheet.append(
        [_("Exported by %(user)s at %(time)s") % {"user": user.get_username(), "time": now}]
    )
    worksheet.append([str(h) for h in headers])
    count = 0
    for row in rows:
        worksheet.append(row)
        count += 1
    audit.record(
        AuditEvent.Kind.EXPORT,
        user=user,
        request=request,
        detail=f"{title} ({filename})",
        rows=count,
    )
    stream = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 - streamed
    workbook.save(stream)
    stream.seek(0)
    return FileResponse(stream, as_attachment=True, filename=filename, content_type=XLSX)
