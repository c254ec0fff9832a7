from django.urls import path

from twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("", views.setup, name="setup"),
    path("verifiera/", views.verify, name="verify"),
    path("stang-av/", views.remove, name="remove"),
]
