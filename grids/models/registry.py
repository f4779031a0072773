"""Life inside the grids: compounds, buildings, units, resident groups, households, residents.

An urban community is divided into compounds (小区/庭院/家属院) → buildings → units; a rural one
into resident groups (居民组). Every household sits in exactly one unit or one resident group, and
carries its grid (denormalised from the unit's building or the resident group) so that scoping
and indexes need no joins. Residents are never deleted: moving out or dying is a status with a date.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Right
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Department, Grid
from communities.scoping import area_q
from core.personal_data import (
    IdNumberField,
    NameField,
    PhoneField,
    id_number_birth_date,
    id_number_is_male,
    mask_id_number,
    mask_phone,
    validate_birth_date,
    validate_id_number,
    validate_phone,
)


class CompoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Compounds of the communities `user` serves, or with a building in a grid they serve."""
        in_grids = Building.objects.filter(area_q(user, "grid", "grid")).values("compound_id")
        return self.filter(area_q(user, "community", "community") | Q(pk__in=in_grids))


class Compound(models.Model):
    class Committee(models.TextChoices):
        NONE = "", _("none")
        OWNERS = "owners", _("owners' committee")
        PROPERTY = "property", _("property management committee")

    community = models.ForeignKey(
        Community, models.PROTECT, related_name="compounds", verbose_name=_("community")
    )
    name = NameField(_("name"), max_length=60)
    address = models.CharField(_("address"), max_length=120, blank=True)
    year_built = models.PositiveSmallIntegerField(
        _("year built"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    committee = models.CharField(
        _("committee"), max_length=10, choices=Committee.choices, blank=True, default=""
    )

    objects = CompoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ["community_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="compound_name_unique"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.community_id and not self.community.is_urban:
            raise ValidationError(
                {
                    "community": _(
                        "A rural community is divided into resident groups, not compounds."
                    )
                }
            )


class BuildingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(area_q(user, "grid", "grid"))


class Building(models.Model):
    compound = models.ForeignKey(
        Compound, models.PROTECT, related_name="buildings", verbose_name=_("compound")
    )
    grid = models.ForeignKey(Grid, models.PROTECT, related_name="buildings", verbose_name=_("grid"))
    name = NameField(_("name"), max_length=30, help_text=_("e.g. 6号楼"))

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["compound_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "name"], name="building_name_unique"),
        ]

    def __str__(self):
        return f"{self.compound.name} {self.name}"

    def clean(self):
        if (
            self.grid_id
            and self.compound_id
            and self.grid.community_id != self.compound.community_id
        ):
            raise ValidationError(
                {"grid": _("The building's grid must lie in the compound's community.")}
            )


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(area_q(user, "grid", "building__grid"))


class Unit(models.Model):
    """One stairwell (单元) of a building."""

    building = models.ForeignKey(
        Building, models.PROTECT, related_name="units", verbose_name=_("building")
    )
    name = NameField(_("name"), max_length=20, help_text=_("e.g. 2单元"))

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="unit_name_unique"),
        ]

    def __str__(self):
        return f"{self.building} {self.name}"


class ResidentGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(area_q(user, "grid", "grid"))


class ResidentGroup(models.Model):
    """A resident group (居民组) of a rural community, in place of compound/building/unit."""

    community = models.ForeignKey(
        Community, models.PROTECT, related_name="resident_groups", verbose_name=_("community")
    )
    grid = models.ForeignKey(
        Grid, models.PROTECT, related_name="resident_groups", verbose_name=_("grid")
    )
    name = NameField(_("name"), max_length=30)

    objects = ResidentGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident group")
        verbose_name_plural = _("resident groups")
        ordering = ["community_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"], name="resident_group_name_unique"
            ),
        ]

    def __str__(self):
        return f"{self.community.name} {self.name}"

    def clean(self):
        errors = {}
        if self.community_id and self.community.is_urban:
            errors["community"] = _(
                "An urban community is divided into compounds, buildings and units."
            )
        if self.grid_id and self.community_id and self.grid.community_id != self.community_id:
            errors["grid"] = _("The resident group's grid must lie in its community.")
        if errors:
            raise ValidationError(errors)


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Households in the areas `user` serves."""
        return self.filter(area_q(user, "grid", "grid"))

    def with_place(self):
        return self.select_related("grid__community", "unit__building__compound", "resident_group")


class Household(models.Model):
    grid = models.ForeignKey(
        Grid, models.PROTECT, related_name="households", verbose_name=_("grid")
    )
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("unit"),
    )
    resident_group = models.ForeignKey(
        ResidentGroup,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("resident group"),
    )
    room = NameField(
        _("room or house number"), max_length=20, help_text=_("e.g. 301, or 12号 in a rural group")
    )
    # Written by petitions.services.visits when a visit is saved (visits are never deleted):
    # "not visited for N days" then reads one indexed column instead of every visit.
    last_visited_at = models.DateTimeField(_("last visited"), null=True, editable=False)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["grid_id", "unit_id", "resident_group_id", "room"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, resident_group=None)
                | Q(unit=None, resident_group__isnull=False),
                name="household_in_unit_or_group",
                violation_error_message=_(
                    "A household is in a unit (urban) or in a resident group (rural), not both."
                ),
            ),
            models.UniqueConstraint(
                fields=["unit", "room"],
                condition=Q(unit__isnull=False),
                name="household_room_unique_per_unit",
                violation_error_message=_("This room number already exists in this unit."),
            ),
            models.UniqueConstraint(
                fields=["resident_group", "room"],
                condition=Q(resident_group__isnull=False),
                name="household_number_unique_per_group",
                violation_error_message=_("This house number already exists in this group."),
            ),
        ]
        indexes = [
            models.Index(fields=["grid", "room"], name="household_grid_room"),
            # Room-number search as you type: `room LIKE '30%'` across the user's scope.
            models.Index(fields=["room"], name="household_room", opclasses=["varchar_pattern_ops"]),
            # "Not visited for N days" (never visited first) has two more indexes, written in
            # migration 0006 per database: SQLite cannot say NULLS FIRST in an index.
        ]

    def __str__(self):
        return self.address

    def get_absolute_url(self):
        return reverse("grids:household", args=[self.pk])

    @property
    def address(self):
        """The address down to the room: 安装公司家属院 6号楼 2单元 301."""
        if self.unit_id:
            building = self.unit.building
            return f"{building.compound.name} {building.name} {self.unit.name} {self.room}"
        if self.resident_group_id:
            return f"{self.resident_group.name} {self.room}"
        return self.room

    def clean(self):
        place_grid = None
        if self.unit_id:
            if not self.unit.building.compound.community.is_urban:
                raise ValidationError(_("Units exist only in urban communities."))
            place_grid = self.unit.building.grid_id
        elif self.resident_group_id:
            place_grid = self.resident_group.grid_id
        if place_grid and self.grid_id and self.grid_id != place_grid:
            raise ValidationError({"grid": _("The household's grid must be its building's grid.")})


class Tag(models.Model):
    """A key group (重点人群) or other label of a resident: 独居老人, 低保, 残疾, 退役军人, 党员."""

    class Kind(models.TextChoices):
        CARE = "care", _("care (帮扶关爱)")
        CONTROL = "control", _("control (管控)")
        OTHER = "other", _("other")

    name = NameField(_("name"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CARE)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ResidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Residents of the households in the areas `user` serves."""
        return self.filter(area_q(user, "grid", "household__grid"))

    def current(self):
        return self.filter(status=Resident.Status.LIVING)


