"""The places inside the grids: compounds, buildings, units, resident groups, households, and
the departments sponsoring a community. The people living there are in `residents`.

An urban community is divided into compounds (小区/庭院/家属院) → buildings → units; a rural one
into resident groups (居民组). Every household sits in exactly one unit or one resident group, and
carries its grid (denormalised from the unit's building or the resident group) so that scoping
and indexes need no joins.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Department, Grid
from communities.scoping import area_q
from core.personal_data import NameField


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


def address_of(room: str, place: tuple = ()) -> str:
    """A household's address from plain values (lists read them without loading models): the
    compound, building and unit names, or the rural group's name, then the room."""
    return " ".join((*place, room)) if place else room


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
            return address_of(self.room, (building.compound.name, building.name, self.unit.name))
        if self.resident_group_id:
            return address_of(self.room, (self.resident_group.name,))
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
