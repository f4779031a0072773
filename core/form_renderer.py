"""The form renderer: Django's own form and widget templates rendered by Jinja2.

A form's widgets are small templates rendered one by one; a list of 50 checkboxes is some 200
template renders. Django ships each of its form templates for Django's engine and for Jinja2;
with Jinja2 the meeting page (officials, residents and units to tick) renders in about half the
time (bench/RESULTS.md). Templates that exist only for Django's engine (the admin's widget
wrappers) are still found there, so the admin renders as before.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FastWidgetRenderer(BaseRenderer):
    def __init__(self):
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