class Resident(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    class Relation(models.TextChoices):
        HEAD = "head", _("head of household")
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        GRANDCHILD = "grandchild", _("grandchild")
        SIBLING = "sibling", _("sibling")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        LIVING = "living", _("living here")
        MOVED_OUT = "moved_out", _("moved out")
        DECEASED = "deceased", _("deceased")

    household = models.ForeignKey(
        Household, models.PROTECT, related_name="residents", verbose_name=_("household")
    )
    name = NameField(_("full name"), max_length=30)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = PhoneField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    # The last four digits, for "search by phone suffix" through an index.
    phone_suffix = models.GeneratedField(
        expression=Right("phone", 4),
        output_field=models.CharField(max_length=4),
        db_persist=True,
        verbose_name=_("phone suffix"),
    )
    id_number = IdNumberField(
        _("ID-card number"), max_length=18, blank=True, validators=[validate_id_number]
    )
    relation = models.CharField(
        _("relation to the head"), max_length=12, choices=Relation.choices, default=Relation.HEAD
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="residents", verbose_name=_("tags"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.LIVING
    )
    status_date = models.DateField(_("date moved out or deceased"), null=True, blank=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="resident_id_number_unique",
                violation_error_message=_("A resident with this ID-card number already exists."),
            ),
            models.CheckConstraint(
                condition=Q(status="living", status_date=None)
                | (Q(status__in=["moved_out", "deceased"]) & Q(status_date__isnull=False)),
                name="resident_status_dated",
                violation_error_message=_(
                    "Moving out or death needs a date; a resident living here has none."
                ),
            ),
        ]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for `name LIKE '张%'` whatever
            # the database collation; other databases ignore opclasses.
            models.Index(fields=["name"], name="resident_name", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["phone_suffix"], name="resident_phone_suffix"),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)

    def clean(self):
        try:
            validate_birth_date(self.birth_date)
        except ValidationError as error:
            raise ValidationError({"birth_date": error}) from None
        if self.id_number and not self._id_errors():
            born = id_number_birth_date(self.id_number)
            errors = {}
            if self.birth_date and born != self.birth_date:
                errors["birth_date"] = _("The birth date does not match the ID-card number.")
            male = id_number_is_male(self.id_number)
            if self.gender and (self.gender == self.Gender.MALE) != male:
                errors["gender"] = _("The gender does not match the ID-card number.")
            if errors:
                raise ValidationError(errors)

    def _id_errors(self):
        try:
            validate_id_number(self.id_number)
        except ValidationError:
            return True
        return False


