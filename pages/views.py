"""Site-wide pages: about citizen promises, the accessibility statement and search."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pages.forms import SearchForm
from pages.search import search as run_search
from website.selectors import sole_municipality


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/about.html", {"municipality": sole_municipality()})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html", {"municipality": sole_municipality()})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/privacy.html",
        {
            "municipality": sole_municipality(),
            "question_email_retention_days": settings.QUESTION_EMAIL_RETENTION_DAYS,
            "question_email_max_days": settings.QUESTION_EMAIL_MAX_DAYS,
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET if "q" in request.GET else None)
    results = run_search(form.cleaned_data["q"]) if form.is_bound and form.is_valid() else None
    return render(
        request,
        "pages/search.html",
        {"form": form, "results": results, "municipality": sole_municipality()},
    )
