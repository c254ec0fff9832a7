"""The public pages of residents' questions: the form ("Fråga rådet") and "Frågor och svar".

Only the form's page sets a cookie (the CSRF cookie, strictly necessary for a form
sent with POST); the promise and focus-area pages only link to it and stay cached.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from accounts.form_guard import count_submission, rate_limited
from participation import selectors
from participation.forms import QuestionFilterForm, QuestionForm
from participation.models import subject_title
from participation.services import question_ask
from promises.models import Municipality

RATE_SCOPE = "question"


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def ask(
    request: HttpRequest, municipality: str, period: str, promise: str = "", focus_area: str = ""
) -> HttpResponse:
    subject = selectors.ask_subject(municipality, period, promise=promise, focus_area=focus_area)
    limited = False
    if request.method == "POST":
        form = QuestionForm(request.POST)
        limited = rate_limited(request, RATE_SCOPE, settings.QUESTION_RATE_LIMIT)
        if not limited and form.caught_in_honeypot():
            # Thanked like a person, so a robot learns nothing; nothing is stored.
            return redirect(_thanks_url(subject))
        if not limited and form.is_valid():
            try:
                question_ask(
                    subject=subject,
                    message=form.cleaned_data["message"],
                    display_name=form.cleaned_data["display_name"],
                    email=form.cleaned_data["email"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                count_submission(request, RATE_SCOPE, settings.QUESTION_RATE_WINDOW_SECONDS)
                return redirect(_thanks_url(subject))
    else:
        form = QuestionForm()
    return render(
        request,
        "participation/ask.html",
        {
            "form": form,
            "subject": subject,
            "subject_title": subject_title(subject),
            "period": subject.period,
            "municipality": subject.period.municipality,
            "rate_limited": limited,
            "retention_days": settings.QUESTION_EMAIL_RETENTION_DAYS,
        },
        # As "Följ löftet" does: a form sent back with errors is a 400 (the page shows
        # each message beside its field), a refused rate a 429, a fresh form a 200.
        status=429 if limited else 400 if request.method == "POST" else 200,
    )


def _thanks_url(subject) -> str:
    return reverse(
        "participation:thanks", kwargs={"municipality": subject.period.municipality.slug}
    )


def thanks(request: HttpRequest, municipality: str) -> HttpResponse:
    found = get_object_or_404(Municipality.objects.published(), slug=municipality)
    return render(request, "participation/thanks.html", {"municipality": found})


def questions(request: HttpRequest, municipality: str) -> HttpResponse:
    found = get_object_or_404(Municipality.objects.published(), slug=municipality)
    form = QuestionFilterForm(request.GET, focus_areas=selectors.questions_filter_choices(found))
    return render(
        request,
        "participation/questions.html",
        {
            "municipality": found,
            "form": form,
            "questions": selectors.municipality_questions(found, **form.filters()),
        },
    )
