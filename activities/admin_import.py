"""The admin's *Importera* pages for activity plans: upload and preview, then import.

The reading, checking and saving is ``activities.imports``; this module is the
form and the two pages. Between the preview and the import the file's rows
wait in the shared cache under a random token bound to the user and period, so
the import saves exactly what was previewed (checked again first).
"""

import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.municipalities import for_user
from accounts.permissions import allowed
from activities.imports import (
    ALLOWED_EXTENSIONS,
    COLUMNS,
    MAX_ROWS,
    MAX_SHOWN_ROWS,
    REQUIRED_COLUMNS,
    ImportFileError,
    PlanNotImported,
    PlanPreview,
    import_plan,
    preview_plan,
    read_plan_file,
    summary,
)
from promises.models import Period

# A preview waits this long for its import.
PREVIEW_SECONDS = 60 * 60
CACHE_PREFIX = "activity-plan-import:"


def _periods(user):
    return for_user(user, Period.objects.select_related("municipality")).current_first()


class ActivityPlanImportForm(forms.Form):
    """The upload: a period of the user's municipalities, and one small CSV or XLSX file."""

    period = forms.ModelChoiceField(
        label=gettext_lazy("Löftesperiod"),
        queryset=Period.objects.none(),
        help_text=gettext_lazy("Aktiviteterna läggs under löftena i den här perioden."),
    )
    import_file = forms.FileField(label=gettext_lazy("Fil med aktivitetsplanen"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        periods = list(_periods(user))
        field = self.fields["period"]
        field.queryset = _periods(user)
        field.empty_label = _("– Välj period –")
        in_force = [period for period in periods if period.is_in_force]
        if len(in_force) == 1 and "period" not in self.initial:
            self.initial["period"] = in_force[0].pk
        self.fields["import_file"].help_text = _(
            "CSV (semikolon- eller kommaavgränsad, UTF-8 eller Windows-1252) eller XLSX, "
            "högst %(size)s och %(rows)s rader. Första raden har kolumnerna %(columns)s; "
            "%(required)s måste finnas. Flera medansvariga aktörer skiljs åt med semikolon; "
            "datum skrivs ÅÅÅÅ-MM-DD."
        ) % {
            "size": filesizeformat(settings.ACTIVITY_IMPORT_MAX_BYTES),
            "rows": f"{MAX_ROWS:,}".replace(",", "\xa0"),
            "columns": ", ".join(COLUMNS.values()),
            "required": ", ".join(COLUMNS[name] for name in REQUIRED_COLUMNS),
        }
        self.fields["import_file"].widget.attrs["accept"] = ",".join(ALLOWED_EXTENSIONS)

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.ACTIVITY_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Filen är för stor: högst %(size)s.")
                % {"size": filesizeformat(settings.ACTIVITY_IMPORT_MAX_BYTES)}
            )
        try:
            self.table = read_plan_file(upload.name, upload.read())
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class ActivityPlanConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ActivityPlanImportAdminMixin:
    """Adds the import and its confirmation to the activities' admin."""

    import_template = "admin/activities/activity/import.html"

    def has_import_permission(self, request: HttpRequest) -> bool:
        return allowed(request.user, "activities.import_activity")

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{prefix}_import",
            ),
            path(
                "process_import/",
                self.admin_site.admin_view(self.process_import_view),
                name=f"{prefix}_process_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        preview = confirm_form = None
        if request.method == "POST":
            form = ActivityPlanImportForm(request.POST, request.FILES, user=request.user)
            if form.is_valid():
                period = form.cleaned_data["period"]
                preview = preview_plan(form.table, period, request.user)
                if preview.is_valid and (preview.new or preview.changed):
                    token = secrets.token_urlsafe(24)
                    cache.set(
                        CACHE_PREFIX + token,
                        {"user": request.user.pk, "period": period.pk, "table": form.table},
                        PREVIEW_SECONDS,
                    )
                    confirm_form = ActivityPlanConfirmForm(initial={"token": token})
        else:
            form = ActivityPlanImportForm(user=request.user)
        return self._import_page(request, form, preview, confirm_form)

    def process_import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        import_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        confirm_form = ActivityPlanConfirmForm(request.POST or None)
        stored = None
        if request.method == "POST" and confirm_form.is_valid():
            stored = cache.get(CACHE_PREFIX + confirm_form.cleaned_data["token"])
        if stored is None or stored["user"] != request.user.pk:
            messages.error(
                request,
                _("Förhandsgranskningen finns inte längre. Välj filen igen och granska den."),
            )
            return HttpResponseRedirect(import_url)
        period = _periods(request.user).filter(pk=stored["period"]).first()
        if period is None:
            raise PermissionDenied
        cache.delete(CACHE_PREFIX + confirm_form.cleaned_data["token"])
        try:
            preview = import_plan(stored["table"], period, request.user)
        except PlanNotImported as refused:
            form = ActivityPlanImportForm(user=request.user, initial={"period": period.pk})
            return self._import_page(request, form, refused.preview, None)
        messages.success(request, summary(preview))
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return HttpResponseRedirect(f"{changelist}?promise__period__id__exact={period.pk}")

    def _import_page(
        self, request: HttpRequest, form, preview: PlanPreview | None, confirm_form
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Importera aktivitetsplan"),
            "form": form,
            "preview": preview,
            "confirm_form": confirm_form,
            "shown_rows": MAX_SHOWN_ROWS,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return render(request, self.import_template, context)
