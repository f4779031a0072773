"""The official's one inbox (/inbox/) is shared machinery: an app built on petitions (disputes)
registers its notifications here, and the inbox page, its unread badge and "mark all as read"
take them in without petitions importing the app.

A source gives three things about one user: the unread rows (a queryset, counted in the badge's
single query), a section of the inbox page (template, context; one query), and marking all
read."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string


@dataclass(frozen=True)
class InboxSource:
    unread: Callable[..., QuerySet]  # (user) -> the user's unread notifications
    section: Callable[..., tuple[str, dict] | None]  # (request) -> (template, context)
    mark_all_read: Callable[..., None]  # (user)


_sources: list[InboxSource] = []


def inbox_source(source: InboxSource) -> InboxSource:
    _sources.append(source)
    return source


def unread_counts(user) -> list:
    """Each source's unread count as an expression (a correlated COUNT), to be added to the
    petitions' own in one query."""
    counts = []
    for source in _sources:
        counted = source.unread(user).order_by().values(n=Func(F("pk"), function="COUNT"))
        counts.append(Coalesce(Subquery(counted, output_field=IntegerField()), 0))
    return counts


def render_sections(request) -> list[str]:
    rendered = []
    for source in _sources:
        if (found := source.section(request)) is not None:
            template, context = found
            rendered.append(render_to_string(template, context, request=request))
    return rendered


def mark_all_read(user) -> None:
    for source in _sources:
        source.mark_all_read(user)
