"""Community work beyond complaints: activities, the findings of patrols and inspections, the
register of places that are not households, and the service teams.

Activities depend on the casework, never the other way round: a finding holds its petition, a
place is shown on the petition page through the panel registry.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Department, Grid, Official
from communities.scoping import area_q
from core.encrypted_fields import EncryptedPhoneField
from core.personal_data import NameField, mask_phone, validate_phone
from grids.models import Building, PartyOrganization, Resident
from petitions.models import Petition
from trails.models import ChainedRecord, CreatedAtField


def _community_or_grid_q(user):
    """Rows of the communities `user` serves, and the rows of the grids they serve."""
    return area_q(user, "community", "community") | area_q(user, "grid", "grid")


class PlaceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Places in the grids `user` serves (a community's staff see all of its grids)."""
        return self.filter(area_q(user, "grid", "grid"))


class Place(models.Model):
    """A place that is not a household: a shop, a square, a car park (场所台账)."""

    class Kind(models.TextChoices):
        SHOP = "shop", _("shop")
        RESTAURANT = "restaurant", _("restaurant")
        SUPERMARKET = "supermarket", _("supermarket")
        SQUARE = "square", _("square")
        GARDEN = "garden", _("garden")
        CAR_PARK = "car_park", _("car park")
        CHARGING = "charging", _("charging point")
        BASEMENT = "basement", _("basement")
        OTHER = "other", _("other place")

    grid = models.ForeignKey(Grid, models.PROTECT, related_name="places", verbose_name=_("grid"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = NameField(_("name"), max_length=60)
    address = models.CharField(_("address"), max_length=120, blank=True)
    # The building it is in or next to, when there is one: a petition at the place is then
    # located by that building, otherwise by the grid.
    building = models.ForeignKey(
        Building, models.PROTECT, null=True, blank=True, related_name="places",
        verbose_name=_("building"),
    )  # fmt: skip
    responsible_person = NameField(_("responsible person"), max_length=30, blank=True)
    responsible_phone = EncryptedPhoneField(
        _("responsible person's phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["grid_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "name"], name="place_name_unique_in_grid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("activities:place_detail", args=[self.pk])

    @property
    def masked_phone(self):
        return mask_phone(self.responsible_phone)


class ServiceTeamQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Teams of the communities `user` serves, and the teams of the grids they serve."""
        return self.filter(_community_or_grid_q(user))


class ServiceTeam(models.Model):
    """A team that serves a community or one of its grids (党员服务队, 联防联控队 …)."""

    class Kind(models.TextChoices):
        PARTY_SERVICE = "party", _("party members' service team")
        VOLUNTEER = "volunteer", _("volunteer team")
        JOINT_DEFENCE = "joint", _("joint prevention and control team")
        PATROL = "patrol", _("patrol team")

    community = models.ForeignKey(
        Community, models.PROTECT, related_name="service_teams", verbose_name=_("community")
    )
    grid = models.ForeignKey(
        Grid, models.PROTECT, null=True, blank=True, related_name="service_teams",
        verbose_name=_("grid"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = NameField(_("name"), max_length=60)
    founded = models.DateField(_("founded"), null=True, blank=True)

    objects = ServiceTeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")
        ordering = ["community_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="team_name_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("activities:team_detail", args=[self.pk])


class TeamMember(models.Model):
    class Kind(models.TextChoices):
        RESIDENT = "resident", _("resident")
        PARTY_MEMBER = "party", _("party member")
        OFFICIAL = "official", _("official")
        POLICE = "police", _("police officer")
        PROPERTY = "property", _("property staff")

    team = models.ForeignKey(
        ServiceTeam, models.CASCADE, related_name="members", verbose_name=_("service team")
    )
    name = NameField(_("full name"), max_length=30)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    official = models.ForeignKey(
        Official, models.PROTECT, null=True, blank=True, related_name="team_memberships",
        verbose_name=_("official"),
    )  # fmt: skip
    resident = models.ForeignKey(
        Resident, models.PROTECT, null=True, blank=True, related_name="team_memberships",
        verbose_name=_("resident"),
    )  # fmt: skip
    is_leader = models.BooleanField(_("leader"), default=False)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["-is_leader", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"], condition=Q(is_leader=True), name="team_has_one_leader",
                violation_error_message=_("A team has one leader."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.name


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Activities of the communities `user` serves, and those held in the grids they serve."""
        return self.filter(_community_or_grid_q(user))


class Activity(models.Model):
    """One activity of a community: a volunteer day, a publicity event, a patrol, an inspection."""

    class Kind(models.TextChoices):
        VOLUNTEER = "volunteer", _("volunteer service")
        LAW = "law", _("publicity: law (普法)")
        DRUGS = "drugs", _("publicity: anti-drug")
        FRAUD = "fraud", _("publicity: anti-fraud")
        FOOD_SAFETY = "food", _("inspection: food safety")
        FIRE_SAFETY = "fire", _("inspection: fire safety")
        PATROL = "patrol", _("patrol")
        FLOOD = "flood", _("emergency: flood prevention")
        PARTY_DAY = "party_day", _("party day")
        PARTY_SERVICE = "party_team", _("party members' service")

    # Kinds that look for problems: their findings become petitions of this source.
    FINDING_SOURCES = {
        Kind.PATROL: Petition.Source.PATROL,
        Kind.FLOOD: Petition.Source.PATROL,
        Kind.FOOD_SAFETY: Petition.Source.INSPECTION,
        Kind.FIRE_SAFETY: Petition.Source.INSPECTION,
    }

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=80)
    community = models.ForeignKey(
        Community, models.PROTECT, related_name="activities", verbose_name=_("community")
    )
    # Who organised it, besides the community: one of its grids, party organisations or teams.
    grid = models.ForeignKey(
        Grid, models.PROTECT, null=True, blank=True, related_name="activities",
        verbose_name=_("grid"),
    )  # fmt: skip
    party_organization = models.ForeignKey(
        PartyOrganization, models.PROTECT, null=True, blank=True, related_name="activities",
        verbose_name=_("party organization"),
    )  # fmt: skip
    team = models.ForeignKey(
        ServiceTeam, models.PROTECT, null=True, blank=True, related_name="activities",
        verbose_name=_("service team"),
    )  # fmt: skip
    partners = models.ManyToManyField(
        Department, blank=True, related_name="activities", verbose_name=_("partner units")
    )
    held_on = models.DateField(_("date"))
    location = models.CharField(_("where"), max_length=120, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    residents_reached = models.PositiveIntegerField(_("residents reached"), default=0)
    officials = models.ManyToManyField(
        Official, blank=True, related_name="activities", verbose_name=_("officials who joined")
    )
    residents = models.ManyToManyField(
        Resident, blank=True, related_name="activities", verbose_name=_("residents who joined")
    )
    what_was_done = models.TextField(_("what was done"), max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["community", "-held_on"], name="activity_community_date"),
            models.Index(fields=["-held_on", "-id"], name="activity_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], name="activity_saved_once"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:detail", args=[self.pk])

    @property
    def looks_for_problems(self):
        return self.kind in self.FINDING_SOURCES


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="photos", verbose_name=_("activity")
    )
    image = models.FileField(_("photo"), upload_to="private/activities/%Y/%m/")
    thumbnail = models.FileField(_("thumbnail"), upload_to="private/activities/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self):
        return self.image.name


class PlaceCheck(models.Model):
    """A place looked at during an inspection or a patrol, and what was found there."""

    class Result(models.TextChoices):
        PASSED = "passed", _("passed")
        PROBLEMS = "problems", _("problems found")

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="checks", verbose_name=_("activity")
    )
    place = models.ForeignKey(Place, models.PROTECT, related_name="checks", verbose_name=_("place"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)

    class Meta:
        verbose_name = _("place checked")
        verbose_name_plural = _("places checked")
        constraints = [
            models.UniqueConstraint(fields=["activity", "place"], name="place_checked_once"),
        ]

    def __str__(self):
        return f"{self.place} · {self.get_result_display()}"


class Finding(models.Model):
    """A problem a patrol or inspection found at a place; it is a petition from the start, so
    that its rectification (隐患整改) is tracked to closure by the casework."""

    activity = models.ForeignKey(
        Activity, models.PROTECT, related_name="findings", verbose_name=_("activity")
    )
    place = models.ForeignKey(
        Place, models.PROTECT, related_name="findings", verbose_name=_("place")
    )
    petition = models.OneToOneField(
        Petition, models.PROTECT, related_name="finding", verbose_name=_("petition")
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["id"]

    def __str__(self):
        return f"{self.place}: {self.petition.description[:30]}"


class PlaceRevealLog(ChainedRecord):
    """Each time an official reveals a place's responsible person's full phone (PIPL), as
    residents' (grids.RevealLog) and dispute parties' numbers are logged."""

    trail_fields = ("user", "place", "revealed_at")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("user")
    )
    place = models.ForeignKey(
        Place, models.PROTECT, related_name="reveals", verbose_name=_("place")
    )
    revealed_at = CreatedAtField(_("revealed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("place phone reveal")
        verbose_name_plural = _("place phone reveals")
        ordering = ["-revealed_at"]

    def __str__(self):
        return f"{self.user} · {self.place}"
