"""Petitions (诉求): everything a resident asks to be solved, tracked until the resident says so.

This module holds what a visit needs to collect petitions: the category tree, the petition with
its place, level and status, and its immutable events. The transitions live in
`petitions.services`.
"""

import datetime
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.models import Department, Grid
from communities.scoping import area_q, get_scope, oversight_q
from grids.models import Building, Compound, Household, Resident
from trails.models import ChainedRecord, CreatedAtField

from .supervision import SupervisionGrade

# No 0/O or 1/I/L: a code read out over the phone must not be misheard.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code():
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


def optional_link(to, verbose_name, related_name="petitions", **kwargs):
    """An optional reference that keeps what it points to from being deleted: a petition's
    household, building, resident, handler, department…"""
    return models.ForeignKey(
        to,
        models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        **kwargs,
    )


class Category(models.Model):
    """A petition category; a tree editable in the admin (e.g. 物业管理 › 电梯)."""

    parent = optional_link("self", _("parent category"), related_name="children")
    name = models.CharField(_("name"), max_length=40)
    is_dispute = models.BooleanField(
        _("dispute"), default=False, help_text=_("Disputes end in mediation (矛盾纠纷).")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_name_unique"),
        ]

    def __str__(self):
        return self.label_of(self.name, str(self.parent) if self.parent_id else None)

    @staticmethod
    def label_of(name: str, parent: str | None) -> str:
        """物业管理 › 电梯: the category under its parent's label (lists pass plain values)."""
        return f"{parent} › {name}" if parent else name


class PetitionLevel(models.TextChoices):
    """Where a petition is solved, lowest first: small matters stay in the compound, big ones
    go to the community, hard ones to the street and the district."""

    COMPOUND = "compound", pgettext_lazy("petition level", "compound")
    COMMUNITY = "community", pgettext_lazy("petition level", "community")
    STREET = "street", pgettext_lazy("petition level", "street")
    DISTRICT = "district", pgettext_lazy("petition level", "district")


class PetitionStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("petition status", "new")
    ACCEPTED = "accepted", _("accepted")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved")
    FOLLOWED_UP = "followed_up", _("followed up")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")
    MERGED = "merged", _("merged")


LEVELS = tuple(PetitionLevel)
# A petition in one of these is finished: no clock runs, nobody works on it.
CLOSED_STATUSES = (
    PetitionStatus.CLOSED,
    PetitionStatus.REJECTED,
    PetitionStatus.WITHDRAWN,
    PetitionStatus.MERGED,
)
# A petition in one of these is being worked on: solved ones wait for the resident's answer, not
# for the handler (no 督办 card, no urgency badge).
BEING_WORKED_ON = (PetitionStatus.NEW, PetitionStatus.ACCEPTED, PetitionStatus.IN_PROGRESS)
# A petition in one of these was solved (办结): resolved, and perhaps asked about and closed since.
SOLVED_STATUSES = (PetitionStatus.RESOLVED, PetitionStatus.FOLLOWED_UP, PetitionStatus.CLOSED)
# From a petition to the area it lies in, per map level (the list's and the ranking's filters).
AREA_PATHS = {
    "district": "grid__community__street__district_id",
    "street": "grid__community__street_id",
    "community": "grid__community_id",
    "grid": "grid_id",
}


DUE_SOON = datetime.timedelta(hours=24)


def open_q() -> Q:
    """Petitions still open (for aggregates; querysets say `.open()`)."""
    return ~Q(status__in=CLOSED_STATUSES)


def overdue_q(now=None) -> Q:
    """Open petitions past their deadline (for aggregates; querysets say `.overdue()`)."""
    return open_q() & Q(due_at__lt=now or timezone.now())


def due_soon_q(now=None) -> Q:
    """Open petitions due within 24 hours and not yet overdue."""
    now = now or timezone.now()
    return open_q() & Q(due_at__gte=now, due_at__lte=now + DUE_SOON)


class PetitionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Petitions located in the areas `user` serves, those their department leads, assists
        or owns on the ledger, and those a district body oversees (scoping.oversight_q)."""
        scope = get_scope(user)
        if scope.is_superuser:
            # Everything: OR-ing the other clauses to "everything" only made PostgreSQL join
            # every petition to its street (2.5 times the cost of a district's figures).
            return self.all()
        department = scope.department_id
        if department:
            assisted = Petition.assisting_departments.through.objects.filter(
                department_id=department
            )
            dispatched = (
                Q(department_id=department)
                | Q(ledger_owner_id=department)
                | Q(pk__in=assisted.values("petition_id"))
            )
        else:
            dispatched = Q(pk__in=[])
        return self.filter(area_q(user, "grid", "grid") | dispatched | oversight_q(user))

    def open(self):
        return self.filter(open_q())

    def overdue(self, now=None):
        return self.filter(overdue_q(now))

    def due_soon(self, now=None):
        return self.filter(due_soon_q(now))

    def in_area(self, level: str, pk: int):
        """Petitions located in the area `pk` of map `level` ("street", "community", "grid")."""
        return self.filter(**{AREA_PATHS[level]: pk})


class Petition(models.Model):
    class Source(models.TextChoices):
        VISIT = "visit", _("door-to-door visit")
        MEETING = "meeting", _("deliberation meeting")
        WECHAT = "wechat", _("grid WeChat group")
        WALK_IN = "walk_in", _("walk-in")
        HOTLINE = "hotline", _("12345 hotline")
        ONLINE = "online", _("online")
        PATROL = "patrol", _("patrol")
        INSPECTION = "inspection", _("inspection")

    Level = PetitionLevel
    Status = PetitionStatus

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        URGENT = "urgent", _("urgent")
        EMERGENCY = "emergency", _("emergency")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASICALLY = "basically", _("basically satisfied")
        NOT = "not", _("not satisfied")

    class ReturnReason(models.TextChoices):
        NOT_OUR_TERRITORY = "territory", _("not our territory (属地不符)")
        UNCLEAR_OWNERSHIP = "ownership", _("unclear ownership (权属不清)")
        OVERLAPPING_DUTIES = "duties", _("overlapping duties (职能交叉)")
        OTHER = "other", _("other")

    # Sources whose petitions are opened by their own forms (a visit's, an activity's findings).
    RECORDED_ELSEWHERE = ("visit", "patrol", "inspection")
    CLOSED_STATUSES = CLOSED_STATUSES
    LEVELS = LEVELS

    tracking_code = models.CharField(
        _("tracking code"), max_length=12, unique=True, default=new_tracking_code, editable=False
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    category = models.ForeignKey(
        Category, models.PROTECT, related_name="petitions", verbose_name=_("category")
    )
    # Where: always a grid; a household, or a compound/building for shared concerns.
    grid = models.ForeignKey(Grid, models.PROTECT, related_name="petitions", verbose_name=_("grid"))
    household = optional_link(Household, _("household"))
    compound = optional_link(Compound, _("compound"))
    building = optional_link(Building, _("building"))
    resident = optional_link(Resident, _("raised by"), help_text=_("Empty: anonymous."))
    description = models.TextField(_("description"), max_length=4000)
    households_affected = models.PositiveIntegerField(
        _("households affected"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    level = models.CharField(
        _("level"), max_length=10, choices=Level.choices, default=Level.COMPOUND
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    visit = optional_link("petitions.Visit", _("collected during visit"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    # The new-petition form's key: a resubmitted form finds the petition instead of a twin.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Who handles it now: an official, or at district level a lead department (主办).
    assignee = optional_link(settings.AUTH_USER_MODEL, _("handler"), related_name="+")
    department = optional_link(Department, _("lead department"))
    # The clock: accepting starts it; responding (contact, on site) is recorded apart.
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    respond_by = models.DateTimeField(_("respond by"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=10, choices=Satisfaction.choices, blank=True
    )
    reopen_count = models.PositiveSmallIntegerField(_("times redone"), default=0)
    supervised_at = models.DateTimeField(_("under supervision since"), null=True, blank=True)
    # 督办 grade: "" none, yellow at the deadline, red later (models.supervision).
    supervision_grade = models.CharField(
        _("supervision grade"), max_length=6, blank=True, choices=SupervisionGrade.choices
    )
    merged_into = optional_link("self", _("merged into"), related_name="duplicates")
    assisting_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="assisted_petitions",
        verbose_name=_("assisting departments"),
    )
    return_reason = models.CharField(
        _("return reason"), max_length=12, choices=ReturnReason.choices, blank=True
    )
    # 办结: what it cost and who paid (residents' contributions are PetitionContribution rows).
    cost = models.DecimalField(
        _("cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    public_money = models.DecimalField(
        _("public money (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # 延期: requested by the handler, decided one level up.
    extension_requested_until = models.DateTimeField(
        _("extension requested until"), null=True, blank=True
    )
    # 挂账: long-term items the district keeps on its ledger until signed off (销号).
    ledger_owner = optional_link(Department, _("ledger owner"), related_name="ledger_petitions")
    ledger_target = models.DateField(_("ledger target date"), null=True, blank=True)
    ledger_signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    # Optimistic lock: every transition bumps it (SQLite ignores SELECT ... FOR UPDATE).
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["grid", "status"], name="petition_grid_status"),
            # The list's default order, for the district and for a street's grids.
            models.Index(fields=["-created_at", "-id"], name="petition_newest"),
            models.Index(fields=["grid", "-created_at"], name="petition_grid_newest"),
            # Open petitions by deadline (overdue, due soon): a small partial index.
            models.Index(
                fields=["due_at"],
                condition=~Q(status__in=list(CLOSED_STATUSES)),
                name="petition_open_due",
            ),
            models.Index(fields=["household", "-created_at"], name="petition_household_time"),
            # On the district's ledger and not signed off (the follow-through chain's counts).
            models.Index(
                fields=["ledger_target"],
                condition=Q(ledger_owner__isnull=False, ledger_signed_off_at__isnull=True),
                name="petition_on_ledger",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], name="petition_once_per_form"
            ),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.category}"

    @property
    def is_open(self):
        return self.status not in self.CLOSED_STATUSES

    @property
    def place(self) -> str:
        """Where the petition is, within its grid: the household's address, else the building
        or compound of a shared concern (a stairwell, a yard), else "" (the grid as a whole).
        Load household__unit__building__compound, building__compound and compound with it."""
        if self.household_id:
            return self.household.address
        if self.building_id:
            return str(self.building)
        return self.compound.name if self.compound_id else ""

    def is_overdue(self, now=None):
        return bool(self.is_open and self.due_at and (now or timezone.now()) > self.due_at)

    def is_due_soon(self, now=None):
        """Due within 24 hours and not yet overdue."""
        now = now or timezone.now()
        return bool(self.is_open and self.due_at and now <= self.due_at <= now + DUE_SOON)


# What each event's action is called on the timeline and on the residents' tracking page.
ACTION_LABELS = {
    "created": _("recorded"),
    "accept": _("accepted"),
    "dispatch": pgettext_lazy("petition event", "dispatched to a department"),
    "start": _("work started"),
    "respond": _("resident contacted"),
    "escalate": _("escalated"),
    "return": _("returned"),
    "resolve": _("resolved"),
    "follow_up": _("followed up"),
    "reopen": _("reopened"),
    "close": _("closed"),
    "reject": _("rejected"),
    "withdraw": _("withdrawn"),
    "supervise": _("put under supervision"),
    "assign": pgettext_lazy("petition event", "handler assigned"),
    "merge": _("merged"),
    "request_extension": _("extension requested"),
    "decide_extension": _("extension decided"),
    "approve_extension": _("extension approved"),
    "refuse_extension": _("extension refused"),
    "add_assisting": _("assisting department added"),
    "record_part": _("assisting department's part"),
    "put_on_ledger": _("put on the district ledger"),
    "sign_off": _("signed off the ledger"),
    "raise_grade": _("supervision grade raised"),
    "instruct": _("leader's instruction"),
    "coordinate": _("departments brought in by the street"),
    "ledger_progress": _("ledger progress"),
    # Written by the meetings app: a 议事 meeting decided on the petition.
    "meeting_decision": _("decided at a meeting"),
}


class PetitionEventQuerySet(models.QuerySet):
    def of(self, petitions):
        """The events of `petitions` (a queryset). Every petition's events when it is unfiltered
        (a superuser's): PostgreSQL would otherwise hash all 500,000 petitions of a city to
        keep every event (45 ms a figure on a cold dashboard)."""
        if not petitions.query.has_filters():
            return self.all()
        return self.filter(petition__in=petitions.values("pk"))


class PetitionEvent(ChainedRecord):
    """One immutable step in a petition's life: who, when, what, from which status to which."""

    trail_fields = (
        "petition",
        "actor",
        "at",
        "action",
        "from_status",
        "to_status",
        "note",
        "public",
    )

    petition = models.ForeignKey(
        Petition, models.PROTECT, related_name="events", verbose_name=_("petition")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = CreatedAtField(_("at"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    public = models.BooleanField(_("shown to the resident"), default=True)

    objects = PetitionEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition event")
        verbose_name_plural = _("petition events")
        ordering = ["at", "id"]
        # The figures count a period's steps (follow-ups, returns, reopenings, supervision):
        # without it each figure read every event of a city (40 ms).
        indexes = [
            models.Index(fields=["action", "at"], include=["petition"], name="event_action_at")
        ]

    def __str__(self):
        return f"{self.petition} {self.action_label}"

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def from_label(self):
        return Petition.Status(self.from_status).label if self.from_status else ""

    @property
    def to_label(self):
        return Petition.Status(self.to_status).label


class PetitionPhoto(models.Model):
    petition = models.ForeignKey(
        Petition, models.CASCADE, related_name="photos", verbose_name=_("petition")
    )
    event = models.ForeignKey(
        PetitionEvent,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("event"),
    )
    image = models.FileField(_("photo"), upload_to="private/petitions/%Y/%m/")
    thumbnail = models.FileField(_("thumbnail"), upload_to="private/petitions/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("petition photo")
        verbose_name_plural = _("petition photos")

    def __str__(self):
        return self.image.name


class Resolution(models.Model):
    """One 办结 and what it cost: who paid how much. A petition reopened and resolved again
    keeps every resolution (the petition's own `cost` and `public_money` are the latest)."""

    petition = models.ForeignKey(
        Petition, models.PROTECT, related_name="resolutions", verbose_name=_("petition")
    )
    event = models.OneToOneField(
        PetitionEvent, models.PROTECT, related_name="resolution", verbose_name=_("event")
    )
    resolved_at = models.DateTimeField(_("resolved at"))
    cost = models.DecimalField(
        _("cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    public_money = models.DecimalField(
        _("public money (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["resolved_at", "id"]

    def __str__(self):
        return f"{self.petition} {self.resolved_at:%Y-%m-%d}"

    @property
    def residents_money(self):
        """The contributions' total (read from prefetched contributions)."""
        return sum((c.amount for c in self.contributions.all()), 0)


class PetitionContribution(models.Model):
    """Residents funding a repair together: which household paid how much (23 households paid
    for the drain of building 6), for one resolution."""

    petition = models.ForeignKey(
        Petition, models.CASCADE, related_name="contributions", verbose_name=_("petition")
    )
    # Set for every row (migration 0011 fills the older ones); nullable only because one
    # migration cannot both fill and constrain the column on PostgreSQL.
    resolution = models.ForeignKey(
        Resolution,
        models.PROTECT,
        null=True,
        related_name="contributions",
        verbose_name=_("resolution"),
    )
    household = models.ForeignKey(
        Household, models.PROTECT, related_name="contributions", verbose_name=_("household")
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("residents' contribution")
        verbose_name_plural = _("residents' contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "household"], name="one_contribution_per_resolution"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_positive"),
        ]

    def __str__(self):
        return f"{self.household}: {self.amount}"
