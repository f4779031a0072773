"""Pagination without COUNT(*): fetch one row more than a page to know whether another follows.

On a district's tables a count of all matches costs a scan on every page load; officials only
need "previous" and "next".
"""

from dataclasses import dataclass


@dataclass
class Page:
    object_list: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return self.number - 1


def page_number(page: str | int | None) -> int:
    """The 1-based page asked for: anything invalid is page 1, anything huge page 10,000."""
    try:
        return max(1, min(int(page or 1), 10_000))
    except (TypeError, ValueError):
        return 1


def page_without_count(queryset, page: str | int | None, per_page: int = 50, read=list) -> Page:
    """Page `page` (1-based; anything invalid is page 1) of `queryset`, in one query.

    `read` turns the sliced queryset into the page's rows (e.g. plain values for a long list).
    """
    number = page_number(page)
    start = (number - 1) * per_page
    rows = read(queryset[start : start + per_page + 1])
    return Page(rows[:per_page], number, has_next=len(rows) > per_page)


ROWS_PER_PAGE = (20, 50, 100)


def rows_per_page(request, chosen: int | None, key: str) -> int:
    """How many rows a list shows: what the official just chose, else what they chose last time
    on this list (kept in the session under `key`), else the fewest."""
    if chosen in ROWS_PER_PAGE:
        if request.session.get(key) != chosen:
            request.session[key] = chosen
        return chosen
    remembered = request.session.get(key)
    return remembered if remembered in ROWS_PER_PAGE else ROWS_PER_PAGE[0]
