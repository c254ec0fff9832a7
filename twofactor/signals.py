from twofactor import services


def remember_two_factor_state(sender, request, user, **kwargs) -> None:
    """At every login, through any login page, note the user's enrolment in the session."""
    session = getattr(request, "session", None)
    if session is not None:
        services.session_state_refresh(session, user)
