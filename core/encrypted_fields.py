"""Model fields that keep personal numbers encrypted in the database (core.pii_crypto).

`EncryptedPhoneField` and `EncryptedIdNumberField` hold the clear normal form in Python and the
ciphertext in the column. Beside them a model declares derived columns, computed from the clear
value whenever it is read (so forms' constraint checks, bulk_create, bulk_update and
core.bulk_insert all see them):

    phone = EncryptedPhoneField(..., index_field="phone_index")
    phone_index = BlindIndexField(source="phone")           # exact lookups
    phone_suffix = SuffixField(source="phone")              # "last four digits" search

`filter(phone=x)` and `filter(phone__in=[...])` are rewritten to the blind index; other lookups
(startswith, contains, comparisons) cannot work on ciphertext and are refused.
"""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models import ExpressionWrapper, F, QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In
from django.db.models.query_utils import DeferredAttribute

from .personal_data import IdNumberField, PhoneField
from .pii_crypto import blind_index, decrypt, encrypt

SEALED_PREFIX = "_sealed_"


class _DecryptOnRead(DeferredAttribute):
    """A field loaded sealed (`load_sealed`) is decrypted when first read, without a query."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        attname = self.field.attname
        data = instance.__dict__
        if attname not in data and SEALED_PREFIX + attname in data:
            stored = data.pop(SEALED_PREFIX + attname)
            data[attname] = decrypt(stored, self.field.purpose) if stored else stored
        return super().__get__(instance, cls)


def load_sealed(queryset: QuerySet, *names: str) -> QuerySet:
    """`queryset` with the encrypted fields `names` fetched as ciphertext and decrypted only
    when read: a bulk read that mostly compares numbers through their blind indexes
    (`same_stored_value`) decrypts nothing (the registry import's second run)."""
    raw = {
        SEALED_PREFIX + name: ExpressionWrapper(F(name), output_field=models.TextField())
        for name in names
    }
    return queryset.defer(*names).annotate(**raw)


def same_stored_value(instance: models.Model, name: str, value) -> bool:
    """Whether `instance` holds `value` in field `name`; an encrypted number still sealed is
    compared through its blind index, without decrypting it."""
    data = instance.__dict__
    stored = data.get(SEALED_PREFIX + name, _UNSEALED)
    if stored is _UNSEALED or name in data:  # not sealed, or read (and decrypted) since
        return getattr(instance, name) == value
    if not stored or not value:
        return not stored and not value
    field = instance._meta.get_field(name)
    if not field.index_field:
        return getattr(instance, name) == value
    index = instance._meta.get_field(field.index_field)
    return data.get(index.attname) == index.derive(value)


_UNSEALED = object()


class EncryptedField:
    """The clear normal form in Python, "<key id>$<base64>" in the column."""

    purpose = ""
    descriptor_class = _DecryptOnRead

    def __init__(self, *args, index_field: str | None = None, **kwargs):
        self.index_field = index_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        if self.index_field:
            kwargs["index_field"] = self.index_field
        return name, f"{type(self).__module__}.{type(self).__qualname__}", args, kwargs

    def db_type(self, connection):
        # The ciphertext is longer than the number: a text column, whatever max_length says
        # (max_length still limits the clear value through the validators and forms).
        return models.TextField().db_type(connection)

    def from_db_value(self, value, expression, connection):
        return decrypt(value, self.purpose) if value else value

    def get_db_prep_save(self, value, connection):
        if hasattr(value, "as_sql") or hasattr(value, "resolve_expression"):
            return super().get_db_prep_save(value, connection)
        value = self.get_prep_value(value)
        return encrypt(value, self.purpose) if value else value

    def get_lookup(self, lookup_name):
        if lookup_name in ("exact", "iexact"):
            return _BlindExact
        if lookup_name == "in":
            return _BlindIn
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None  # Django then says "Unsupported lookup": ciphertext has no order or parts

    def get_transform(self, lookup_name):
        return None

    def index_column(self, lhs) -> Col:
        if not isinstance(lhs, Col) or not self.index_field:
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: only exact lookups through "
                "its blind index work."
            )
        return self.model._meta.get_field(self.index_field).get_col(lhs.alias)


