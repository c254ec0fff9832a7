from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("", views.my_activities, name="my_activities"),
    path("aktiviteter/<int:pk>/rapportera/", views.report_create, name="report_create"),
    path("lagesrapporter/<int:pk>/andra/", views.report_change, name="report_change"),
    path("matvarden/<int:pk>/andra/", views.measurement_change_view, name="measurement_change"),
]
