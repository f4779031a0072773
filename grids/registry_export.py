"""Excel export of a scope's registry: one row per resident, phone and ID number masked."""

from django.utils.translation import gettext as _

from communities.exports import ledger_response


def columns():
    return [
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


def registry_response(residents, *, area, request):
    """`residents` as an .xlsx download, read from the database in chunks."""
    residents = (
        residents.select_related(
            "household__grid__community",
            "household__unit__building__compound",
            "household__resident_group",
        )
        .prefetch_related("tags")
        .order_by("household__grid_id", "household_id", "id")
    )
    cols = columns()
    filename = _("registry")
    return ledger_response(
        filename=f"{area}-{filename}.xlsx",
        sheet=_("Registry"),
        title=_("Registry of %(area)s") % {"area": area},
        request=request,
        headers=[label for label, _value in cols],
        rows=([value(r) for _label, value in cols] for r in residents.iterator(chunk_size=2000)),
    )
