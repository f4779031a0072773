"""Personal data rules (PIPL): what enters as a name or a number, and how it is shown.

The one module that knows what a valid mainland phone or resident ID-card number is, the one
normal form either is stored in (whichever door it came through: a form, the admin, the Excel
import), how either is shown to someone who has not explicitly revealed it, and which
characters are kept out of names and neutralised in free text.
"""

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# [0-9], never \d: in Python \d also matches full-width and Arabic-Indic digits, which would
# pass the format check and then be stored beside the ASCII form of the same number.
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
# Area code 0xx or 0xxx, then a 7- or 8-digit number; a hyphen between them is optional.
LANDLINE_RE = re.compile(r"^0[0-9]{2,3}-?[2-9][0-9]{6,7}$")

# GB 11643-1999: weights of the first 17 digits, and the check character for (sum mod 11).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
ID_NUMBER_RE = re.compile(r"^[0-9]{17}[0-9X]$")


# --- Invisible characters ---------------------------------------------------------------------

# Besides every format character (Unicode category Cf: zero-width spaces and joiners, the bidi
# embeddings, overrides and isolates U+202A-E and U+2066-9, the marks U+200E/F, U+FEFF, the
# soft hyphen...), these show as nothing and would make two equal-looking names differ.
_BLANK_LETTERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")


