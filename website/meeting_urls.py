from django.urls import path

from website import meeting_views as views

app_name = "followup"

urlpatterns = [
    path("<slug:municipality>/sammantraden/", views.meeting_list, name="meeting_list"),
    path("<slug:municipality>/sammantraden/<int:pk>/", views.meeting_detail, name="meeting"),
]
