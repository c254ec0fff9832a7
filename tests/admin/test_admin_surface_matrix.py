"""Every admin address × every role: allowed by the rules, or refused with nothing changed.

The cases come from the admin site's registry, not from a list: for each
registered model its changelist, add, change and delete pages (GET and POST), its
history and a version's revert form (GET and POST), each action, and each
inline's add, change and delete of a row. What each role may do is asked of
the rules (``accounts.permissions.allowed``) for the same object, so the test
holds the admin to the rules rather than to a second copy of them. A refusal is
a 403, a 404, the login page, or a form that does not take the change, and in
every refusal the database is unchanged.

A model, inline or action registered later without rules fails the structural
tests at the bottom, and its addresses join the matrix by themselves (a model
without an object in ``scene`` fails until one is added).
"""

import copy

import pytest
import rules
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import DEFAULT_DB_ALIAS, transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_permissions import (
    HistoryAdmin,
    InlineObjectPermissionsMixin,
    ObjectPermissionsAdminMixin,
    perm_name,
)
from accounts.models import StaffProfile
from accounts.permissions import allowed
from accounts.roles import REPORTER
from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from followup.models import Council, FollowUp, Meeting
from participation.models import Dialogue, Question
from promises.models import FocusArea, Municipality, Organisation, Period, Promise
from subscriptions.models import Subscriber
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgressUpdateFactory,
)
from tests.admin_helpers import _add_form, admin_form_data
from tests.followup.factories import CouncilFactory, FollowUpFactory, MeetingFactory
from tests.participation.factories import DialogueFactory, QuestionFactory
from tests.promises.factories import (
    FocusAreaFactory,
    MunicipalityFactory,
    PeriodFactory,
    PromiseFactory,
)
from tests.subscriptions.factories import SubscriptionFactory
from twofactor.models import Authenticator

# The cast (fixtures of tests/conftest.py; "anonymous" is nobody logged in). One
# list: every role added to the cast joins every case below.
ROLES = [
    "anonymous",
    "police_reporter",
    "timra_secretary",
    "other_secretary",
    "municipal_administrator",
    "national_administrator",
    "superuser",
]


@pytest.fixture
def superuser(admin_user):
    return admin_user


# --- The scene: one object of every registered model, built once per module ------------


