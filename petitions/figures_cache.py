"""Figures over a whole scope and period (dashboard, coverage), kept in the shared cache.

A street office opens its dashboard many times a day and all its officials see the same
figures: they are computed once per areas, period and language for FIGURES_CACHE_SECONDS
(300 by default; 0 computes them on every load), and the pages say when. The key is the areas
served, never the user alone, so two streets never share figures; what is kept are counts and
area or official names, no resident's personal data. When the cache is down the figures are
computed on every load (core.shared_cache): slower, never an error.
"""

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from communities.scoping import get_scope
from core import shared_cache


def cached_for_areas(user, name: str, parts: tuple, compute, keep_for=None):
    """`compute()`, or its value kept for the same `name`, areas and `parts` (e.g. a period).

    It is kept FIGURES_CACHE_SECONDS, or `keep_for(value)` seconds when that is shorter (a page
    rendered from figures already kept lives no longer than they do)."""
    seconds = settings.FIGURES_CACHE_SECONDS
    if not seconds:
        return compute()
    scope = get_scope(user)
    areas = sorted((level, sorted(ids)) for level, ids in scope.ids.items())
    source = repr(
        (scope.is_superuser, scope.department_id, areas, parts, translation.get_language())
    )
    key = f"figures:{name}:" + hashlib.sha256(source.encode()).hexdigest()
    value = shared_cache.get(key)
    if value is None:
        value = compute()
        if keep_for is not None:
            seconds = min(seconds, keep_for(value))
        if seconds > 0:
            shared_cache.set(key, value, seconds)
    return value


def kept_as_rendered(user, name: str, parts: tuple, template: str, context) -> str:
    """`template` rendered with `context()` and the time it was computed (the page says
    统计于), kept like figures for the same `name`, areas and `parts`: for a page whose
    figures cost more to compute, or to unpickle and render, than to show."""

    def render():
        return render_to_string(template, {**context(), "computed_at": timezone.now()})

    # rendered by our own template from counts and names
    return mark_safe(cached_for_areas(user, name, parts, render))  # noqa: S308
