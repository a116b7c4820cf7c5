"""Reference data that tests may need to restore."""


def ensure_reference_data() -> None:
    """Put back the UNCRC articles and clusters after a transactional test's flush emptied them.

    Transactional tests (threads, a live server, a worker process) end with a flush, which
    removes the rows data migrations loaded. Django's serialized rollback would restore them,
    but mixed with plain transactional tests it collides with the content types that the
    flush's post_migrate recreates; the data migration's loader is idempotent, so it simply
    runs again.
    """
    from importlib import import_module

    from django.apps import apps

    if not apps.get_model("consultations", "CrcArticle").objects.exists():
        loader = import_module("consultations.migrations.0002_load_uncrc_reference_data")
        loader.load(apps, None)