def build_scene() -> dict:
    """One object per registered model (and what hangs on it), each with an earlier version."""
    from tests.conftest import _organisation

    municipality = MunicipalityFactory(name="Timrå", slug="timra")
    police = _organisation("polisen", "Polisen", "police", municipality)
    municipality_org = _organisation("timra-kommun", "Timrå kommun", "municipality", municipality)
    period = PeriodFactory(municipality=municipality, name="2025–2026", slug="2025-2026")
    focus_area = FocusAreaFactory(period=period, name="Trygg centrumnära miljö")
    promise = PromiseFactory(
        period=period, organisations=[police, municipality_org], focus_areas=[focus_area]
    )
    # A second promise without a follow-up: the meeting's form offers a row for it.
    PromiseFactory(period=period, organisations=[police], focus_areas=[focus_area])
    activity = ActivityFactory(promise=promise, lead_organisation=police)
    update = ProgressUpdateFactory(activity=activity)
    indicator = IndicatorFactory(activity=activity)
    IndicatorFactory(activity=None, promise=promise, name="Upplevd trygghet")
    measurement = MeasurementFactory(indicator=indicator)
    council = CouncilFactory(municipality=municipality)
    meeting = MeetingFactory(period=period, council=council, is_published=False)
    follow_up = FollowUpFactory(meeting=meeting, promise=promise)
    dialogue = DialogueFactory(period=period, focus_areas=[focus_area])
    # Sent to the (unpublished) meeting: its form shows it under "Frågor från invånare".
    question = QuestionFactory(
        promise=promise, status=Question.Status.SENT_TO_COUNCIL, meeting=meeting
    )

    user = get_user_model().objects.create_user(
        "malanvandare", "malanvandare@example.invalid", "lösen-för-målet-2026", is_staff=True
    )
    user.groups.add(Group.objects.get(name=REPORTER))
    profile = StaffProfile.objects.create(user=user, organisation=police)
    group = Group.objects.create(name="Tillfällig grupp")
    device = TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    attempt_fields = {
        "user_agent": "webbläsare",
        "ip_address": "192.0.2.1",
        "username": "nagon",
        "http_accept": "text/html",
        "path_info": "/konto/logga-in/",
    }
    attempt = AccessAttempt.objects.create(
        **attempt_fields, get_data="", post_data="", failures_since_start=2
    )
    log = AccessLog.objects.create(**attempt_fields)
    failure = AccessFailureLog.objects.create(**attempt_fields)
    subscriber = SubscriptionFactory(promise=promise).subscriber

    # An earlier version of each object with a history, to revert to.
    for obj, field in [
        (period, "purpose"),
        (focus_area, "description"),
        (promise, "text"),
        (activity, "description"),
        (update, "text"),
        (indicator, "name"),
        (council, "name"),
        (meeting, "place"),
        (follow_up, "comment"),
    ]:
        setattr(obj, field, f"{getattr(obj, field)} (senare lydelse)")
        obj.save()

    return {
        Municipality: municipality,
        Organisation: police,
        Period: period,
        FocusArea: focus_area,
        Promise: promise,
        Activity: activity,
        ProgressUpdate: update,
        Indicator: indicator,
        Measurement: measurement,
        Council: council,
        Meeting: meeting,
        FollowUp: follow_up,
        Dialogue: dialogue,
        Question: question,
        get_user_model(): user,
        StaffProfile: profile,
        Group: group,
        Authenticator: Authenticator.objects.get(pk=device.pk),
        AccessAttempt: attempt,
        AccessLog: log,
        AccessFailureLog: failure,
        Subscriber: subscriber,
        "superuser": get_user_model().objects.create_superuser(
            "matrisens-superanvandare", "matris@example.invalid", "lösen-för-matrisen-2026"
        ),
    }


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """Built once, inside a transaction rolled back after the module; each test's own
    changes are rolled back after the test (a savepoint inside this transaction)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            scene = build_scene()
            client = Client()
            client.force_login(scene["superuser"])
            scene["pages"] = Pages(client)
            yield scene
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- The cases, from the registry -------------------------------------------------------


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    return request


def _is_history_admin(model_admin) -> bool:
    return isinstance(model_admin, SimpleHistoryAdmin)


def _addresses(model, model_admin) -> list[str]:
    addresses = [
        "changelist",
        "add-get",
        "add-post",
        "change-get",
        "change-post",
        "delete-get",
        "delete-post",
    ]
    if _is_history_admin(model_admin):
        addresses += ["history", "revert-get", "revert-post"]
    addresses += [f"action:{name}" for name in model_admin.get_actions(_superuser_request())]
    for inline in model_admin.get_inlines(_superuser_request(), None):
        addresses += [f"inline:{inline.__name__}:{what}" for what in ("add", "change", "delete")]
    return addresses


CASES = [
    (model, address)
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda i: i[0]._meta.label)
    for address in _addresses(model, model_admin)
]


# --- What the rules say -------------------------------------------------------------------


def may(user, model, action: str, obj=None) -> bool:
    return allowed(user, perm_name(model._meta, action), obj)


def may_delete_with_everything_on_it(user, obj) -> bool:
    """The rules allow deleting the object and everything its deletion would take with it."""
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    collector.collect([obj])
    if collector.protected:
        return False
    return all(
        may(user, type(item), "delete", item)
        for item in _flatten(collector.nested())
        if admin.site.is_registered(type(item))
    )


def _flatten(item):
    if isinstance(item, list):
        for inner in item:
            yield from _flatten(inner)
    else:
        yield item


def is_a_record(model) -> bool:
    """Nobody may ever delete it (progress updates, measurements): its history is the record."""
    return rules.permissions.permissions.get(perm_name(model._meta, "delete")) is rules.always_deny


# --- Looking at the database --------------------------------------------------------------


def _watched_models() -> list:
    watched = set()
    for model in [*admin.site._registry, StaffProfile]:
        watched.add(model)
        watched.update(field.remote_field.through for field in model._meta.many_to_many)
        history = getattr(model, "history", None)
        if history is not None and hasattr(history, "model"):
            watched.add(history.model)
    return sorted(watched, key=lambda model: model._meta.label)


WATCHED = _watched_models()


def snapshot(skip: frozenset = frozenset()) -> dict:
    """Every row of the watched tables, without the columns that only stamp a save."""
    rows = {}
    for model in WATCHED:
        if model in skip:
            continue
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if not getattr(field, "auto_now", False) and field.name != "last_login"
        ]
        rows[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*names))
    return rows


def assert_unchanged(before: dict, skip: frozenset = frozenset()) -> None:
    after = snapshot(skip)
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"refused, yet these tables changed: {changed}"


def _labels(models) -> set[str]:
    return {model._meta.label for model in models}


def _parent_tables(model) -> frozenset:
    """The parent's own rows are saved (stamped) when only an inline row is refused."""
    tables = {model, *(field.remote_field.through for field in model._meta.many_to_many)}
    history = getattr(model, "history", None)
    if history is not None and hasattr(history, "model"):
        tables.add(history.model)
    return frozenset(tables)