def _is_invisible(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("Cf", "Cc", "Cs", "Co", "Cn") or char in _BLANK_LETTERS


def clean_name(value: str) -> str:
    """A name as stored: no invisible or direction characters, single plain spaces, trimmed.

    Names of residents, officials and places all pass here, so that two names that look the
    same are the same for duplicate checks, uniqueness and search.
    """
    value = unicodedata.normalize("NFC", value or "")
    value = "".join(" " if char.isspace() else char for char in value if not _is_invisible(char))
    return " ".join(value.split())


def neutralise_text(value: str) -> str:
    """Free text (notes, descriptions) as shown: invisible and direction characters removed.

    Line breaks and tabs are kept; other control characters go (Excel refuses them too).
    """
    value = (value or "").replace("\r\n", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if _plainly_visible(value.replace("\n", " ").replace("\t", " ")):
        return value  # nearly all text: checked at C speed, not character by character
    return "".join(char for char in value if char in "\n\t" or not _is_invisible(char))


def _plainly_visible(value: str) -> bool:
    """No character `_is_invisible` would remove (isprintable is False for every category it
    removes, and for spaces other than " ", which is on the safe side)."""
    return value.isprintable() and _BLANK_LETTERS.isdisjoint(value)


# --- Phone and ID-card numbers: one normal form ----------------------------------------------

# Spaces, dashes of every kind and brackets people put between digit groups.
_NUMBER_SEPARATORS = re.compile(r"[\s()\-\u2010-\u2015\u2212\u30fc\ufe63\uff0d]")


def _normal_number(value: str) -> str:
    """NFKC (full-width digits and letters → ASCII), no invisible characters, no separators."""
    if value and value.isascii() and value.isalnum():
        # Already ASCII letters and digits (almost every stored or imported value): NFKC leaves
        # them as they are and none is invisible or a separator; only the case can change.
        return value.upper()
    value = unicodedata.normalize("NFKC", value or "")
    value = "".join(char for char in value if not _is_invisible(char))
    return _NUMBER_SEPARATORS.sub("", value).upper()


def normalize_phone(value: str) -> str:
    """The stored form of a phone number: ASCII digits only, no +86 prefix, no separators.

    138 1234 1234, +86-138-1234-1234 and １３８１２３４１２３４ all become 13812341234; a landline
    0374-2345678 becomes 03742345678.
    """
    value = _normal_number(value)
    if value.startswith("+86"):
        value = value[3:]
    return value


def normalize_id_number(value: str) -> str:
    """The stored form of an ID-card number: 18 ASCII characters, a final X in upper case."""
    return _normal_number(value)


def _refuse_foreign_digits(value: str) -> None:
    """After NFKC, a digit that is not 0-9 (Arabic-Indic, Devanagari...) is refused by name."""
    if any(char.isdigit() and not "0" <= char <= "9" for char in value):
        raise ValidationError(
            _("Use the digits 0-9 only: this number contains digits of another script."),
            code="foreign_digits",
        )


def validate_phone(value: str) -> None:
    _refuse_foreign_digits(value)
    if not (MOBILE_RE.fullmatch(value) or LANDLINE_RE.fullmatch(value)):
        raise ValidationError(
            _("Enter a mainland mobile number (11 digits) or a landline such as 0374-2345678."),
            code="invalid_phone",
        )


def id_number_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number_birth_date(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


# Nobody alive was born before this; nobody registered is born after today.
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def plausible_birth_date(value: datetime.date) -> bool:
    return EARLIEST_BIRTH_DATE <= value <= datetime.date.today()


def validate_birth_date(value: datetime.date | None) -> None:
    """A birth date between 1900-01-01 and today (year 9999 or 0001 is a typing error)."""
    if value is not None and not plausible_birth_date(value):
        raise ValidationError(
            _("A birth date lies between 1900-01-01 and today."), code="implausible_birth_date"
        )


def id_number_is_male(value: str) -> bool:
    """The 17th digit is odd for men and even for women."""
    return int(value[16]) % 2 == 1


def validate_id_number(value: str) -> None:
    """Check format, birth date and the GB 11643 check character (of the normal form)."""
    _refuse_foreign_digits(value)
    if not ID_NUMBER_RE.fullmatch(value):
        raise ValidationError(
            _("An ID-card number has 18 characters: 17 digits and a digit or X."),
            code="invalid_id_format",
        )
    born = id_number_birth_date(value)
    if born is None or not plausible_birth_date(born):
        raise ValidationError(
            _("The ID-card number contains an impossible birth date."), code="invalid_id_date"
        )
    if id_number_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The ID-card number's check character is wrong; please check each digit."),
            code="invalid_id_checksum",
        )


def mask_phone(value: str) -> str:
    """138****1234 for a mobile; the area code and last 4 digits of a landline."""
    if not value:
        return ""
    if MOBILE_RE.fullmatch(value):
        return f"{value[:3]}****{value[-4:]}"
    digits = value.replace("-", "")
    return f"{digits[:4]}****{digits[-4:]}" if len(digits) > 8 else "****"


def mask_id_number(value: str) -> str:
    """4110**********123X: the province/city prefix and the last 4 characters only.

    Digits 7 to 14 are the birth date and are never shown.
    """
    if not value:
        return ""
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}" if len(value) > 8 else "****"


# --- Numbers inside free text -----------------------------------------------------------------

# A run of at least 11 digits (the shortest phone number, a 4-digit area code and 7 digits;
# of any script, full-width included) with single spaces or dashes between groups, an optional
# +86 before and an X after. Letters around it do not matter: "tel13812345678"
# is still a phone number (no tracking code or other code here holds 11 digits in a row).
_NUMBER_IN_TEXT = re.compile(
    r"(?<!\d)(?:[+\uff0b]?(?:86|\uff18\uff16)[ \-]?)?"
    r"\d(?:[ \-\u2010-\u2015\u2212\uff0d]?\d){10,}(?:[xX\uff38\uff58])?"
)
_MOBILE_IN_TEXT = re.compile(r"(?:86)?(1[3-9][0-9]{9})")
_LANDLINE_IN_TEXT = re.compile(r"0[0-9]{2,3}[2-9][0-9]{6,7}")
_ID_IN_TEXT = re.compile(r"[0-9]{17}[0-9X]")  # the 15-digit form expired in 2013


_GROUP_SEPARATOR = re.compile(r"([ \-\u2010-\u2015\u2212\uff0d])")


def _is_id_number(digits: str, *, joined: bool) -> bool:
    """18 characters in one piece; pieces joined across spaces must also be a valid number
    (else "2024-05-01 138 1234 5678 139..." would be read as one)."""
    if not _ID_IN_TEXT.fullmatch(digits):
        return False
    return not joined or (
        id_number_birth_date(digits) is not None and id_number_check_char(digits[:17]) == digits[17]
    )


def _masked(text: str, *, joined: bool) -> str | None:
    """`text` masked if, read as one number, it is a phone or ID-card number; else None."""
    digits = ascii_digits(_normal_number(text)).removeprefix("+")
    if _is_id_number(digits, joined=joined):
        return mask_id_number(digits)
    after = ""
    if digits.endswith("X"):  # an X that does not end an ID number is just the next letter
        digits, after = digits[:-1], text[-1]
    if mobile := _MOBILE_IN_TEXT.fullmatch(digits):
        return mask_phone(mobile.group(1)) + after
    if _LANDLINE_IN_TEXT.fullmatch(digits):
        return mask_phone(digits) + after
    return None


def _masked_number(match: re.Match) -> str:
    """A run of digit groups with every longest stretch of groups that is a number masked.

    "2024-05-01 138 1234 5678 139 8765 4321" is a date and two phones: the groups are tried
    from the left, the longest stretch that reads as a number first.
    """
    parts = _GROUP_SEPARATOR.split(match.group())
    groups, separators = parts[0::2], parts[1::2]
    out, start = [], 0
    while start < len(groups):
        for end in range(len(groups), start, -1):
            stretch = "".join(
                group + (separators[k] if k < end - 1 else "")
                for k, group in enumerate(groups[start:end], start)
            )
            masked = _masked(stretch, joined=end - start > 1)
            if masked is not None:
                break
        else:
            end, masked = start + 1, groups[start]
        out.append(masked)
        if end < len(groups):
            out.append(separators[end - 1])
        start = end
    return "".join(out)


def mask_numbers_in_text(value: str) -> str:
    """Free text with every phone- or ID-card-shaped number masked as the fields are.

    "请回电 138 1234 5678" → "请回电 138****5678". A number typed into a description or a note
    is personal data like the resident's phone field; nobody reveals it by reading the text.
    """
    return _NUMBER_IN_TEXT.sub(_masked_number, value or "")


def free_text_for_display(value: str) -> str:
    """Free text as pages and ledgers show it: neutralised, and numbers in it masked."""
    return mask_numbers_in_text(neutralise_text(value))


# --- The doors: model and form fields that store only the normal form --------------------------


class _NormalisingFormField(forms.CharField):
    normalise = staticmethod(str)

    def to_python(self, value):
        return self.normalise(super().to_python(value))


class _NumberFormField(_NormalisingFormField):
    def widget_attrs(self, widget):
        # The limit applies to the normal form: "110105 19491231 002X" (20 typed) is 18.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class PhoneFormField(_NumberFormField):
    normalise = staticmethod(normalize_phone)
    default_validators = [validate_phone]


class IdNumberFormField(_NumberFormField):
    normalise = staticmethod(normalize_id_number)
    default_validators = [validate_id_number]


class NameFormField(_NormalisingFormField):
    normalise = staticmethod(clean_name)


class _NormalisingField(models.CharField):
    """A CharField whose value is put in its normal form before it is validated and stored.

    Model.full_clean (and so every ModelForm, the admin included) stores what `to_python`
    returns; the form field normalises too, so a length limit counts the normal form. And as
    CharField.get_prep_value goes through `to_python`, a value written without full_clean
    (create, update, bulk_create) and the value of an exact lookup are normalised as well.
    The column is a plain varchar: the field deconstructs as a CharField and needs no migration.
    """

    form_class: type[forms.CharField] = forms.CharField
    normalise = staticmethod(str)

    def to_python(self, value):
        value = super().to_python(value)
        return value if value is None else self.normalise(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class PhoneField(_NormalisingField):
    form_class = PhoneFormField
    normalise = staticmethod(normalize_phone)


class IdNumberField(_NormalisingField):
    form_class = IdNumberFormField
    normalise = staticmethod(normalize_id_number)


class NameField(_NormalisingField):
    form_class = NameFormField
    normalise = staticmethod(clean_name)


# --- What was stored before the normal form existed ---------------------------------------------


def ascii_digits(value: str) -> str:
    """Digits of any script as 0-9 (for numbers already stored; new input is refused instead)."""
    return "".join(str(unicodedata.digit(char)) if char.isdigit() else char for char in value)


def normalise_stored_numbers(model, fields: dict, *, unique=(), report=print) -> list:
    """Rewrite `fields` ({name: normaliser}) of `model`'s rows in their normal form.

    Used by the data migrations. Only rows holding something other than ASCII digits (and X)
    are read. A value of a `unique` field whose normal form another row already holds is left
    as it was and returned as (pk, field, stored, normal), for a person to decide who really
    holds the number: the migration never merges or erases a resident's data on its own.
    """
    conflicts = []
    unusual = models.Q()
    for name in fields:
        unusual |= ~models.Q(**{f"{name}__regex": r"^[0-9X]*$"})
    for row in model.objects.filter(unusual).order_by("pk").only("pk", *fields).iterator():
        changes = {}
        for name, normalise in fields.items():
            stored = getattr(row, name)
            normal = ascii_digits(normalise(stored))
            if normal == stored:
                continue
            taken = (
                name in unique
                and normal
                and model.objects.filter(**{name: normal}).exclude(pk=row.pk).exists()
            )
            if taken:
                conflicts.append((row.pk, name, stored, normal))
                report(
                    f"{model._meta.label} {row.pk}: {name} {stored!r} normalises to {normal!r}, "
                    "which another row already holds; left as it was."
                )
            else:
                changes[name] = normal
        if changes:
            model.objects.filter(pk=row.pk).update(**changes)
    return conflicts


def clean_stored_names(model, field: str = "name") -> int:
    """Rewrite the names of `model` (people: no uniqueness at stake) without invisible
    characters, as `clean_name` stores new ones. Returns how many rows changed."""
    changed = 0
    for pk, stored in model.objects.order_by("pk").values_list("pk", field).iterator():
        if (normal := clean_name(stored)) != stored:
            model.objects.filter(pk=pk).update(**{field: normal})
            changed += 1
    return changed
