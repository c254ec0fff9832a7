"""Staff pages: the reporter's activities and the one-screen progress report."""

from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.permissions import (
    OWN_UPDATE_EDIT_WINDOW,
    activities_for_user,
    may_correct_measurement,
    may_correct_update,
    may_report,
    require,
    user_organisation,
)
from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from activities.selectors import measurement_corrections, recent_measurements
from activities.services import measurement_change, progress_update_change
from staff.forms import MeasurementChangeForm, ReportChangeForm, ReportForm
from staff.services import report_submit

RECENT_UPDATES_SHOWN = 3
RECENT_MEASUREMENTS_SHOWN = 5


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
    require(request.user, "activities.add_progressupdate", activity)
    return activity


def _saved_message(activity: Activity, update: ProgressUpdate, measurement) -> str:
    """The confirmation, with a link to correct what was just saved."""
    message = format_html(
        '{} <a href="{}">{}</a>',
        _("Lägesrapporten för ”%(activity)s” är sparad och publicerad.")
        % {"activity": activity.title},
        reverse("staff:report_change", args=[update.pk]),
        _("Rätta den"),
    )
    if measurement is not None:
        message = format_html(
            '{} <a href="{}">{}</a>',
            message,
            reverse("staff:measurement_change", args=[measurement.pk]),
            _("Rätta mätvärdet"),
        )
    return message


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
                        request, _saved_message(activity, result.update, result.measurement)
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
    measurements = recent_measurements(activity, RECENT_MEASUREMENTS_SHOWN)
    for measurement in measurements:
        measurement.indicator.activity = activity  # no query per measurement
        measurement.can_change = may_correct_measurement(request.user, measurement)
    return render(
        request,
        "staff/report_form.html",
        {
            "activity": activity,
            "form": form,
            "recent_updates": recent_updates,
            "own_update": _own_correctable_update(request.user, activity, recent_updates),
            "recent_measurements": measurements,
            "status_label": ProgressUpdate.Status(activity.current_status).label,
        },
        status=400 if form.is_bound else 200,
    )


def _own_correctable_update(user, activity: Activity, recent_updates: list[ProgressUpdate]):
    """The user's newest update they may still correct, offered above the form.

    Usually among the recent updates shown; otherwise (colleagues have reported
    since, or none of the user's) it is looked up: one query.
    """
    for update in recent_updates:
        if update.can_change:
            return update
    since = timezone.now() - OWN_UPDATE_EDIT_WINDOW
    own = (
        ProgressUpdate.objects.filter(activity=activity, author=user, created_at__gte=since)
        .order_by("-created_at", "-pk")
        .first()
    )
    if own is not None:
        own.activity = activity
        if may_correct_update(user, own):
            return own
    return None


def _add_model_errors(form, error: ValidationError) -> None:
    """Model validation errors beside the form's fields (or on top when there is none)."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def _correction_form(
    request: HttpRequest, form_class: type[forms.Form], record, fields: tuple[str, ...], change
) -> tuple[forms.Form, bool]:
    """A correction of one's own record: the form, and whether ``change`` saved it.

    On GET the form shows the record's ``fields``; on POST a valid form is passed to
    ``change(**cleaned_data)`` (a service), whose model errors appear beside the fields.
    """
    if request.method != "POST":
        return form_class(initial={name: getattr(record, name) for name in fields}), False
    form = form_class(request.POST)
    if form.is_valid():
        try:
            change(**form.cleaned_data)
        except ValidationError as error:
            _add_model_errors(form, error)
        else:
            return form, True
    return form, False


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_change(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("activity__promise"),
        pk=pk,
    )
    require(request.user, "activities.change_progressupdate", update)
    form, saved = _correction_form(
        request,
        ReportChangeForm,
        update,
        ("status", "percent_complete", "text"),
        partial(progress_update_change, user=request.user, update=update),
    )
    if saved:
        messages.success(request, _("Lägesrapporten är ändrad."))
        return redirect("staff:my_activities")
    return render(
        request,
        "staff/report_change.html",
        {"update": update, "activity": update.activity, "form": form},
        status=400 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def measurement_change_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Correcting one's own mistyped measurement; the page shows its earlier values."""
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__activity__promise__period"),
        pk=pk,
    )
    require(request.user, "activities.change_measurement", measurement)
    form, saved = _correction_form(
        request,
        MeasurementChangeForm,
        measurement,
        ("value", "measured_on", "source"),
        partial(measurement_change, user=request.user, measurement=measurement),
    )
    if saved:
        messages.success(
            request,
            _("Mätvärdet för ”%(indicator)s” är rättat.")
            % {"indicator": measurement.indicator.name},
        )
        return redirect("staff:report_create", measurement.indicator.activity_id)
    return render(
        request,
        "staff/measurement_change.html",
        {
            "measurement": measurement,
            "activity": measurement.indicator.activity,
            "corrections": measurement_corrections([measurement]).get(measurement.pk, []),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )
