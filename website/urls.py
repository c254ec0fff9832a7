from django.urls import path

from website import views

app_name = "promises"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:municipality>/", views.municipality, name="municipality"),
    path("<slug:municipality>/perioder/", views.period_archive, name="period_archive"),
    path("<slug:municipality>/<slug:period>/", views.period, name="period"),
    path("<slug:municipality>/<slug:period>/loften/", views.promise_list, name="promise_list"),
    path(
        "<slug:municipality>/<slug:period>/loften/<slug:promise>/",
        views.promise_detail,
        name="promise",
    ),
    path(
        "<slug:municipality>/<slug:period>/omraden/<slug:focus_area>/",
        views.focus_area,
        name="focus_area",
    ),
]
