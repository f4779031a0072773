"""The WSGI entry point sets what it loaded aside from the garbage collector (weidu/wsgi.py)."""

import gc
import importlib


def test_the_loaded_app_is_frozen_out_of_garbage_collection():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        import weidu.wsgi

        importlib.reload(weidu.wsgi)
        assert gc.get_freeze_count() > 10_000  # Django and the apps, not a handful of objects
        assert callable(weidu.wsgi.application)
    finally:
        gc.unfreeze()  # the rest of the test run collects as usual
