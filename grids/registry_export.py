"""Excel export of a scope's registry: one row per resident, phone and ID number masked."""

import tempfile

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from .models import Resident

COLUMNS = [
    (_("community"), lambda r: r.household.grid.community.name),
    (_("grid"), lambda r: r.household.grid.name),
    (_("address"), lambda r: r.household.address),
    (_("full name"), lambda r: r.name),
    (_("gender"), lambda r: r.get_gender_display()),
    (_("birth date"), lambda r: r.birth_date),
    (_("relation to the head"), lambda r: r.get_relation_display()),
    (_("phone"), lambda r: r.masked_phone),
    (_("ID-card number"), lambda r: r.masked_id_number),
    (_("tags"), lambda r: "、".join(t.name for t in r.tags.all())),
    (_("status"), lambda r: r.get_status_display()),
]


def export_households(households, *, title: str, user) -> tempfile.SpooledTemporaryFile:
    """Write the residents of `households` to an .xlsx in a temporary file and return it.

    openpyxl's write-only mode keeps memory flat however many rows there are; rows are read
    from the database in chunks.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Registry")))
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    sheet.append([str(_("Registry of %(area)s") % {"area": title})])
    sheet.append(
        [str(_("Exported by %(user)s at %(time)s") % {"user": user.get_username(), "time": now})]
    )
    sheet.append([str(label) for label, _value in COLUMNS])
    residents = (
        Resident.objects.filter(household__in=households)
        .select_related(
            "household__grid__community",
            "household__unit__building__compound",
            "household__resident_group",
        )
        .prefetch_related("tags")
        .order_by("household__grid_id", "household_id", "id")
    )
    for resident in residents.iterator(chunk_size=2000):
        sheet.append([value(resident) for _label, value in COLUMNS])
    stream = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 - returned
    workbook.save(stream)
    stream.seek(0)
    return stream
