"""Forms the apps share: the login form, and the bounded fields every request value goes through."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .pagination import ROWS_PER_PAGE


class LoginForm(AuthenticationForm):
    """Django's form, with the username's length actually enforced.

    AuthenticationForm only sets max_length on the field after creating it, which adds no
    validator: a 5,000-character username reached authenticate() and the lockout table's
    varchar(255) on PostgreSQL (a 500, found by the hostile-input tests).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length or 150))


# Bounded parsing of every value a request carries: the one place that decides what an id, a
# list of ids or a page number may be. Unbounded, a crafted 10**30 reached the database (SQLite
# raises OverflowError on any integer past 64 bits: a 500) and "²" passed str.isdigit() but
# not int().

MAX_ID = 2**63 - 1  # BigAutoField
MAX_IDS = 200  # values of one list field (checkboxes of a form): more is not a person typing
MAX_PAGE = 10_000


class IdField(forms.IntegerField):
    """A row id: a whole number from 1 to the largest id the database can hold."""

    default_error_messages = {"invalid": _("Choose a valid item.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
        # Out of range is as invalid as not a number: one message, never "must be ≤ 9223…".
        for validator in self.validators:
            validator.message = self.error_messages["invalid"]


class IdListField(forms.Field):
    """Several row ids under one name (checkboxes), each bounded like `IdField`."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("Choose a valid item."),
        "too_many": _("Too many items were chosen."),
    }

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        if len(value) > MAX_IDS:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")
        one = IdField(required=True)
        try:
            return list(dict.fromkeys(one.clean(item) for item in value))
        except forms.ValidationError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose value is bounded as an id before any query is made."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            IdField(required=True).clean(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose values are bounded ids before any query is made."""

    def _check_values(self, value):
        try:
            IdListField().clean(list(value))
        except forms.ValidationError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": "…"},
            ) from None
        return super()._check_values(value)


class PageField(forms.IntegerField):
    """A page number of a list: 1 to MAX_PAGE; missing is page 1."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("page"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_PAGE)
        super().__init__(**kwargs)

    def clean(self, value):
        return super().clean(value) or 1


class RowsPerPageField(forms.TypedChoiceField):
    """How many rows a long list shows: 20, 50 or 100 (core.pagination.rows_per_page remembers
    the choice); missing is None, anything else refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("rows per page"))
        kwargs.setdefault("required", False)
        super().__init__(
            coerce=int, empty_value=None, choices=[(str(n), str(n)) for n in ROWS_PER_PAGE],
            **kwargs,
        )  # fmt: skip


class QueryForm(forms.Form):
    """A form over a page's query string (filters, ids, page): the view validates it and answers
    a refused one with `bad_request`."""


def error_lines(form) -> list[str]:
    """Every error of `form` as "label: message" lines, for the 400 page."""
    lines = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else ""
        lines.extend(f"{label}: {e}" if label else str(e) for e in errors)
    return lines


def bad_request(request, form=None, errors=()):
    """The 400 page, in the user's language, listing what the request got wrong."""
    lines = [*errors, *(error_lines(form) if form is not None else [])]
    return render(request, "400.html", {"errors": lines}, status=400)


# How much of the text a refused form carried is shown back in a message.
TYPED_TEXT_SHOWN = 500


def typed_text(form) -> str:
    """What the official typed into `form`'s text fields (bound, validated or not), for a
    message when the form itself cannot come back: their words are not lost."""
    typed = [
        form.data.get(form.add_prefix(name), "").strip()
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and not field.widget.is_hidden
    ]
    text = " / ".join(t for t in typed if t)
    return text[:TYPED_TEXT_SHOWN]
