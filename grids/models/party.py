"""Party organizations down to each grid and compound, and party-member model households.

The tree is community party committee or general branch (社区党委/党总支) → grid party branches
(网格党支部) → compound party branches (小区党支部). Each has a secretary and members, residents or
officials; the "four haves" checklist (有党旗、有牌子、有制度、有档案); and a yearly five-star
rating (五星支部创建) whose history is kept.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Grid, Official
from communities.scoping import area_q

from .registry import Compound, Household
from .residents import Resident


class PartyOrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Organizations of the communities `user` serves, and the branches of grids they serve."""
        return self.filter(area_q(user, "community", "community") | area_q(user, "grid", "grid"))


class PartyOrganization(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("community party committee")
        GENERAL_BRANCH = "general", _("community general party branch")
        GRID_BRANCH = "grid", _("grid party branch")
        COMPOUND_BRANCH = "compound", _("compound party branch")

    COMMUNITY_KINDS = (Kind.COMMITTEE, Kind.GENERAL_BRANCH)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    community = models.ForeignKey(
        Community, models.PROTECT, related_name="party_organizations", verbose_name=_("community")
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organization"),
    )
    grid = models.ForeignKey(
        Grid,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="party_branches",
        verbose_name=_("grid"),
    )
    compound = models.ForeignKey(
        Compound,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="party_branches",
        verbose_name=_("compound"),
    )
    founded = models.DateField(_("founded"), null=True, blank=True)
    # The "four haves" standard (四有): a checklist per branch.
    has_flag = models.BooleanField(_("has a party flag"), default=False)
    has_sign = models.BooleanField(_("has a sign"), default=False)
    has_rules = models.BooleanField(_("has rules"), default=False)
    has_archive = models.BooleanField(_("has archives"), default=False)

    objects = PartyOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        ordering = ["community_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="party_org_name_unique"),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["committee", "general"], parent=None, grid=None, compound=None
                )
                | Q(kind="grid", parent__isnull=False, grid__isnull=False, compound=None)
                | Q(kind="compound", parent__isnull=False, compound__isnull=False),
                name="party_org_place_matches_kind",
                violation_error_message=_(
                    "A community organization has no parent; a grid branch belongs to a grid and "
                    "a compound branch to a compound, each under a parent organization."
                ),
            ),
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(kind__in=["committee", "general"]),
                name="one_community_party_org",
                violation_error_message=_("This community already has a party committee."),
            ),
            models.UniqueConstraint(
                fields=["grid"],
                condition=Q(kind="grid"),
                name="one_branch_per_grid",
                violation_error_message=_("This grid already has a party branch."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def four_haves(self):
        """[(label, done)] in the standard's order."""
        return [
            (_("flag"), self.has_flag),
            (_("sign"), self.has_sign),
            (_("rules"), self.has_rules),
            (_("archives"), self.has_archive),
        ]

    @property
    def four_haves_done(self):
        return sum(done for _label, done in self.four_haves)

    def clean(self):
        errors = {}
        if self.parent_id and self.parent.community_id != self.community_id:
            errors["parent"] = _("The parent organization belongs to another community.")
        if self.grid_id and self.grid.community_id != self.community_id:
            errors["grid"] = _("The grid is not in this community.")
        if self.compound_id and self.compound.community_id != self.community_id:
            errors["compound"] = _("The compound is not in this community.")
        grid_branch_misplaced = (
            self.kind == self.Kind.GRID_BRANCH
            and self.parent_id
            and self.parent.kind not in self.COMMUNITY_KINDS
        )
        if grid_branch_misplaced:
            errors["parent"] = _("A grid branch belongs to the community's party committee.")
        if errors:
            raise ValidationError(errors)


class PartyMembership(models.Model):
    """A party member (a resident or an official) in an organization, and their post there."""

    class Post(models.TextChoices):
        SECRETARY = "secretary", _("secretary")
        DEPUTY = "deputy", _("deputy secretary")
        COMMITTEE = "committee", _("committee member")
        MEMBER = "member", _("member")

    organization = models.ForeignKey(
        PartyOrganization,
        models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    resident = models.ForeignKey(
        Resident,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="party_memberships",
        verbose_name=_("resident"),
    )
    official = models.ForeignKey(
        Official,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="party_memberships",
        verbose_name=_("official"),
    )
    post = models.CharField(_("post"), max_length=10, choices=Post.choices, default=Post.MEMBER)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["organization_id", "post", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False, official=None)
                | Q(resident=None, official__isnull=False),
                name="party_member_is_resident_or_official",
                violation_error_message=_("A member is either a resident or an official."),
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(post="secretary"),
                name="one_secretary_per_party_org",
                violation_error_message=_("This organization already has a secretary."),
            ),
        ]

    def __str__(self):
        return str(self.person)

    @property
    def person(self):
        return self.resident if self.resident_id else self.official


class StarRating(models.Model):
    """One year's five-star rating (五星支部创建) of an organization."""

    organization = models.ForeignKey(
        PartyOrganization,
        models.CASCADE,
        related_name="star_ratings",
        verbose_name=_("organization"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")
        ordering = ["organization_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_rating_per_year"),
            models.CheckConstraint(condition=Q(stars__lte=5), name="stars_at_most_five"),
        ]

    def __str__(self):
        return f"{self.organization} {self.year}: {self.stars}★"


class ModelHousehold(models.Model):
    """A party-member model household (党员家庭示范户) that sets the example in its compound."""

    household = models.OneToOneField(
        Household, models.PROTECT, related_name="model_household", verbose_name=_("household")
    )
    since = models.DateField(_("since"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("party-member model household")
        verbose_name_plural = _("party-member model households")

    def __str__(self):
        return str(self.household)
