from django.urls import include, path, re_path
from django.views.generic import RedirectView
from rest_framework.routers import SimpleRouter

from opendata.api import views
from opendata.api.docs import DocumentationView
from opendata.api.schema import SchemaView

app_name = "api"

router = SimpleRouter()
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("focus-areas", views.FocusAreaViewSet, basename="focusarea")
router.register("promises", views.PromiseViewSet, basename="promise")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("progress-updates", views.ProgressUpdateViewSet, basename="progressupdate")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("questions", views.QuestionViewSet, basename="question")
router.register("overview", views.OverviewViewSet, basename="overview")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api:docs"), name="root"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocumentationView.as_view(), name="docs"),
    path("v1/", views.IndexView.as_view(), name="index"),
    path("v1/", include(router.urls)),
    re_path(r"^.*$", views.not_found),
]
