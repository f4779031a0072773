"""The "5+3" autonomy system: resident roles that bring every building and unit within reach.

Urban chain: task force (红色治理专班) + team leader (小队长) + courtyard head (庭院院长) + building
head (楼栋长) + unit head (单元长). Rural chain: task force + resident-group leader (居民组长) +
party-member anchor household (党员中心户). Each term places one person on exactly one scope
object of the type its kind requires; past terms are kept with their end date.
"""

import operator
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Grid, Official
from communities.scoping import area_q

from .registry import Building, Compound, ResidentGroup, Unit
from .residents import Resident


class RoleKind(models.TextChoices):
    TASK_FORCE = "task_force", _("red-governance task force member")
    TEAM_LEADER = "team_leader", _("team leader")
    COURTYARD_HEAD = "courtyard_head", _("courtyard head")
    BUILDING_HEAD = "building_head", _("building head")
    UNIT_HEAD = "unit_head", _("unit head")
    GROUP_LEADER = "group_leader", _("resident-group leader")
    ANCHOR_HOUSEHOLD = "anchor_household", _("party-member anchor household")


# Where each kind sits (the scope field), and whether a scope object has one holder at a time.
SCOPE_OF_KIND = {
    RoleKind.TASK_FORCE: "community",
    RoleKind.TEAM_LEADER: "grid",
    RoleKind.COURTYARD_HEAD: "compound",
    RoleKind.BUILDING_HEAD: "building",
    RoleKind.UNIT_HEAD: "unit",
    RoleKind.GROUP_LEADER: "resident_group",
    RoleKind.ANCHOR_HOUSEHOLD: "resident_group",
}
SINGLE_HOLDER_KINDS = (
    RoleKind.COURTYARD_HEAD,
    RoleKind.BUILDING_HEAD,
    RoleKind.UNIT_HEAD,
    RoleKind.GROUP_LEADER,
)
URBAN_CHAIN = (
    RoleKind.TASK_FORCE,
    RoleKind.TEAM_LEADER,
    RoleKind.COURTYARD_HEAD,
    RoleKind.BUILDING_HEAD,
    RoleKind.UNIT_HEAD,
)
RURAL_CHAIN = (RoleKind.TASK_FORCE, RoleKind.GROUP_LEADER, RoleKind.ANCHOR_HOUSEHOLD)
SCOPE_FIELDS = ("grid", "compound", "building", "unit", "resident_group")


def chain_of(community):
    return URBAN_CHAIN if community.is_urban else RURAL_CHAIN


class RoleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Roles in the communities `user` serves, and those placed inside a grid they serve."""
        return self.filter(area_q(user, "community", "community") | area_q(user, "grid", "grid"))

    def current(self):
        """Terms not ended: the same definition as the one-current-holder constraint."""
        return self.filter(end_date=None)


def _scope_condition(kind):
    """The one scope field `kind` uses is set; the other scope fields are empty."""
    field = SCOPE_OF_KIND[kind]
    # The grid is also stored for roles placed inside one grid (building, unit, resident group).
    inside_grid = field in ("building", "unit", "resident_group")
    empty = {f: None for f in SCOPE_FIELDS if f != field and not (inside_grid and f == "grid")}
    required = {f"{field}__isnull": False} if field != "community" else {}
    if inside_grid:
        required["grid__isnull"] = False
    return Q(kind=kind, **required, **empty)


class Role(models.Model):
    """One term of one person in one "5+3" role on one scope object."""

    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    resident = models.ForeignKey(
        Resident,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("resident"),
    )
    official = models.ForeignKey(
        Official,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("official"),
    )
    # Always set: scoping, the community's chain and the task force all hang on it.
    community = models.ForeignKey(
        Community, models.PROTECT, related_name="roles", verbose_name=_("community")
    )
    grid = models.ForeignKey(
        Grid, models.PROTECT, null=True, blank=True, related_name="roles", verbose_name=_("grid")
    )
    compound = models.ForeignKey(
        Compound,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("compound"),
    )
    building = models.ForeignKey(
        Building,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("building"),
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="roles", verbose_name=_("unit")
    )
    resident_group = models.ForeignKey(
        ResidentGroup,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("resident group"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appointed by"),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("5+3 role")
        verbose_name_plural = _("5+3 roles")
        ordering = ["community_id", "kind", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False, official=None)
                | Q(resident=None, official__isnull=False, kind="task_force"),
                name="role_holder_is_resident_or_task_force_official",
                violation_error_message=_(
                    "A role holder is a resident; only the task force may include officials."
                ),
            ),
            models.CheckConstraint(
                condition=reduce(operator.or_, (_scope_condition(kind) for kind in RoleKind)),
                name="role_scope_matches_kind",
                violation_error_message=_("This role is placed on the wrong kind of place."),
            ),
            models.CheckConstraint(
                condition=Q(end_date=None) | Q(end_date__gte=models.F("start_date")),
                name="role_dates_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            # One current holder per scope object for the single-holder roles: the database
            # refuses the second of two simultaneous appointments.
            *(
                models.UniqueConstraint(
                    fields=[SCOPE_OF_KIND[kind]],
                    condition=Q(kind=kind, end_date=None),
                    name=f"one_current_{kind}",
                )
                for kind in SINGLE_HOLDER_KINDS
            ),
        ]
        indexes = [
            models.Index(fields=["grid", "kind"], name="role_grid_kind"),
            models.Index(fields=["community", "kind"], name="role_community_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.holder}"

    @property
    def holder(self):
        return self.resident if self.resident_id else self.official

    @property
    def scope_object_id(self):
        return getattr(self, f"{SCOPE_OF_KIND[self.kind]}_id")

    @property
    def scope_object(self):
        """The place the role sits on (the community for the task force)."""
        return getattr(self, SCOPE_OF_KIND[self.kind])

    def clean(self):
        if self.community_id and self.kind and self.kind not in chain_of(self.community):
            raise ValidationError(
                {"kind": _("A %(kind)s does not exist in a %(community_kind)s.")
                 % {"kind": self.get_kind_display(),
                    "community_kind": self.community.get_kind_display()}}
            )  # fmt: skip