class Sponsorship(models.Model):
    """A department paired with a community, or one compound of it (帮扶/分包/下派单位).

    It lives here rather than in `communities` because it may name a compound, and the map
    never points into the registry.
    """

    class Kind(models.TextChoices):
        HELP = "help", _("assistance (帮扶)")
        CONTRACT = "contract", _("contracted (分包)")
        SENT = "sent", _("sent down (下派)")

    department = models.ForeignKey(
        Department, models.PROTECT, related_name="sponsorships", verbose_name=_("department")
    )
    community = models.ForeignKey(
        Community, models.PROTECT, related_name="sponsorships", verbose_name=_("community")
    )
    compound = models.ForeignKey(
        Compound,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsorships",
        verbose_name=_("compound"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HELP)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("sponsor department")
        verbose_name_plural = _("sponsor departments")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "community"],
                condition=Q(compound=None),
                name="sponsorship_community_unique",
            ),
            models.UniqueConstraint(
                fields=["department", "compound"],
                condition=Q(compound__isnull=False),
                name="sponsorship_compound_unique",
            ),
        ]

    def __str__(self):
        return f"{self.department} → {self.compound or self.community}"

    def clean(self):
        if (
            self.compound_id
            and self.community_id
            and self.compound.community_id != self.community_id
        ):
            raise ValidationError({"compound": _("The compound is not in this community.")})


class RevealLog(models.Model):
    """Each time an official reveals a resident's full phone or ID-card number (PIPL)."""

    class Field(models.TextChoices):
        PHONE = "phone", _("phone")
        ID_NUMBER = "id_number", _("ID-card number")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("user")
    )
    resident = models.ForeignKey(
        Resident, models.PROTECT, related_name="reveals", verbose_name=_("resident")
    )
    field = models.CharField(_("field"), max_length=10, choices=Field.choices)
    revealed_at = models.DateTimeField(_("revealed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data reveal")
        verbose_name_plural = _("personal data reveals")
        ordering = ["-revealed_at"]

    def __str__(self):
        return f"{self.user} · {self.resident} · {self.get_field_display()}"
