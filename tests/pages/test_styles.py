"""The portal's Bootstrap (static/scss, built by `make setup`) has every Bootstrap class it uses."""

import re
from pathlib import Path

from django import forms
from django.template import Context, Template

ROOT = Path(__file__).resolve().parents[2]
BUILT = ROOT / "build" / "static" / "css" / "bootstrap.css"
FULL = ROOT / "node_modules" / "bootstrap" / "dist" / "css" / "bootstrap.css"
SKIPPED_FOLDERS = {".venv", "node_modules", "build", "staticfiles", "tests"}
CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
# Status badge colours chosen in template tags (text-bg-primary and the like).
CLASS_LITERAL = re.compile(r'"((?:text-bg|btn|alert)-[\w-]+)"')


def css_classes(path: Path) -> set[str]:
    assert path.exists(), f"{path} is missing: run `make setup`"
    return set(CLASS_SELECTOR.findall(re.sub(r"url\([^)]*\)", "", path.read_text())))


def source_files(pattern: str) -> list[Path]:
    return [
        path
        for path in ROOT.rglob(pattern)
        if not SKIPPED_FOLDERS & set(path.relative_to(ROOT).parts)
        # The admin's own templates are styled by Django's admin CSS, not Bootstrap.
        and "admin" not in path.relative_to(ROOT).parts
    ]


def classes_in_markup(markup: str) -> set[str]:
    found = set()
    for value in CLASS_ATTRIBUTE.findall(markup):
        # Literal classes inside {% if %} count; variables ({{ }}) are checked below.
        value = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", value)
        found.update(value.split())
    return found


class EveryWidget(forms.Form):
    """One field of each kind the staff and login forms render through crispy-forms."""

    text = forms.CharField(help_text="Hjälptext")
    number = forms.IntegerField()
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    long_text = forms.CharField(widget=forms.Textarea)
    password = forms.CharField(widget=forms.PasswordInput)
    check = forms.BooleanField()

    def clean(self):
        raise forms.ValidationError("Formulärfel")


def test_every_bootstrap_class_the_portal_uses_is_in_its_build():
    bootstrap = css_classes(FULL)
    built = css_classes(BUILT)
    used = set()
    for template in source_files("*.html"):
        used |= classes_in_markup(template.read_text())
    for module in source_files("templatetags/*.py"):
        used |= set(CLASS_LITERAL.findall(module.read_text()))
    crispy = Template("{% load crispy_forms_tags %}{{ form|crispy }}")
    used |= classes_in_markup(crispy.render(Context({"form": EveryWidget(data={"number": "x"})})))

    missing = sorted((used & bootstrap) - built)

    assert not missing, f"add these to static/scss/bootstrap.scss: {missing}"
    assert {"btn-primary", "text-bg-warning", "form-control", "is-invalid", "col-lg-8"} <= built


def test_the_build_leaves_out_what_the_portal_does_not_use():
    built = css_classes(BUILT)

    assert not {"modal", "navbar", "carousel", "col-xl-6", "d-md-none", "btn-info"} & built
    assert BUILT.stat().st_size < FULL.stat().st_size / 3