# --- Talking to the admin -------------------------------------------------------------------


def url_of(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def add_url(model, scene) -> str:
    url = url_of(model, "add")
    if model is Meeting:
        url += f"?period={scene[Period].pk}"  # the add form starts from the period
    return url


def refused(response) -> bool:
    """403, 404, or the admin's login page."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def _editable_text_field(form) -> str | None:
    for name, field in form.fields.items():
        if (
            type(field) is forms.CharField
            and not field.disabled
            and not isinstance(field.widget, forms.HiddenInput | forms.PasswordInput)
        ):
            return name
    return None


def _changed(value) -> str:
    return f"{value or ''} ändrad"[-40:]


class Pages:
    """What the superuser's browser sees: the data each POST starts from.

    Read once per address: every test starts from the same scene.
    """

    def __init__(self, client: Client):
        self.client = client
        self.seen: dict[str, tuple[dict, object]] = {}

    def data(self, url: str) -> tuple[dict, object]:
        if url not in self.seen:
            response = self.client.get(url)
            assert response.status_code == 200, url
            self.seen[url] = (admin_form_data(response), response)
        data, response = self.seen[url]
        return copy.deepcopy(data), response


def inline_formset(response, inline_name: str):
    for inline in response.context["inline_admin_formsets"]:
        if type(inline.opts).__name__ == inline_name:
            return inline.formset
    raise AssertionError(f"{inline_name} is not on the page")


# --- The matrix -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "address"),
    CASES,
    ids=[f"{model._meta.label}-{address}" for model, address in CASES],
)
@pytest.mark.parametrize("role", ROLES)
def test_an_admin_address_is_allowed_by_the_rules_or_refused_with_nothing_changed(
    request, scene, db, role, model, address
):
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    obj = scene[model]
    client = Client()
    if role != "anonymous":
        client.force_login(user)
    pages = scene["pages"]
    in_admin = bool(user.is_active and user.is_staff)
    view, _sep, detail = address.partition(":")

    if address == "changelist":
        expected = in_admin and (may(user, model, "view") or may(user, model, "change"))
        check_get(client.get(url_of(model, "changelist")), expected)
    elif address == "add-get":
        check_get(client.get(add_url(model, scene)), in_admin and may(user, model, "add"))
    elif address == "add-post":
        data, _page = pages.data(url_of(model, "change", obj.pk))
        expected = in_admin and may(user, model, "add")
        before = None if expected else snapshot()
        response = client.post(add_url(model, scene), data)
        if expected:
            assert not refused(response) and response.status_code in (200, 302)
        else:
            assert refused(response)
            assert_unchanged(before)
    elif address == "change-get":
        response = client.get(url_of(model, "change", obj.pk))
        may_change = in_admin and may(user, model, "change", obj)
        check_get(response, may_change or (in_admin and may(user, model, "view", obj)))
        if not refused(response):
            assert response.context["has_change_permission"] == may_change
    elif address == "change-post":
        url = url_of(model, "change", obj.pk)
        data, page = pages.data(url)
        field = _editable_text_field(page.context["adminform"].form)
        if field:
            data[field] = _changed(data.get(field))
        expected = in_admin and may(user, model, "change", obj)
        before = None if expected else snapshot()
        response = client.post(url, data)
        if expected:
            errors = response.context["errors"] if response.status_code == 200 else ""
            assert response.status_code == 302 and not refused(response), errors
        else:
            assert refused(response)
            assert_unchanged(before)
    elif address == "delete-get":
        check_get(
            client.get(url_of(model, "delete", obj.pk)),
            in_admin and may(user, model, "delete", obj),
        )
    elif address == "delete-post":
        before = snapshot()
        response = client.post(url_of(model, "delete", obj.pk), {"post": "yes"})
        check_deletion(response, user, in_admin and may(user, model, "delete", obj), obj, before)
    elif address == "history":
        expected = in_admin and (may(user, model, "view", obj) or may(user, model, "change", obj))
        check_get(client.get(url_of(model, "history", obj.pk)), expected)
    elif view in ("revert-get", "revert-post"):
        check_revert(client, pages, user, in_admin, model, obj, post=view == "revert-post")
    elif view == "action":
        check_action(client, user, in_admin, model, obj, detail)
    elif view == "inline":
        inline_name, what = detail.split(":")
        check_inline(client, pages, user, in_admin, model, obj, inline_name, what, scene)
    else:
        raise AssertionError(f"no check for {address}")


def check_get(response, expected: bool) -> None:
    assert response.status_code != 500
    if expected:
        assert response.status_code == 200, response.status_code
    else:
        assert refused(response), response.status_code


def check_deletion(response, user, may_delete: bool, obj, before: dict) -> None:
    assert response.status_code != 500
    gone = not type(obj)._default_manager.filter(pk=obj.pk).exists()
    if may_delete and may_delete_with_everything_on_it(user, obj):
        assert gone, response.status_code
    else:
        assert not gone
        assert_unchanged(before)


def check_revert(client, pages, user, in_admin, model, obj, post: bool) -> None:
    version = obj.history.earliest()
    url = url_of(model, "simple_history", obj.pk, version.pk)
    may_view = in_admin and (may(user, model, "view", obj) or may(user, model, "change", obj))
    may_revert = (
        in_admin
        and not is_a_record(model)
        and may(user, model, "change", obj)
        and may(user, model, "change", version.instance)
    )
    if not post:
        response = client.get(url)
        check_get(response, may_view)
        if may_view:
            assert response.context["revert_disabled"] is not may_revert
        return
    data, _page = pages.data(url)
    before = None if may_revert else snapshot()
    response = client.post(url, data)
    if may_revert:
        assert response.status_code == 302 and not refused(response)
    else:
        assert refused(response)
        assert_unchanged(before)


def check_action(client, user, in_admin, model, obj, name: str) -> None:
    model_admin = admin.site.get_model_admin(model)
    needed = model_admin.get_actions(_superuser_request())[name].func.allowed_permissions
    offered = (
        in_admin
        and (may(user, model, "view") or may(user, model, "change"))
        and all(may(user, model, perm) for perm in needed)
    )
    for_this_object = all(may(user, model, perm, obj) for perm in needed if perm != "add")
    before = snapshot()
    response = client.post(
        url_of(model, "changelist"),
        {"action": name, "_selected_action": [obj.pk], "index": 0, "post": "yes"},
    )
    assert response.status_code != 500
    if not offered:
        # Refused, or the changelist again without the action ("no action selected").
        assert refused(response) or response.status_code in (200, 302), response.status_code
        assert_unchanged(before)
    elif name == "delete_selected":
        check_deletion(response, user, for_this_object, obj, before)
    elif for_this_object:
        assert not refused(response)
    else:
        assert_unchanged(before)


def offered_by_inline(user, in_admin, model, obj, inline_name, what, formset, url) -> bool:
    """Whether the inline offers this user to add, change or delete a row at all."""
    if not in_admin:
        return False
    request = RequestFactory().get(url)
    request.user = user
    model_admin = admin.site.get_model_admin(model)
    inline = next(
        (
            i
            for i in model_admin.get_inline_instances(request, obj)
            if type(i).__name__ == inline_name
        ),
        None,
    )
    if inline is None:
        return False
    if what == "add":
        room = formset.max_num is None or formset.initial_form_count() < formset.max_num
        return inline.has_add_permission(request, obj) and room
    if what == "change":
        return inline.has_change_permission(request, obj)
    return inline.can_delete and inline.has_delete_permission(request, obj)


def check_inline(client, pages, user, in_admin, model, obj, inline_name, what, scene) -> None:
    url = url_of(model, "change", obj.pk)
    data, page = pages.data(url)
    formset = inline_formset(page, inline_name)
    child = formset.model
    may_change_parent = in_admin and may(user, model, "change", obj)
    existing = formset.initial_form_count()
    prefix = formset.prefix
    offered = offered_by_inline(user, in_admin, model, obj, inline_name, what, formset, url)

    if what == "add":
        by_rules = may_change_parent and may(user, child, "add", obj)
        extra = list(formset.extra_forms)
        index = existing if extra else int(data[f"{prefix}-TOTAL_FORMS"])
        source = formset.form(instance=scene[child], prefix=f"{prefix}-{index}")
        row: dict = {}
        _add_form(row, source)
        if extra:  # keep what the admin put in the offered row (the follow-up's promise)
            offered_row: dict = {}
            _add_form(offered_row, extra[0])
            row.update({k: v for k, v in offered_row.items() if v not in ("", None, [])})
        else:
            data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
        for name, value in list(row.items()):
            if name.endswith(("-slug", "-title", "-name", "-text", "-comment")):
                row[name] = f"{value}-ny"
        data.update(row)
        target = None
    else:
        if existing == 0:
            # The inline shows no rows to change or delete (a form for new rows only).
            assert not formset.initial_forms
            return
        target = formset.forms[0].instance
        row_prefix = f"{prefix}-0"
        if what == "change":
            by_rules = may_change_parent and may(user, child, "change", target)
            field = _editable_text_field(formset.forms[0])
            offered = offered and field is not None  # a read-only row offers no change
            if field is not None:
                data[f"{row_prefix}-{field}"] = _changed(data.get(f"{row_prefix}-{field}"))
        else:
            by_rules = (
                may_change_parent
                and may(user, child, "delete", target)
                and may_delete_with_everything_on_it(user, target)
            )
            data[f"{row_prefix}-DELETE"] = "on"

    count = child._default_manager.count()
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code != 500
    if by_rules and offered:
        errors = response.context["errors"] if response.status_code == 200 else ""
        assert response.status_code == 302 and not refused(response), errors
        if what == "add":
            assert child._default_manager.count() == count + 1
        elif what == "delete":
            assert not child._default_manager.filter(pk=target.pk).exists()
        else:
            assert snapshot() != before
    elif refused(response):
        assert_unchanged(before)
    else:
        # The parent's form was taken without the row (refused, or an inline that
        # offers less than the rules allow, such as the read-only list of updates).
        skip = _parent_tables(model)
        assert_unchanged({k: v for k, v in before.items() if k not in _labels(skip)}, skip)


# --- Nothing is registered without rules ------------------------------------------------------


REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=lambda x: str(x))
def test_every_registered_admin_asks_the_rules(model, model_admin):
    assert isinstance(model_admin, ObjectPermissionsAdminMixin)
    for action in ("view", "add", "change", "delete"):
        assert rules.perm_exists(perm_name(model._meta, action)), (model, action)
    if _is_history_admin(model_admin):
        assert isinstance(model_admin, HistoryAdmin)
    for inline in model_admin.get_inlines(_superuser_request(), None):
        assert issubclass(inline, InlineObjectPermissionsMixin), inline
        for action in ("view", "add", "change", "delete"):
            assert rules.perm_exists(perm_name(inline.model._meta, action)), (inline, action)


@pytest.mark.parametrize(("model", "model_admin"), REGISTRY, ids=lambda x: str(x))
def test_every_admin_action_declares_the_permission_it_needs(model, model_admin):
    for name, action in model_admin.get_actions(_superuser_request()).items():
        assert getattr(action.func, "allowed_permissions", None), f"{model._meta.label}: {name}"


def test_every_registered_model_has_an_object_in_the_scene(scene, db):
    missing = [model._meta.label for model in admin.site._registry if model not in scene]
    assert not missing


def test_the_records_are_progress_updates_and_measurements():
    records = {model for model in apps.get_models() if is_a_record(model)}
    assert {ProgressUpdate, Measurement} <= records


def test_the_matrix_covers_every_kind_of_address():
    kinds = {address.split(":")[0] for _model, address in CASES}
    assert {"changelist", "add-post", "change-post", "delete-post", "revert-post"} <= kinds
    assert {"action", "inline"} <= kinds
