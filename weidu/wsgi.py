"""WSGI entry point (gunicorn weidu.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weidu.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules: ~100,000 objects) lives as long as the
# worker: set it aside from the garbage collector, whose full collections otherwise walk all of
# it again and again (1.4 of 2.7 ms of GC a petition page, bench/RESULTS.md).
gc.freeze()
