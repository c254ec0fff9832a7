"""Invalidate the page cache whenever public content changes.

Every model of the apps in ``settings.PAGE_CACHE_INVALIDATING_APPS`` (the
promises, activities and follow-up apps, and their history and many-to-many
tables) invalidates on save, delete and many-to-many change. The invalidation
runs when the transaction commits: raising the generation earlier would let
another app server cache the old rows again before the new ones are visible.

What signals cannot see (``bulk_create``, ``QuerySet.update``, raw SQL) is
covered in two other ways: a successful write request by a logged-in user
invalidates on the way out (see ``caching.middleware``), and scripts run
``manage.py invalidate_page_cache`` after bulk changes.
"""

import threading

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from caching.generation import invalidate_pages

M2M_CHANGES = {"post_add", "post_remove", "post_clear"}


class _Invalidation:
    """The one invalidation of a transaction, shared by the on-commit callbacks of its writes.

    Every write registers a callback (``transaction.on_commit``, which forgets
    those of a rolled-back transaction or savepoint); the first one to run at
    the commit invalidates, the others find it done. However many rows a
    transaction writes, the pages are invalidated once.
    """

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        if self.done:
            return
        self.done = True
        invalidate_pages()


# The invalidation still to run, per thread (connections are per thread) and database.
_pending = threading.local()


def _invalidate_on_commit(using: str | None) -> None:
    alias = using or DEFAULT_DB_ALIAS
    pending = getattr(_pending, "by_alias", None)
    if pending is None:
        pending = _pending.by_alias = {}
    invalidation = pending.get(alias)
    # A done one belongs to a committed transaction; one never run, to a rolled-back
    # one, whose callbacks are gone: sharing it is safe, the next commit runs it.
    if invalidation is None or invalidation.done:
        invalidation = pending[alias] = _Invalidation()
    transaction.on_commit(invalidation, using=alias)


def _on_save_or_delete(sender, using=None, **kwargs) -> None:
    _invalidate_on_commit(using)


def _on_m2m_changed(sender, action, using=None, **kwargs) -> None:
    if action in M2M_CHANGES:
        _invalidate_on_commit(using)


def invalidating_models() -> list:
    labels = settings.PAGE_CACHE_INVALIDATING_APPS
    return [
        model
        for label in labels
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def connect_invalidation() -> None:
    for model in invalidating_models():
        uid = f"caching-{model._meta.label_lower}"
        post_save.connect(_on_save_or_delete, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_on_save_or_delete, sender=model, dispatch_uid=uid + "-delete")
        if model._meta.auto_created:
            m2m_changed.connect(_on_m2m_changed, sender=model, dispatch_uid=uid + "-m2m")
