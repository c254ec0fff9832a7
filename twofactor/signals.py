from twofactor import services


def remember_pending_step(sender, request, user, **kwargs) -> None:
    """At every login, through any login page, note whether a code is still owed."""
    session = getattr(request, "session", None)
    if session is None:
        return
    step = services.pending_step(user)
    if step:
        session[services.SESSION_KEY] = step
    else:
        session.pop(services.SESSION_KEY, None)
