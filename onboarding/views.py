"""The admin's onboarding pages: a municipality joins, then its published text is imported."""

import logging
import secrets

from django.conf import settings
from django.contrib import admin, messages
from django.core.cache import cache
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

logger = logging.getLogger(__name__)


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


# A preview is saved once. Its token (a hidden field) is claimed in the shared cache
# before the draft is saved, so a second submit of the same preview (a double click,
# the back button) leads to the draft already saved instead of making another.
SAVED_PREVIEW_SECONDS = 24 * 60 * 60
_SAVING = "saving"


def _saved_preview_key(user, period_data: dict) -> str | None:
    token = period_data.get("import_token")
    return f"onboarding:import:{user.pk}:{token}" if token else None


def _claim(key: str | None) -> bool | int | None:
    """True: this request saves the preview. Else the draft's id when it is saved
    already, or None while another request is saving it."""
    if key is None:
        return True
    try:
        if cache.add(key, _SAVING, SAVED_PREVIEW_SECONDS):
            return True
        saved = cache.get(key)
    except Exception:  # the cache is away: save without the guard
        logger.warning("Could not claim an import preview in the cache.", exc_info=True)
        return True
    return saved if isinstance(saved, int) else None


def _remember(key: str | None, period_id: int) -> None:
    if key is not None:
        try:
            cache.set(key, period_id, SAVED_PREVIEW_SECONDS)
        except Exception:
            logger.warning("Could not remember a saved import preview.", exc_info=True)


def _release(key: str | None) -> None:
    """A refused save: the corrected preview may be saved."""
    if key is not None:
        try:
            cache.delete(key)
        except Exception:
            logger.warning("Could not release an import preview.", exc_info=True)


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
            key = _saved_preview_key(request.user, forms["period_form"].cleaned_data)
            claimed = _claim(key)
            if claimed is not True:
                if claimed:
                    messages.info(
                        request,
                        _("Utkastet var redan sparat; det sparades inte en gång till."),
                    )
                    return redirect("admin:promises_period_change", claimed)
                forms["period_form"].add_error(
                    None, _("Utkastet håller på att sparas. Vänta en stund och försök igen.")
                )
                return render(
                    request,
                    "admin/onboarding/preview.html",
                    _context(request, title, unclassified=unclassified, **forms),
                )
            try:
                result = medborgarlofte_import_save(
                    user=request.user,
                    municipality=municipality,
                    parsed=parsed,
                    follow_up_cadence=forms["period_form"].cleaned_data["follow_up_cadence"],
                )
            except ValidationError as error:
                _release(key)
                forms["period_form"].add_error(
                    None, error if not hasattr(error, "error_dict") else error.messages
                )
            else:
                _remember(key, result.period.pk)
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
        initial["period"]["import_token"] = secrets.token_urlsafe(16)
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
