"""What happened to the council's meetings, for apps above the domain to act on.

Sent by the services once the transaction has committed (see ``activities.signals``).
"""

from django.dispatch import Signal

# A meeting was published (first time or again). Arguments: ``meeting_id``,
# ``promise_ids`` (the promises it follows up).
meeting_published = Signal()
