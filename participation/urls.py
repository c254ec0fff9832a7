from django.urls import path

from participation import views

app_name = "participation"

urlpatterns = [
    path("<slug:municipality>/fragor/", views.questions, name="questions"),
    path("<slug:municipality>/fragor/tack/", views.thanks, name="thanks"),
    path(
        "<slug:municipality>/<slug:period>/loften/<slug:promise>/fraga/",
        views.ask,
        name="ask_about_promise",
    ),
    path(
        "<slug:municipality>/<slug:period>/omraden/<slug:focus_area>/fraga/",
        views.ask,
        name="ask_about_focus_area",
    ),
]
