"""Finding residents in a few keystrokes: a name, the last four digits of a phone, a room.

Each kind of query uses an index (name prefix, phone suffix, room prefix, the blind indexes of
a full ID-card or mobile number), always inside the searcher's scope. Personal numbers are
matched exactly, never by prefix, so a search cannot be used to enumerate phone or ID numbers.
"""

import re

from django.db.models import Q

from core.personal_data import MOBILE_RE, clean_name, normalize_id_number, normalize_phone

from .models import Resident

RESULT_LIMIT = 20
# "6-2-301" or "6 2 301": building 6, unit 2, room 301.
_BUILDING_UNIT_ROOM = re.compile(r"^(\d+)[-\s/]+(\d+)[-\s/]+(\w+)$")


def search_text(params) -> str:
    """The search box's text: at most 50 characters, no NUL (PostgreSQL refuses it), no
    invisible characters (they are not stored in names either)."""
    return clean_name(params.get("q", "").replace("\x00", ""))[:50]


def resident_queries(query: str) -> list[tuple[Q, tuple[str, ...]]]:
    """The filters a search box text stands for, each with the order its index can serve.

    Several filters are run one after the other rather than OR-ed in one query: an OR across
    tables (phone suffix or room) keeps the database from using either index.
    """
    query = query.strip()
    by_household = ("household_id", "id")
    match = _BUILDING_UNIT_ROOM.match(query)
    if match:
        building, unit, room = match.groups()
        place = Q(
            household__unit__building__name__in=[f"{building}号楼", f"{building}栋", building],
            household__unit__name__in=[f"{unit}单元", unit],
            household__room=room,
        )
        return [(place, by_household)]
    number = normalize_id_number(query)  # numbers are stored so: "１３８ 1234" is 1381234
    if len(number) == 18 and number[:17].isascii() and number[:17].isdigit():
        return [(Q(id_number=number), by_household)]
    if MOBILE_RE.fullmatch(normalize_phone(query)):  # a full phone, through its blind index
        return [(Q(phone=normalize_phone(query)), by_household)]
    if number.isascii() and number.isdigit():
        filters = []
        if len(number) == 4:
            filters.append((Q(phone_suffix=number), by_household))
        filters.append((Q(household__room__startswith=number), by_household))
        return filters
    # No ORDER BY: sorting every "张%" of a city before the scope filter took 100-700 ms; walked
    # in the name index's order and stopped after 20 in scope, it takes 2 ms. The page sorts them.
    return [(Q(name__startswith=query), ())]


def search_residents(user, query: str) -> list[Resident]:
    """At most RESULT_LIMIT residents visible to `user` matching `query`."""
    found: dict[int, Resident] = {}
    visible = Resident.objects.visible_to(user).select_related(
        "household__grid__community",
        "household__unit__building__compound",
        "household__resident_group",
    )
    for condition, ordering in resident_queries(query):
        wanted = RESULT_LIMIT - len(found)
        if wanted <= 0:
            break
        batch = visible.filter(condition).exclude(pk__in=list(found)).order_by(*ordering)[:wanted]
        if not ordering:
            batch = sorted(batch, key=lambda r: (r.name, r.pk))
        for resident in batch:
            found[resident.pk] = resident
    return list(found.values())