class _BlindExact(Exact):
    """`number = x` as `number_index = hmac(x)`; `number = ''` (blank) as it is written."""

    lookup_name = "exact"

    def as_sql(self, compiler, connection):
        field = self.lhs.target
        if self.rhs in ("", None) or hasattr(self.rhs, "resolve_expression"):
            return super().as_sql(compiler, connection)
        lookup = Exact(field.index_column(self.lhs), blind_index(self.rhs, field.purpose))
        return lookup.as_sql(compiler, connection)


class _BlindIn(In):
    lookup_name = "in"

    def as_sql(self, compiler, connection):
        field = self.lhs.target
        values = [value for value in self.rhs if value]
        if hasattr(self.rhs, "resolve_expression") or len(values) != len(self.rhs):
            raise FieldError(f"{field.name}__in takes a list of non-blank numbers.")
        indexes = [blind_index(value, field.purpose) for value in values]
        return In(field.index_column(self.lhs), indexes).as_sql(compiler, connection)


class EncryptedPhoneField(EncryptedField, PhoneField):
    purpose = "phone"


class EncryptedIdNumberField(EncryptedField, IdNumberField):
    purpose = "id_number"


# --- Columns derived from an encrypted field ------------------------------------------------------


_MEMO = "_derived_from_"


class _Derived(DeferredAttribute):
    """The value derived from the source field's clear value; what the database or __init__
    sets is what the column holds, read as it is while the source is not loaded (deferred, or
    sealed: `load_sealed`)."""

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        data, attname = instance.__dict__, self.field.attname
        source = self.field.source_field().attname
        if source not in data:  # deferred or sealed: the column holds the source's value
            return super().__get__(instance, owner)
        # Derived again only when the source changed (an HMAC and a normalisation each time).
        value = data[source]
        memo = data.get(_MEMO + attname)
        if memo is None or memo[0] is not value:
            memo = data[_MEMO + attname] = (value, self.field.derive(value))
        data[attname] = memo[1]
        return memo[1]

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class _DerivedField(models.CharField):
    descriptor_class = _Derived

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def source_field(self):
        # Remembered with its model (a copied field may belong to another): asked per value.
        cached = self.__dict__.get("_source_field")
        if cached is None or cached[0] is not self.model:
            cached = self.__dict__["_source_field"] = (
                self.model,
                self.model._meta.get_field(self.source),
            )
        return cached[1]

    def normal(self, value) -> str:
        return self.source_field().to_python(value) or ""


class BlindIndexField(_DerivedField):
    """HMAC-SM3 of the source's normal form (NULL when blank, so blanks never clash)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 43)
        kwargs.setdefault("null", True)
        super().__init__(*args, **kwargs)

    def derive(self, value):
        value = self.normal(value)
        return blind_index(value, self.source_field().purpose) if value else None


class SuffixField(_DerivedField):
    """The last four characters of the source ("" when blank), kept in clear for suffix search."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 4)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def derive(self, value):
        return self.normal(value)[-4:]


def derived_fields(model, field_names) -> list[str]:
    """`field_names` and the derived fields of any encrypted one among them (for bulk_update)."""
    names = list(field_names)
    for field in model._meta.concrete_fields:
        if isinstance(field, _DerivedField) and field.source in names and field.name not in names:
            names.append(field.name)
    return names


def without_derived_exclusions(model, exclude):
    """`exclude` less the derived fields whose source is validated (a form shows the number,
    never its index, and the uniqueness of the number is checked on the index)."""
    if not exclude:
        return exclude
    return {
        name
        for name in exclude
        if not (
            isinstance(field := model._meta.get_field(name), _DerivedField)
            and field.source not in exclude
        )
    }
