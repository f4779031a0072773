"""The people living in the households: residents, their tags (key groups) and the log of every
reveal of their full personal numbers. Residents are never deleted: moving out or dying is a
status with a date."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.scoping import area_q
from core.encrypted_fields import (
    BlindIndexField,
    EncryptedIdNumberField,
    EncryptedPhoneField,
    SuffixField,
    without_derived_exclusions,
)
from core.personal_data import (
    NameField,
    id_number_birth_date,
    id_number_is_male,
    mask_id_number,
    mask_phone,
    validate_birth_date,
    validate_id_number,
    validate_phone,
)
from trails.models import ChainedRecord, CreatedAtField

from .registry import Household


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
    # Encrypted at rest (core/encrypted_fields.py): exact lookups go through the blind indexes.
    phone = EncryptedPhoneField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        index_field="phone_index",
    )
    phone_index = BlindIndexField(_("phone index"), source="phone", db_index=True)
    # The last four digits in clear, for "search by phone suffix" through an index.
    phone_suffix = SuffixField(_("phone suffix"), source="phone")
    id_number = EncryptedIdNumberField(
        _("ID-card number"),
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        index_field="id_number_index",
    )
    id_number_index = BlindIndexField(_("ID-card number index"), source="id_number")
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
            # On the blind index (NULL when blank): the ciphertexts of one number all differ.
            models.UniqueConstraint(
                fields=["id_number_index"],
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

    def validate_constraints(self, exclude=None):
        super().validate_constraints(without_derived_exclusions(type(self), exclude))

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


class RevealLog(ChainedRecord):
    """Each time an official reveals a resident's full phone or ID-card number (PIPL)."""

    trail_fields = ("user", "resident", "field", "revealed_at")

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
    revealed_at = CreatedAtField(_("revealed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data reveal")
        verbose_name_plural = _("personal data reveals")
        ordering = ["-revealed_at"]

    def __str__(self):
        return f"{self.user} · {self.resident} · {self.get_field_display()}"
