"""Who may reset another user's two-factor login (found by django-rules' autodiscovery).

Kept beside the service that asks it (twofactor.services.two_factor_reset)
rather than in accounts/permissions.py, because it depends on django-otp's
verified session, which only this app knows about.
"""

import rules

from accounts.permissions import is_administrator


@rules.predicate
def has_verified_session(user) -> bool:
    """The user's own session passed a second-factor code (set by OTPMiddleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


@rules.predicate
def may_reset_target(actor, target) -> bool:
    """Never one's own (that is the code-protected page), and superusers only by superusers."""
    if target is None:
        return True
    return target.pk != actor.pk and (actor.is_superuser or not target.is_superuser)


rules.add_perm(
    "twofactor.reset_two_factor", is_administrator & has_verified_session & may_reset_target
)
