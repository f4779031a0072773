"""Meetings (议事): 议事日, forums and on-site consultations where residents and officials decide
together. A meeting belongs to a community (optionally a compound or a grid inside it), has
attendees and topics; a topic may come from a petition and ends with a decision and follow-ups.

Recurring schedules ("every Tuesday") generate the meetings of the next weeks
(`meetings.services.generate_meetings`). Every change goes through `meetings.services`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Department, Grid, Official
from communities.scoping import area_q, own_grid_ids
from grids.models import Compound, Household, Resident
from petitions.models import Petition

MAX_COUNT = 100_000  # bounded like every count a person types


class Kind(models.TextChoices):
    DELIBERATION_DAY = "day", _("deliberation day (议事日)")
    FORUM = "forum", _("forum (座谈会)")
    ON_SITE = "on_site", _("on-site consultation (现场协商会)")
    OWNERS_COMMITTEE = "owners", _("owners' committee meeting (业委会会议)")
    PARTY_BRANCH = "party", _("party branch meeting (党支部会议)")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings of the communities `user` serves, and those held in a grid they serve.

        Only a grid worker's own grids are added to the community filter (the grids of a larger
        area are in its communities already): an OR there kept PostgreSQL from the community's
        rows (0.4 s for one community among a city's 76,000 meetings)."""
        visible = area_q(user, "community", "community")
        if grids := own_grid_ids(user):
            visible |= Q(grid_id__in=grids)
        return self.filter(visible)


