"""Staff pages: the reporter's activities and the one-screen progress report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.permissions import (
    activities_for_user,
    may_correct_update,
    may_report,
    user_organisation,
)
from activities.models import Activity, Indicator, ProgressUpdate
from activities.services import progress_update_change
from staff.forms import ReportChangeForm, ReportForm
from staff.services import report_submit

RECENT_UPDATES_SHOWN = 3


def _no_organisation(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/no_organisation.html", status=403)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def my_activities(request: HttpRequest) -> HttpResponse:
    organisation = user_organisation(request.user)
    if organisation is None:
        return _no_organisation(request)
    activities = (
        activities_for_user(request.user, Activity.objects.all())
        .with_progress()
        .select_related("promise__period__municipality", "lead_organisation")
        .order_by(F("last_reported_on").asc(nulls_first=True), "planned_end", "pk")
    )
    for activity in activities:
        activity.status_label = ProgressUpdate.Status(activity.current_status).label
    return render(
        request,
        "staff/my_activities.html",
        {
            "organisation": organisation,
            "activities": activities,
            "can_report": may_report(request.user),
        },
    )


def _reportable_activity(request: HttpRequest, pk: int) -> Activity:
    """The activity, 404 when it does not exist, 403 when it is not the user's to report on."""
    activity = get_object_or_404(
        Activity.objects.with_progress().select_related("promise__period", "lead_organisation"),
        pk=pk,
    )
    if not request.user.has_perm("activities.add_progressupdate", activity):
        raise PermissionDenied
    return activity


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _reportable_activity(request, pk)
    indicators = list(Indicator.objects.filter(activity=activity))
    form_kwargs = {"activity": activity, "indicators": indicators}
    if request.method == "POST":
        form = ReportForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                result = report_submit(
                    user=request.user,
                    activity=activity,
                    status=form.cleaned_data["status"],
                    percent_complete=form.cleaned_data["percent_complete"],
                    text=form.cleaned_data["text"],
                    measurement=form.measurement_input(),
                    submission_token=form.cleaned_data["submission_token"],
                )
            except ValidationError as error:
                _add_model_errors(form, error)
            else:
                if result.created:
                    messages.success(
                        request,
                        format_html(
                            "{} <a href=\"{}\">{}</a>",
                            _("Lägesrapporten för ”%(activity)s” är sparad och publicerad.")
                            % {"activity": activity.title},
                            reverse("staff:report_change", args=[result.update.pk]),
                            _("Rätta den"),
                        ),
                    )
                else:
                    messages.info(
                        request,
                        _("Lägesrapporten var redan sparad; den sparades inte en gång till."),
                    )
                return redirect("staff:my_activities")
    else:
        form = ReportForm(
            initial={
                "status": activity.current_status,
                "percent_complete": activity.current_percent,
            },
            **form_kwargs,
        )
    recent_updates = list(
        ProgressUpdate.objects.filter(activity=activity).select_related("organisation", "author")[
            :RECENT_UPDATES_SHOWN
        ]
    )
    for update in recent_updates:
        update.activity = activity  # the same activity: no query per update
        update.can_change = may_correct_update(request.user, update)
    return render(
        request,
        "staff/report_form.html",
        {
            "activity": activity,
            "form": form,
            "recent_updates": recent_updates,
            "status_label": ProgressUpdate.Status(activity.current_status).label,
        },
        status=400 if form.is_bound else 200,
    )


def _add_model_errors(form, error: ValidationError) -> None:
    """Model validation errors beside the form's fields (or on top when there is none)."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_change(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("activity__promise"),
        pk=pk,
    )
    if not may_correct_update(request.user, update):
        raise PermissionDenied
    if request.method == "POST":
        form = ReportChangeForm(request.POST)
        if form.is_valid():
            try:
                progress_update_change(user=request.user, update=update, **form.cleaned_data)
            except ValidationError as error:
                _add_model_errors(form, error)
            else:
                messages.success(request, _("Lägesrapporten är ändrad."))
                return redirect("staff:my_activities")
    else:
        form = ReportChangeForm(
            initial={
                "status": update.status,
                "percent_complete": update.percent_complete,
                "text": update.text,
            }
        )
    return render(
        request,
        "staff/report_change.html",
        {"update": update, "activity": update.activity, "form": form},
        status=400 if form.is_bound else 200,
    )
