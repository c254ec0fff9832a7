from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from timra_trygghet import health

admin.site.site_header = _("Medborgarlöften – administration")
admin.site.site_title = _("Medborgarlöften")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("konto/tvafaktor/", include("twofactor.urls")),
]
