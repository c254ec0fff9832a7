from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from timra_trygghet import health

admin.site.site_header = _("Medborgarlöften – administration")
admin.site.site_title = _("Medborgarlöften")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("admin/anslut-kommun/", include("onboarding.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("konto/tvafaktor/", include("twofactor.urls")),
    path("konto/", include("accounts.urls")),
    path("personal/", include("staff.urls")),
    # Open data: outside any language prefix, so its addresses never change.
    path("api/", include("opendata.api.urls")),
    path("", include("opendata.urls")),
]

# The public site: Swedish at /, English at /en/. Fixed paths come before the
# municipality and period slugs, so they are never taken for a slug.
urlpatterns += i18n_patterns(
    path("", include("pages.urls")),
    path("", include("website.meeting_urls")),
    path("", include("subscriptions.urls")),
    path("", include("participation.urls")),
    path("", include("website.urls")),
    prefix_default_language=False,
)

# A database outage answers 503 "try again soon" instead of the 500 page (see errors.py).
handler500 = "timra_trygghet.errors.server_error"
