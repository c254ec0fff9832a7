from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Medborgarlöften – administration")
admin.site.site_title = _("Medborgarlöften")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/", include("accounts.urls")),
    path("personal/", include("staff.urls")),
    # Open data: outside any language prefix, so its addresses never change.
    path("api/", include("opendata.api.urls")),
    path("", include("opendata.urls")),
]
