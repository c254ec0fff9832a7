"""The domain's events that make a digest due (the domain does not import this app)."""

from activities.signals import progress_update_created
from followup.signals import meeting_published
from subscriptions.services import digest_mark_due


def _on_progress_update(sender, promise_id: int, **kwargs) -> None:
    digest_mark_due([promise_id])


def _on_meeting_published(sender, promise_ids: list[int], **kwargs) -> None:
    digest_mark_due(promise_ids)


def connect() -> None:
    progress_update_created.connect(_on_progress_update, dispatch_uid="subscriptions-update")
    meeting_published.connect(_on_meeting_published, dispatch_uid="subscriptions-meeting")
