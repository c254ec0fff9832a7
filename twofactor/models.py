from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class Authenticator(TOTPDevice):
    """django-otp's TOTP device as the admin lists it: under this app and a Swedish
    name (the library's own ``verbose_name`` is "TOTP device" in every language).

    Only a name: every device is written by ``twofactor.services``.
    """

    class Meta:
        proxy = True
        verbose_name = _("autentiseringsapp")
        verbose_name_plural = _("autentiseringsappar")
