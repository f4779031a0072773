"""Finding residents in a few keystrokes: a name, the last four digits of a phone, a room.

Each kind of query uses an index (name prefix, phone suffix, room prefix), always inside the
searcher's scope. Personal numbers are matched exactly, never by prefix, so a search cannot be
used to enumerate phone or ID numbers.
"""

import re

from django.db.models import Q

from .models import Resident

RESULT_LIMIT = 20
# "6-2-301" or "6 2 301": building 6, unit 2, room 301.
_BUILDING_UNIT_ROOM = re.compile(r"^(\d+)[-\s/]+(\d+)[-\s/]+(\w+)$")


def resident_query(query: str) -> Q:
    """The filter a search box text stands for."""
    query = query.strip()
    match = _BUILDING_UNIT_ROOM.match(query)
    if match:
        building, unit, room = match.groups()
        return Q(
            household__unit__building__name__in=[f"{building}号楼", f"{building}栋", building],
            household__unit__name__in=[f"{unit}单元", unit],
            household__room=room,
        )
    if query.isdigit():
        q = Q(household__room__startswith=query)
        if len(query) == 4:
            q |= Q(phone_suffix=query)
        if len(query) == 18:
            q |= Q(id_number=query)
        return q
    if len(query) == 18 and query[:17].isdigit():
        return Q(id_number=query.upper())
    return Q(name__startswith=query)


def search_residents(user, query: str) -> list[Resident]:
    """At most RESULT_LIMIT residents visible to `user` matching `query`, living ones first."""
    return list(
        Resident.objects.visible_to(user)
        .filter(resident_query(query))
        .select_related(
            "household__grid__community",
            "household__unit__building__compound",
            "household__resident_group",
        )
        .order_by("status", "name", "id")[:RESULT_LIMIT]
    )
