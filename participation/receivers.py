"""What the council's meetings tell this app (the domain does not import it)."""

from followup.models import Meeting
from followup.signals import meeting_published
from participation.services import questions_notify_answered


def _on_meeting_published(sender, meeting_id: int, **kwargs) -> None:
    # However the meeting was published (the action, or "Spara och publicera" on its
    # form), the residents who asked get the council's answers.
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is not None:
        questions_notify_answered(meeting)


def connect() -> None:
    meeting_published.connect(_on_meeting_published, dispatch_uid="participation-meeting")
