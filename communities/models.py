"""The administrative map and who serves it.

District → Street → Community → Grid, the district's departments, the officials and the areas
they serve (their scopes), and the cadres assigned to communities and grids for a term. Who may
see what is decided in `communities.scoping`, from the scopes and assignments stored here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.encrypted_fields import EncryptedPhoneField
from core.personal_data import NameField, mask_phone, validate_phone
from trails.models import ChainedRecord, CreatedAtField

from .scoping import LEVELS, AreaQuerySet, DepartmentQuerySet, assignment_q


class District(models.Model):
    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = NameField(_("name"), max_length=50)

    scope_level = "district"
    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Street(models.Model):
    district = models.ForeignKey(
        District, models.PROTECT, related_name="streets", verbose_name=_("district")
    )
    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = NameField(_("name"), max_length=50)

    scope_level = "street"
    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Community(models.Model):
    class Kind(models.TextChoices):
        URBAN = "urban", _("urban community")
        RURAL = "rural", _("rural community")

    street = models.ForeignKey(
        Street, models.PROTECT, related_name="communities", verbose_name=_("street")
    )
    code = models.CharField(_("division code"), max_length=15, unique=True)
    name = NameField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.URBAN)

    scope_level = "community"
    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="community_name_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["urban", "rural"]), name="community_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_urban(self):
        return self.kind == self.Kind.URBAN


class Grid(models.Model):
    community = models.ForeignKey(
        Community, models.PROTECT, related_name="grids", verbose_name=_("community")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = NameField(_("name"), max_length=50)

    scope_level = "grid"
    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["community_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="grid_number_unique"),
        ]

    def __str__(self):
        return f"{self.community.name} {self.name}"


class DistrictRole(models.TextChoices):
    COLLECTS = "collects", _("collects and keeps the ledger (区委组织部)")
    COORDINATES = "coordinates", _("coordinates and supervises (区委办)")


class Department(models.Model):
    """A district department (区直单位): sends cadres down and handles dispatched petitions."""

    district = models.ForeignKey(
        District, models.PROTECT, related_name="departments", verbose_name=_("district")
    )
    name = NameField(_("name"), max_length=50)
    # The two district bodies of the follow-through chain: 区委组织部 collects what the district
    # must solve and keeps the ledger; 区委办 coordinates and supervises (communities.scoping).
    district_role = models.CharField(
        _("district role"), max_length=12, blank=True, choices=DistrictRole.choices,
        help_text=_("Only for the organization department and the party office."),
    )  # fmt: skip

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="department_name_unique"),
        ]

    def __str__(self):
        return self.name


class Official(models.Model):
    """The profile of a user who works in the system: an official, cadre or grid worker."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="official", verbose_name=_("user")
    )
    name = NameField(_("full name"), max_length=30)
    phone = EncryptedPhoneField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    title = models.CharField(
        _("position"), max_length=50, blank=True, help_text=_("e.g. grid worker, party secretary")
    )
    department = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self):
        return mask_phone(self.phone)


class OfficialScope(models.Model):
    """One area an official serves: exactly one of district, street, community or grid."""

    official = models.ForeignKey(
        Official, models.CASCADE, related_name="scopes", verbose_name=_("official")
    )
    district = models.ForeignKey(
        District, models.CASCADE, null=True, blank=True, verbose_name=_("district")
    )
    street = models.ForeignKey(
        Street, models.CASCADE, null=True, blank=True, verbose_name=_("street")
    )
    community = models.ForeignKey(
        Community, models.CASCADE, null=True, blank=True, verbose_name=_("community")
    )
    grid = models.ForeignKey(Grid, models.CASCADE, null=True, blank=True, verbose_name=_("grid"))

    LEVELS = LEVELS

    class Meta:
        verbose_name = _("area served")
        verbose_name_plural = _("areas served")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(district__isnull=False, street=None, community=None, grid=None)
                    | Q(district=None, street__isnull=False, community=None, grid=None)
                    | Q(district=None, street=None, community__isnull=False, grid=None)
                    | Q(district=None, street=None, community=None, grid__isnull=False)
                ),
                name="official_scope_exactly_one_area",
                violation_error_message=_(
                    "Choose exactly one area: a district, a street, a community or a grid."
                ),
            ),
            *(
                models.UniqueConstraint(
                    fields=["official", level],
                    condition=Q(**{f"{level}__isnull": False}),
                    name=f"official_scope_unique_{level}",
                )
                for level in LEVELS
            ),
        ]

    def __str__(self):
        return str(self.area)

    @property
    def level(self):
        return next(level for level in self.LEVELS if getattr(self, f"{level}_id"))

    @property
    def area(self):
        return getattr(self, self.level)


class AssignmentQuerySet(models.QuerySet):
    def current(self, on=None):
        """Assignments whose term includes the day `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)

    def first_secretaries(self):
        return self.filter(kind=Assignment.Kind.FIRST_SECRETARY)

    def during(self, start, end):
        """Assignments whose term overlaps the days start..end."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start), start_date__lte=end)

    def visible_to(self, user):
        """Assignments to places in `user`'s areas, and those of their own unit."""
        return self.filter(assignment_q(user))


class Assignment(models.Model):
    """An official of a district unit sent to serve a community or a grid for a term.

    The term is the access: while it runs the official works in that place as its own staff do
    (`communities.scoping` reads the current assignments); when it ends the access ends and the
    record stays. A first secretary of a community and one of a grid differ only by the post,
    so the kind does not repeat it.
    """

    class Kind(models.TextChoices):
        FIRST_SECRETARY = "first_secretary", _("first secretary")
        SENT_DOWN = "sent_down", _("sent-down cadre")
        POLICE = "police", _("community police officer")
        JUDGE = "judge", _("judge")
        PROSECUTOR = "prosecutor", _("prosecutor")
        LAWYER = "lawyer", _("lawyer")

    # The district's cadres at work in the places (三官一律 serve there too, but are not
    # counted among the cadres' visits).
    CADRES = (Kind.FIRST_SECRETARY, Kind.SENT_DOWN)

    official = models.ForeignKey(
        Official, models.PROTECT, related_name="assignments", verbose_name=_("cadre")
    )
    department = models.ForeignKey(
        Department, models.PROTECT, related_name="assignments", verbose_name=_("department")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.FIRST_SECRETARY
    )
    community = models.ForeignKey(
        Community,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("community"),
    )
    grid = models.ForeignKey(
        Grid,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("grid"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["official", "start_date"], name="assignment_official_term"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(community__isnull=False, grid=None)
                | Q(community=None, grid__isnull=False),
                name="assignment_one_post",
                violation_error_message=_("An assignment is to either a community or a grid."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_dates_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.official} → {self.community or self.grid}"

    # The same two properties as OfficialScope: a scope lists both as the areas served.
    @property
    def level(self):
        return "grid" if self.grid_id else "community"

    @property
    def area(self):
        return self.grid if self.grid_id else self.community

    def clean(self):
        # Scoping only looks for assignments of officials who belong to a department.
        if (
            self.official_id
            and self.department_id
            and self.official.department_id != self.department_id
        ):
            raise ValidationError(
                {"department": _("The cadre must belong to the department that sends them.")}
            )


class AuditEvent(ChainedRecord):
    """One audited action: a login, a failed login, an export (with its scope and row count)."""

    # Not the user: deleting one sets it to NULL, which is not tampering; the name stays.
    trail_fields = ("kind", "at", "username", "address", "detail", "rows")

    class Kind(models.TextChoices):
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("failed login")
        EXPORT = "export", _("export")

    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    at = CreatedAtField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("user"),
    )  # fmt: skip
    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=45, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"