class MeetingSchedule(models.Model):
    """A recurring meeting: "every Tuesday at 9:00 in the community hall"."""

    community = models.ForeignKey(
        Community, models.PROTECT, related_name="meeting_schedules", verbose_name=_("community")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), validators=[MaxValueValidator(6)], help_text=_("0 is Monday.")
    )
    time = models.TimeField(_("time"))
    place = models.CharField(_("place"), max_length=100)
    chair = models.ForeignKey(
        Official, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("chair")
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    # The form's hidden key (petitions.forms.form_key_field): a form sent twice saves once.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting schedule")
        verbose_name_plural = _("meeting schedules")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="schedule_weekday_valid"),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], name="schedule_saved_once"
            ),
        ]

    def __str__(self):
        return f"{self.community} {self.get_kind_display()}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    community = models.ForeignKey(
        Community, models.PROTECT, related_name="meetings", verbose_name=_("community")
    )
    compound = models.ForeignKey(
        Compound, models.PROTECT, null=True, blank=True, related_name="meetings",
        verbose_name=_("compound"),
    )  # fmt: skip
    grid = models.ForeignKey(
        Grid, models.PROTECT, null=True, blank=True, related_name="meetings",
        verbose_name=_("grid"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=100)
    chair = models.ForeignKey(
        Official, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("chair")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    schedule = models.ForeignKey(
        MeetingSchedule, models.SET_NULL, null=True, blank=True, related_name="meetings",
        verbose_name=_("schedule"),
    )  # fmt: skip
    # Residents who came but are not named (a hall of 40 people, 6 of them recorded by name).
    unnamed_residents = models.PositiveIntegerField(
        _("other residents present"), default=0, validators=[MaxValueValidator(MAX_COUNT)]
    )
    minutes = models.TextField(_("minutes"), blank=True, max_length=20000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The form's hidden key (petitions.forms.form_key_field): a form sent twice saves once.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["community", "-starts_at"], name="meeting_community_time"),
            models.Index(fields=["-starts_at", "-id"], name="meeting_newest"),
        ]
        constraints = [
            # A schedule makes one meeting per time: generating twice adds nothing.
            models.UniqueConstraint(
                fields=["schedule", "starts_at"], name="meeting_once_per_schedule_time"
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], name="meeting_saved_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "held", "cancelled"]),
                name="meeting_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.community} {self.get_kind_display()} {self.starts_at:%Y-%m-%d}"

    @property
    def is_scheduled(self):
        return self.status == self.Status.SCHEDULED

    @property
    def has_come(self):
        """Its day has come (local time): only then are its minutes and decisions recorded."""
        return timezone.localdate(self.starts_at) <= timezone.localdate()


RESIDENT_CAPACITY_REFUSED = _(
    "Residents attend as residents, 5+3 members or party members: choose one of these."
)


class Attendee(models.Model):
    """One person or unit at a meeting, in one capacity."""

    class Capacity(models.TextChoices):
        OFFICIAL = "official", _("official or cadre")
        FIVE_THREE = "five_three", _("5+3 member")
        PARTY_MEMBER = "party", _("party member")
        RESIDENT = "resident", _("resident")
        POLICE = "police", _("police officer")
        UNIT = "unit", _("sponsoring unit")

    # A resident ticked from the register comes as one of these; an official ticked is recorded
    # as OFFICIAL and a unit as UNIT, whatever capacity the form chose for the others.
    RESIDENT_CAPACITIES = (Capacity.FIVE_THREE, Capacity.PARTY_MEMBER, Capacity.RESIDENT)

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="attendees", verbose_name=_("meeting")
    )
    capacity = models.CharField(_("capacity"), max_length=10, choices=Capacity.choices)
    official = models.ForeignKey(
        Official, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("official"),
    )  # fmt: skip
    resident = models.ForeignKey(
        Resident, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("resident"),
    )  # fmt: skip
    household = models.ForeignKey(
        Household, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("household"),
    )  # fmt: skip
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("sponsoring unit"),
    )  # fmt: skip
    # Someone not in the registry (the police officer of the station, a property manager).
    name = models.CharField(_("name"), max_length=40, blank=True)
    headcount = models.PositiveIntegerField(
        _("people"), default=1, validators=[MaxValueValidator(MAX_COUNT)]
    )

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["capacity", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(
                    official=None, resident=None, household=None, department=None, name=""
                ),
                name="attendee_is_someone",
            ),  # fmt: skip
            *(
                models.UniqueConstraint(
                    fields=["meeting", who],
                    condition=Q(**{f"{who}__isnull": False}),
                    name=f"attendee_once_{who}",
                )
                for who in ("official", "resident", "household", "department")
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.official_id:
            return self.official.name
        if self.resident_id:
            return self.resident.name
        if self.household_id:
            return self.household.address
        if self.department_id:
            return self.department.name
        return self.name


class Topic(models.Model):
    """One item on a meeting's agenda, and what the meeting decided about it."""

    class Decided(models.TextChoices):
        CONSENSUS = "consensus", _("by consensus")
        VOTE = "vote", _("by show of hands")
        DEFERRED = "deferred", _("deferred")

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="topics", verbose_name=_("meeting")
    )
    title = models.CharField(_("topic"), max_length=100)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    petition = models.ForeignKey(
        Petition, models.PROTECT, null=True, blank=True, related_name="meeting_topics",
        verbose_name=_("from petition"),
    )  # fmt: skip
    decision = models.TextField(_("decision"), blank=True, max_length=4000)
    decided_how = models.CharField(_("decided"), max_length=10, choices=Decided.choices, blank=True)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    raised_petition = models.ForeignKey(
        Petition, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("petition raised"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "petition"],
                condition=Q(petition__isnull=False),
                name="topic_petition_once_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(decided_how="vote")
                | Q(votes_for=None, votes_against=None, abstentions=None),
                name="topic_votes_only_when_voted",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_decided(self):
        return bool(self.decided_how) and self.decided_how != self.Decided.DEFERRED


class FollowUp(models.Model):
    """Something a topic's decision asks someone to do by a date."""

    topic = models.ForeignKey(
        Topic, models.CASCADE, related_name="follow_ups", verbose_name=_("topic")
    )
    action = models.CharField(_("what to do"), max_length=200)
    owner = models.ForeignKey(
        Official, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("owner"),
    )  # fmt: skip
    owner_name = models.CharField(_("owner (not an official)"), max_length=40, blank=True)
    due = models.DateField(_("due"))

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due", "id"]

    def __str__(self):
        return self.action


class MeetingPhoto(models.Model):
    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="photos", verbose_name=_("meeting")
    )
    image = models.FileField(_("photo"), upload_to="private/meetings/%Y/%m/")
    thumbnail = models.FileField(_("thumbnail"), upload_to="private/meetings/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting photo")
        verbose_name_plural = _("meeting photos")

    def __str__(self):
        return self.image.name
