"""警力下沉日 (police-down days) and the records behind the three zeros (零上访、零案件、零事故).

A police-down day is scheduled by the district (for every street) or by one street; each
community it reached records its turnout: officers, households visited, legal services given
by kind, photos; the disputes screened and resolved on the day are counted from the disputes
recorded as found on it (`dispute_counts`). The three zeros are never typed in: a community
holds them in a month when no incident of that goal was recorded there (`zeros.py`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Official, Street
from communities.scoping import area_q, get_scope
from petitions.models import Petition


class PoliceDayQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The district's days (for anyone who serves an area), and the days of the streets
        `user` serves or serves a place in."""
        scope = get_scope(user)
        district_wide = Q(street=None) if scope.areas or scope.is_superuser else Q(pk__in=[])
        streets = Street.objects.filter(area_q(user, "grid", "communities__grids")).values("pk")
        return self.filter(district_wide | Q(street__in=streets) | area_q(user, "street", "street"))


class PoliceDay(models.Model):
    """One 警力下沉日: a date on which officers go down to the communities."""

    date = models.DateField(_("date"))
    theme = models.CharField(_("theme"), max_length=100)
    # Empty: the district's day, for every street.
    street = models.ForeignKey(
        Street, models.PROTECT, null=True, blank=True, related_name="police_days",
        verbose_name=_("street"),
    )  # fmt: skip
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("scheduled by")
    )
    scheduled_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)
    # The form's hidden key (petitions.forms.form_key_field): a form sent twice saves once.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = PoliceDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("police-down day")
        verbose_name_plural = _("police-down days")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date"], name="police_day_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["scheduled_by", "idempotency_key"], name="police_day_saved_once"
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.theme}"


class TurnoutQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Turnouts in the communities `user` serves (or the streets, or the district)."""
        return self.filter(area_q(user, "community", "community"))


class Turnout(models.Model):
    """What one police-down day did in one community."""

    day = models.ForeignKey(
        PoliceDay, models.CASCADE, related_name="turnouts", verbose_name=_("police-down day")
    )
    community = models.ForeignKey(
        Community, models.PROTECT, related_name="police_turnouts", verbose_name=_("community")
    )
    officers = models.ManyToManyField(
        Official, blank=True, related_name="police_turnouts", verbose_name=_("officers")
    )
    # Officers without an account in the system (a police station's whole shift).
    other_officers = models.PositiveIntegerField(_("other officers"), default=0)
    households_visited = models.PositiveIntegerField(_("households visited"), default=0)
    # Disputes screened and resolved on the day are not typed: they are counted from the
    # disputes found on the day (`dispute_counts.with_dispute_counts`).
    consultations = models.PositiveIntegerField(_("legal consultations"), default=0)
    publicity = models.PositiveIntegerField(_("legal publicity sessions"), default=0)
    document_help = models.PositiveIntegerField(_("help with legal documents"), default=0)
    officer_count = models.PositiveIntegerField(_("officers"), default=0, editable=False)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = TurnoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("police-down day turnout")
        verbose_name_plural = _("police-down day turnouts")
        ordering = ["community__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["day", "community"], name="one_turnout_per_community"),
        ]

    def __str__(self):
        return f"{self.day} {self.community}"

    @property
    def legal_services(self):
        return self.consultations + self.publicity + self.document_help


class TurnoutPhoto(models.Model):
    turnout = models.ForeignKey(
        Turnout, models.CASCADE, related_name="photos", verbose_name=_("turnout")
    )
    image = models.FileField(_("photo"), upload_to="private/safety/%Y/%m/")
    thumbnail = models.FileField(_("thumbnail"), upload_to="private/safety/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("police-down day photo")
        verbose_name_plural = _("police-down day photos")

    def __str__(self):
        return self.image.name


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Incidents in the communities `user` serves (or the streets, or the district)."""
        return self.filter(area_q(user, "community", "community"))


class Incident(models.Model):
    """Something that breaks one of the three zeros in a community: a petition taken beyond the
    district (越级上访, recorded by the district when it is told of one), a criminal case
    (recorded by the police officer or the community), a safety accident (by the community)."""

    class Goal(models.TextChoices):
        PETITION = "petition", _("petition beyond the district (越级上访)")
        CASE = "case", _("criminal case")
        ACCIDENT = "accident", _("safety accident")

    class Kind(models.TextChoices):
        # petitions beyond the district
        TO_CITY = "to_city", _("to the city")
        TO_PROVINCE = "to_province", _("to the province")
        TO_BEIJING = "to_beijing", _("to Beijing")
        # criminal cases
        THEFT = "theft", _("theft")
        FRAUD = "fraud", _("fraud")
        ASSAULT = "assault", _("assault")
        DRUGS = "drugs", _("drugs")
        # accidents
        FIRE = "fire", _("fire")
        TRAFFIC = "traffic", _("traffic")
        CONSTRUCTION = "construction", _("construction")
        OTHER = "other", _("other")

    # Which kinds go with which goal: the form offers and checks these.
    KINDS = {
        Goal.PETITION: (Kind.TO_CITY, Kind.TO_PROVINCE, Kind.TO_BEIJING),
        Goal.CASE: (Kind.THEFT, Kind.FRAUD, Kind.ASSAULT, Kind.DRUGS, Kind.OTHER),
        Goal.ACCIDENT: (Kind.FIRE, Kind.TRAFFIC, Kind.CONSTRUCTION, Kind.OTHER),
    }

    goal = models.CharField(_("goal broken"), max_length=10, choices=Goal.choices)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    community = models.ForeignKey(
        Community, models.PROTECT, related_name="incidents", verbose_name=_("community")
    )
    persons = models.PositiveIntegerField(_("persons involved"), default=1)
    summary = models.TextField(_("summary"), max_length=2000)
    # A petition beyond the district may be about one of ours.
    petition = models.ForeignKey(
        Petition, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("petition"),
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The form's hidden key (petitions.forms.form_key_field): a form sent twice saves once.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident (three zeros)")
        verbose_name_plural = _("incidents (three zeros)")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["occurred_on", "community"], name="incident_month")]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__in=["petition", "case", "accident"]), name="incident_goal_valid"
            ),
            models.UniqueConstraint(
                fields=["recorded_by", "idempotency_key"], name="incident_saved_once"
            ),
        ]

    def __str__(self):
        return f"{self.occurred_on:%Y-%m-%d} {self.community} {self.get_goal_display()}"
