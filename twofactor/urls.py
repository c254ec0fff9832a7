from django.urls import path

from twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("", views.setup, name="setup"),
    path("verifiera/", views.verify, name="verify"),
    path("byt-telefon/", views.replace, name="replace"),
    path("reservkoder/", views.backup_codes, name="backup_codes"),
    path("stang-av/", views.remove, name="remove"),
]
