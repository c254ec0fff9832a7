"""What happened to activities, for apps above the domain to act on.

Sent by the services once the transaction has committed, so a receiver sees
the saved rows and nothing that was rolled back. The domain never imports its
receivers (e-mail to followers lives in ``subscriptions``).
"""

from django.dispatch import Signal

# A progress update was added. Arguments: ``progress_update_id``, ``promise_id``.
progress_update_created = Signal()
