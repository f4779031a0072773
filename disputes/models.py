"""Disputes (矛盾纠纷): casework beside petitions, ending in mediation (调解) rather than in a
repair. A dispute has two sides (parties), a kind from the monthly report, a place in a grid,
a level and a deadline like a petition, mediation sessions with their mediators and outcome,
and an immutable timeline. The transitions live in `disputes.services.transitions`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.models import Grid, Official
from communities.scoping import area_q
from core.encrypted_fields import EncryptedPhoneField
from core.personal_data import NameField, mask_phone, validate_phone
from grids.models import Building, Compound, Resident
from petitions.models import Petition, Visit
from trails.models import ChainedRecord, CreatedAtField

# People involved, as the monthly report counts them (群体性纠纷 from 5 people).
PEOPLE_BANDS = ((1, 4, "1–4"), (5, 9, "5–9"), (10, 29, "10–29"), (30, None, "≥30"))


class DisputeKind(models.Model):
    """A row of the monthly report (邻里纠纷, 婚姻家庭纠纷…), editable in the admin."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("dispute kind")
        verbose_name_plural = _("dispute kinds")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class DisputeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Disputes located in the areas `user` serves (departments see none)."""
        return self.filter(area_q(user, "grid", "grid"))

    def open(self):
        return self.exclude(status__in=Dispute.CLOSED_STATUSES)


class Dispute(models.Model):
    class FoundBy(models.TextChoices):
        SCREENING = "screening", _("proactive screening (排查)")
        REPORTED = "reported", _("reported by a party")
        WECHAT = "wechat", _("grid WeChat group")
        VISIT = "visit", _("door-to-door visit")
        POLICE_DAY = "police_day", _("police day (警力下沉日)")
        HOTLINE = "hotline", _("12345 hotline")

    class Level(models.TextChoices):
        GRID = "grid", _("grid")
        COMMUNITY = "community", _("community")
        STREET = "street", _("street")
        DISTRICT = "district", _("district")

    class Risk(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ACCEPTED = "accepted", pgettext_lazy("dispute status", "accepted")
        MEDIATING = "mediating", _("in mediation")
        AGREED = "agreed", _("agreement reached")
        FAILED = "failed", _("mediation failed")
        FOLLOWED_UP = "followed_up", _("followed up")
        REFERRED = "referred", _("referred")
        CLOSED = "closed", _("closed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("mediation succeeded (调解成功)")
        PARTIAL = "partial", _("partly succeeded (部分成功)")
        FAILED = "failed", _("mediation failed (调解不成)")

    class Route(models.TextChoices):
        LITIGATION = "litigation", _("lawsuit (诉讼)")
        ARBITRATION = "arbitration", _("arbitration (仲裁)")
        LETTERS = "letters", _("letters and visits (信访)")
        PETITION = "petition", _("petition route (诉求办理)")

    class Performance(models.TextChoices):
        PERFORMED = "performed", _("performed in full")
        PARTLY = "partly", _("partly performed")
        NOT = "not", _("not performed")

    CLOSED_STATUSES = ("referred", "closed", "withdrawn")
    LEVELS = ("grid", "community", "street", "district")

    kind = models.ForeignKey(
        DisputeKind, models.PROTECT, related_name="disputes", verbose_name=_("kind")
    )
    found_by = models.CharField(_("how found"), max_length=12, choices=FoundBy.choices)
    description = models.TextField(_("what it is about"), max_length=4000)
    people_involved = models.PositiveIntegerField(
        _("people involved"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    risk = models.CharField(_("risk"), max_length=8, choices=Risk.choices, default=Risk.LOW)
    # Where: always a grid; a compound or building when it stands in one.
    grid = models.ForeignKey(Grid, models.PROTECT, related_name="disputes", verbose_name=_("grid"))
    compound = models.ForeignKey(
        Compound, models.PROTECT, null=True, blank=True, related_name="disputes",
        verbose_name=_("compound"),
    )  # fmt: skip
    building = models.ForeignKey(
        Building, models.PROTECT, null=True, blank=True, related_name="disputes",
        verbose_name=_("building"),
    )  # fmt: skip
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.GRID)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default="new")
    # Where it came from: a petition turned into a dispute, or a visit that found it.
    petition = models.ForeignKey(
        Petition, models.PROTECT, null=True, blank=True, related_name="disputes",
        verbose_name=_("petition"),
    )  # fmt: skip
    visit = models.ForeignKey(
        Visit, models.PROTECT, null=True, blank=True, related_name="disputes",
        verbose_name=_("found during visit"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # The form's hidden key (petitions.forms.form_key_field): a form sent twice saves once.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("handler"),
    )  # fmt: skip
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    agreement_terms = models.TextField(_("agreement terms"), max_length=4000, blank=True)
    agreed_at = models.DateTimeField(_("agreement reached at"), null=True, blank=True)
    referral_route = models.CharField(
        _("referred to"), max_length=12, choices=Route.choices, blank=True
    )
    performance = models.CharField(
        _("performance of the agreement"), max_length=10, choices=Performance.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Optimistic lock: every transition bumps it (SQLite ignores SELECT ... FOR UPDATE).
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="dispute_newest"),
            models.Index(fields=["grid", "-created_at"], name="dispute_grid_newest"),
            models.Index(fields=["grid", "status"], name="dispute_grid_status"),
            models.Index(fields=["agreed_at"], name="dispute_agreed"),
            # The police-down days count the disputes found on them per community and date
            # (safety.dispute_counts): a small index of those alone.
            models.Index(
                fields=["grid", "created_at"],
                condition=Q(found_by="police_day"),
                name="dispute_found_on_police_day",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], name="dispute_saved_once"
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def is_open(self):
        return self.status not in self.CLOSED_STATUSES

    def is_overdue(self, now=None):
        return bool(self.is_open and self.due_at and (now or timezone.now()) > self.due_at)

    @property
    def people_band(self):
        return people_band(self.people_involved)


def people_band(count):
    for low, high, label in PEOPLE_BANDS:
        if count >= low and (high is None or count <= high):
            return label
    return PEOPLE_BANDS[0][2]


class Party(models.Model):
    """One side of a dispute: a resident of the registry, or someone from outside it with a
    name and a phone (masked like the registry's; a reveal is logged)."""

    class Side(models.TextChoices):
        APPLICANT = "applicant", _("applicant")
        RESPONDENT = "respondent", _("respondent")

    dispute = models.ForeignKey(
        Dispute, models.CASCADE, related_name="parties", verbose_name=_("dispute")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    resident = models.ForeignKey(
        Resident, models.PROTECT, null=True, blank=True, related_name="dispute_parties",
        verbose_name=_("resident"),
    )  # fmt: skip
    name = NameField(_("full name"), max_length=30, blank=True)
    phone = EncryptedPhoneField(_("phone"), max_length=20, blank=True, validators=[validate_phone])

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["dispute_id", "side", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | ~Q(name=""), name="party_has_a_name"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.resident.name if self.resident_id else self.name

    @property
    def full_phone(self):
        return self.resident.phone if self.resident_id else self.phone

    @property
    def masked_phone(self):
        return mask_phone(self.full_phone)


class PartyRevealLog(ChainedRecord):
    """Each time an official reveals a party's full phone number (PIPL)."""

    trail_fields = ("user", "party", "revealed_at")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("user")
    )
    party = models.ForeignKey(
        Party, models.PROTECT, related_name="reveals", verbose_name=_("party")
    )
    revealed_at = CreatedAtField(_("revealed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("party phone reveal")
        verbose_name_plural = _("party phone reveals")
        ordering = ["-revealed_at"]

    def __str__(self):
        return f"{self.user} · {self.party}"


ACTION_LABELS = {
    "created": _("recorded"),
    "accept": _("accepted"),
    "mediate": pgettext_lazy("dispute event", "mediation held"),
    "upload_agreement": _("signed agreement uploaded"),
    "refer": pgettext_lazy("dispute event", "referred"),
    "follow_up": _("followed up"),
    "close": _("closed"),
    "escalate": _("escalated"),
    "return": _("returned"),
    "withdraw": _("withdrawn"),
}


class DisputeEvent(ChainedRecord):
    """One immutable step in a dispute's life."""

    trail_fields = (
        "dispute",
        "actor",
        "at",
        "action",
        "from_status",
        "to_status",
        "note",
        "public",
    )

    dispute = models.ForeignKey(
        Dispute, models.PROTECT, related_name="events", verbose_name=_("dispute")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = CreatedAtField(_("at"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    # The workflow's event field; always False here: a dispute has no public tracking page.
    public = models.BooleanField(_("shown to the resident"), default=False)

    class Meta:
        verbose_name = _("dispute event")
        verbose_name_plural = _("dispute events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.dispute_id} {self.action_label}"

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def from_label(self):
        return Dispute.Status(self.from_status).label if self.from_status else ""

    @property
    def to_label(self):
        return Dispute.Status(self.to_status).label


class Mediation(models.Model):
    """One mediation session (调解): when, where, who mediated, what was said (internal) and how
    it ended."""

    dispute = models.ForeignKey(
        Dispute, models.PROTECT, related_name="mediations", verbose_name=_("dispute")
    )
    event = models.OneToOneField(
        DisputeEvent, models.PROTECT, related_name="mediation", verbose_name=_("event")
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100)
    notes = models.TextField(_("what was said (internal)"), max_length=4000, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Dispute.Outcome.choices)
    terms = models.TextField(_("agreement terms"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        ordering = ["held_on", "id"]
        indexes = [models.Index(fields=["held_on"], name="mediation_held_on")]

    def __str__(self):
        return f"{self.dispute_id} {self.held_on}"


class Mediator(models.Model):
    """Who mediated in a session, in which role: an official of the system, or a named person
    (the unit head, a lawyer of the 三官一律 roster without an account)."""

    class Role(models.TextChoices):
        MEDIATOR = "mediator", _("people's mediator (人民调解员)")
        GRID_WORKER = "grid_worker", _("grid worker")
        FIVE_THREE = "five_three", _("5+3 member")
        POLICE = "police", _("police officer")
        JUDGE = "judge", _("judge")
        PROSECUTOR = "prosecutor", _("prosecutor")
        LAWYER = "lawyer", _("lawyer")

    mediation = models.ForeignKey(
        Mediation, models.CASCADE, related_name="mediators", verbose_name=_("mediation")
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    official = models.ForeignKey(
        Official, models.PROTECT, null=True, blank=True, related_name="mediations",
        verbose_name=_("official"),
    )  # fmt: skip
    name = NameField(_("full name"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        ordering = ["mediation_id", "id"]

    def __str__(self):
        return f"{self.get_role_display()} {self.display_name}"

    @property
    def display_name(self):
        return self.official.name if self.official_id else self.name


class Referral(models.Model):
    """调解不成 → where the dispute went (court, arbitration, 信访, the petition route)."""

    dispute = models.OneToOneField(
        Dispute, models.PROTECT, related_name="referral", verbose_name=_("dispute")
    )
    event = models.OneToOneField(
        DisputeEvent, models.PROTECT, related_name="referral", verbose_name=_("event")
    )
    route = models.CharField(_("referred to"), max_length=12, choices=Dispute.Route.choices)
    body = models.CharField(_("received by"), max_length=100, help_text=_("e.g. 魏都区人民法院"))
    referred_on = models.DateField(_("referred on"))
    petition = models.ForeignKey(
        Petition, models.PROTECT, null=True, blank=True, related_name="referred_disputes",
        verbose_name=_("petition"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self):
        return f"{self.dispute_id} {self.get_route_display()}"


class DisputePhoto(models.Model):
    """The signed 调解协议书 scanned back (or photos of the place)."""

    dispute = models.ForeignKey(
        Dispute, models.CASCADE, related_name="photos", verbose_name=_("dispute")
    )
    event = models.ForeignKey(
        DisputeEvent, models.CASCADE, null=True, blank=True, related_name="photos",
        verbose_name=_("event"),
    )  # fmt: skip
    image = models.FileField(_("photo"), upload_to="private/disputes/%Y/%m/")
    thumbnail = models.FileField(_("thumbnail"), upload_to="private/disputes/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dispute photo")
        verbose_name_plural = _("dispute photos")

    def __str__(self):
        return self.image.name


class DisputeNotification(models.Model):
    """The in-app inbox for disputes (the petitions' inbox pattern)."""

    class Kind(models.TextChoices):
        ESCALATED = "escalated", _("escalated to your level")
        RETURNED = "returned", _("returned to your level")
        FOLLOW_UP_DUE = "follow_up", _("agreement reached: follow up its performance")
        FAILED = "failed", _("mediation failed: refer it or mediate again")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="dispute_notifications",
        verbose_name=_("user"),
    )  # fmt: skip
    dispute = models.ForeignKey(
        Dispute, models.CASCADE, related_name="notifications", verbose_name=_("dispute")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispute notification")
        verbose_name_plural = _("dispute notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(read_at=None), name="dispute_notification_unread"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} {self.dispute_id}"
