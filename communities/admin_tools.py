"""Admin helpers shared by the apps: who may use the admin at all, scoped querysets, and lists
that stay fast at city scale."""

from functools import wraps

from django import forms
from django.contrib.auth.forms import UserChangeForm
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.scoping import get_scope
from core.forms import bad_request


def may_use_admin(request) -> bool:
    """The admin is the district organizers' tool (DESIGN.md: they set up the map, departments,
    categories and deadlines). Its lists, filters, choices and autocompletes span the district,
    so staff status alone is not enough: a street official made staff saw every street and could
    add a resident to another street's household. Installed as the site's `has_permission`."""
    user = request.user
    return user.is_active and user.is_staff and get_scope(user).is_organizer


def secure_admin_site(site) -> None:
    """Make `may_use_admin` the door of `site` (every admin page, the registry import too), and
    answer a number too large for the database with the 400 page.

    Django's admin turns query strings (list filters `…__exact=`, the date hierarchy's
    `…__year=`) and multiple-choice fields into queries itself: an integer past 64 bits made
    SQLite raise OverflowError there (a 500 on 24 admin lists). The admin's forms and lists are
    Django's, so the bound is set where every admin view passes: `admin_view`.

    Set on the instance because the project's admin site is Django's default one, chosen in
    the settings (`django.contrib.admin`); a subclass would need its own AdminConfig there.
    """
    site.has_permission = may_use_admin
    admin_view = site.admin_view

    def bounded_admin_view(view, cacheable=False):
        inner = admin_view(view, cacheable)

        @wraps(inner)
        def bounded(request, *args, **kwargs):
            try:
                response = inner(request, *args, **kwargs)
                # Rendered here, so that a widget querying the posted ids (autocomplete) is
                # covered too.
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                return response
            except OverflowError:
                # Raised while binding the value, before any row changed (and inside the
                # admin's atomic block when it writes): nothing is half done.
                return bad_request(
                    request, errors=[gettext("A number in this request is too large.")]
                )

        return bounded

    site.admin_view = bounded_admin_view


class StaffUserChangeForm(UserChangeForm):
    """Staff status only for district organizers (superusers are organizers too): the admin
    would refuse anyone else anyway, and the flag should not say otherwise."""

    def clean(self):
        data = super().clean()
        user = self.instance
        if data.get("is_staff") and not data.get("is_superuser"):
            organizer = user.pk is not None and get_scope(user).is_organizer
            if not organizer:
                self.add_error(
                    "is_staff",
                    forms.ValidationError(
                        _(
                            "Only district organizers use the administration: give this "
                            "person a district scope first."
                        ),
                        code="not_organizer",
                    ),
                )
        return data


class EstimatedCountPaginator(Paginator):
    """Uses PostgreSQL's row estimate for an unfiltered table instead of COUNT(*).

    A million residents make `SELECT COUNT(*)` cost a full scan on every admin list page;
    the planner's estimate is free and close enough for a page count.
    """

    @cached_property
    def count(self):
        qs = self.object_list
        query = getattr(qs, "query", None)
        if query is not None and not query.where and not query.distinct:
            connection = connections[qs.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                        [qs.model._meta.db_table],
                    )
                    row = cursor.fetchone()
                if row and row[0] > 10_000:
                    return int(row[0])
        return super().count


class ScopedAdminMixin:
    """Admin lists start from `visible_to(user)` when the model has it: the admin's scope door."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if hasattr(qs, "visible_to"):
            qs = qs.visible_to(request.user)
        return qs


class ReadOnlyAdminMixin:
    """Records that are read in the admin, never added, changed or deleted there (logs, audit)."""

    # `obj` too: an inline's has_add_permission takes the parent object (a meeting's topics).
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
