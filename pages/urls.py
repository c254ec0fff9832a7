from django.urls import path

from pages import views

app_name = "pages"

urlpatterns = [
    path("sok/", views.search, name="search"),
    path("om-medborgarloften/", views.about, name="about"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personuppgifter/", views.privacy, name="privacy"),
]
