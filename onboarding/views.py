"""The admin's onboarding pages: a municipality joins, then its published text is imported."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.municipalities import for_user
from accounts.permissions import allowed
from onboarding.forms import (
    FocusAreaPreviewFormSet,
    MedborgarlofteSourceForm,
    MunicipalityJoinForm,
    PeriodPreviewForm,
    PromisePreviewFormSet,
    TargetPreviewFormSet,
)
from onboarding.preview import (
    check_references,
    initial_data,
    parsed_from_forms,
    preview_field_count,
)
from onboarding.services import medborgarlofte_import_save, municipality_join
from promises.medborgarlofte_import import parse
from promises.models import Municipality


def _context(request: HttpRequest, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


def municipality_join_view(request: HttpRequest) -> HttpResponse:
    if not allowed(request.user, "promises.add_municipality"):
        raise PermissionDenied
    form = MunicipalityJoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = municipality_join(user=request.user, join=form.for_service())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _(
                    "%(municipality)s är ansluten med %(council)s, %(count)s aktörer och "
                    "en administratör. Importera nu kommunens medborgarlöfte."
                )
                % {
                    "municipality": result.municipality.name,
                    "council": result.council.name,
                    "count": len(result.organisations),
                },
            )
            return redirect(
                reverse("onboarding:import") + f"?municipality={result.municipality.pk}"
            )
    return render(
        request,
        "admin/onboarding/join.html",
        _context(request, _("Anslut en kommun"), form=form),
    )


def _import_municipalities(user):
    """The municipalities where the user may add a period."""
    ids = [
        municipality.pk
        for municipality in for_user(user, Municipality.objects.all())
        if allowed(user, "promises.add_period", municipality)
    ]
    return Municipality.objects.filter(pk__in=ids)


def _preview_forms(municipalities, data=None, initial=None) -> dict:
    initial = initial or {}
    return {
        "period_form": PeriodPreviewForm(
            data, municipalities=municipalities, initial=initial.get("period"), prefix="period"
        ),
        "focus_area_formset": FocusAreaPreviewFormSet(
            data, initial=initial.get("focus_areas"), prefix="focus"
        ),
        "promise_formset": PromisePreviewFormSet(
            data, initial=initial.get("promises"), prefix="promise"
        ),
        "target_formset": TargetPreviewFormSet(
            data, initial=initial.get("targets"), prefix="target"
        ),
    }


def medborgarlofte_import_view(request: HttpRequest) -> HttpResponse:
    """Paste or upload → a preview where everything is editable → a draft period."""
    municipalities = _import_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied
    title = _("Importera ett publicerat medborgarlöfte")
    if request.method == "POST" and "save" in request.POST:
        forms = _preview_forms(municipalities, data=request.POST)
        unclassified = request.POST.getlist("unclassified")
        valid = [form.is_valid() for form in forms.values()]
        if all(valid) and check_references(
            forms["focus_area_formset"], forms["promise_formset"], forms["target_formset"]
        ):
            municipality = forms["period_form"].cleaned_data["municipality"]
            parsed = parsed_from_forms(*forms.values())
            try:
                result = medborgarlofte_import_save(
                    user=request.user,
                    municipality=municipality,
                    parsed=parsed,
                    follow_up_cadence=forms["period_form"].cleaned_data["follow_up_cadence"],
                )
            except ValidationError as error:
                forms["period_form"].add_error(
                    None, error if not hasattr(error, "error_dict") else error.messages
                )
            else:
                messages.success(
                    request,
                    _(
                        "Utkastet %(period)s är sparat med %(promises)s löften och "
                        "%(indicators)s mått. Det är inte publicerat: granska det och "
                        "publicera det här."
                    )
                    % {
                        "period": result.period.name,
                        "promises": result.promises,
                        "indicators": result.indicators,
                    },
                )
                return redirect("admin:promises_period_change", result.period.pk)
        return render(
            request,
            "admin/onboarding/preview.html",
            _context(request, title, unclassified=unclassified, **forms),
        )

    source_form = MedborgarlofteSourceForm(
        request.POST or None,
        request.FILES or None,
        municipalities=municipalities,
        initial={"municipality": request.GET.get("municipality")},
    )
    if request.method == "POST" and source_form.is_valid():
        parsed = parse(source_form.cleaned_data["source_text"])
        municipality = source_form.cleaned_data["municipality"]
        initial = initial_data(parsed, municipality)
        forms = _preview_forms(municipalities, initial=initial)
        if preview_field_count(forms.values(), parsed.unclassified) <= (
            settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or float("inf")
        ):
            return render(
                request,
                "admin/onboarding/preview.html",
                _context(
                    request,
                    title,
                    municipality=municipality,
                    unclassified=parsed.unclassified,
                    period_text=initial["period_text"],
                    headings=[parsed.title, *parsed.headings] if parsed.title else parsed.headings,
                    **forms,
                ),
            )
        source_form.add_too_much_to_review_error()
    return render(
        request, "admin/onboarding/import.html", _context(request, title, form=source_form)
    )
