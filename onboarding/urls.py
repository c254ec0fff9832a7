from django.contrib import admin
from django.urls import path

from onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("", admin.site.admin_view(views.municipality_join_view), name="join"),
    path(
        "importera/",
        admin.site.admin_view(views.medborgarlofte_import_view),
        name="import",
    ),
]
