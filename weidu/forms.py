"""The login form."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


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
