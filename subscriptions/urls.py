from django.urls import path

from subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("folj/bekrafta/<str:token>/", views.confirm, name="confirm"),
    path("folj/avsluta/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "<slug:municipality>/<slug:period>/loften/<slug:promise>/folj/",
        views.subscribe,
        name="subscribe",
    ),
    path(
        "<slug:municipality>/<slug:period>/loften/<slug:promise>/folj/skickat/",
        views.requested,
        name="requested",
    ),
]
