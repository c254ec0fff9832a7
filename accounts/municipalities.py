"""Which municipalities an object belongs to, and which ones a user acts in.

The roles of secretary and (municipal) administrator act only within the user's
municipalities (``StaffProfile.municipalities``); a national administrator acts
everywhere. Everything here answers the question "in which municipality?" from
one table, ``MUNICIPALITY_PATHS``: the path from every domain model to its
municipality. The predicates in ``accounts.permissions`` ask it about objects
(``object_municipality_ids``), the admin's lists and choices ask it about
querysets (``for_user``, ``in_municipalities``).

A model with several paths (an indicator belongs to a promise or to an
activity) or a path through a many-to-many field (an organisation works in
several municipalities) belongs to every municipality its paths reach.
"""

from collections.abc import Iterable

import rules
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet

from accounts.models import StaffProfile
from accounts.roles import ADMINISTRATOR, NATIONAL_ADMINISTRATOR, SECRETARY

# Acts in every municipality: a superuser, or a member of "Nationell administratör".
is_national_administrator = rules.is_active & (
    rules.is_superuser | rules.is_group_member(NATIONAL_ADMINISTRATOR)
)

# model label (lower case) -> paths from the model to its municipality.
MUNICIPALITY_PATHS: dict[str, tuple[str, ...]] = {
    "promises.municipality": ("pk",),
    "promises.organisation": ("municipalities",),
    "promises.period": ("municipality",),
    "promises.focusarea": ("period__municipality",),
    "promises.promise": ("period__municipality",),
    "activities.activity": ("promise__period__municipality",),
    "activities.indicator": (
        "promise__period__municipality",
        "activity__promise__period__municipality",
    ),
    "activities.progressupdate": ("activity__promise__period__municipality",),
    "activities.measurement": (
        "indicator__promise__period__municipality",
        "indicator__activity__promise__period__municipality",
    ),
    "followup.council": ("municipality",),
    "followup.meeting": ("council__municipality",),
    "followup.followup": ("meeting__council__municipality",),
    "participation.dialogue": ("period__municipality",),
    "participation.question": ("period__municipality",),
    "accounts.staffprofile": ("municipalities", "organisation__municipalities"),
    # A user is in the municipalities of their scope and of their organisation.
    "auth.user": ("staff_profile__municipalities", "staff_profile__organisation__municipalities"),
}


def _paths(model: type[Model]) -> tuple[str, ...]:
    # Historical models (django-simple-history) answer for the model they record.
    model = getattr(model, "instance_type", model)
    try:
        return MUNICIPALITY_PATHS[model._meta.label_lower]
    except KeyError:
        raise TypeError(
            f"{model._meta.label} has no path to a municipality in "
            "accounts.municipalities.MUNICIPALITY_PATHS"
        ) from None


def has_municipality(model: type[Model]) -> bool:
    """Whether objects of ``model`` belong to municipalities (the table above)."""
    model = getattr(model, "instance_type", model)
    return model._meta.label_lower in MUNICIPALITY_PATHS


def _ids_along(obj: Model, path: str) -> set[int]:
    *steps, last = path.split("__")
    try:
        for step in steps:
            obj = getattr(obj, step)
            if obj is None:
                return set()
    except ObjectDoesNotExist:
        return set()
    if last == "pk":
        return {obj.pk} if obj.pk is not None else set()
    field = obj._meta.get_field(last)
    if field.many_to_many:
        if obj.pk is None:
            return set()
        return set(getattr(obj, last).values_list("pk", flat=True))
    value = getattr(obj, field.attname)
    return {value} if value is not None else set()


def object_municipality_ids(obj: Model) -> frozenset[int]:
    """The ids of the municipalities ``obj`` belongs to (empty when it belongs to none yet).

    Works for every domain model, saved or not, and so for the parent objects the
    ``add_*`` rules are asked with (a promise is added to a period, an update to an
    activity, a meeting to a council): the parent's municipality is the new object's.
    """
    return frozenset().union(*(_ids_along(obj, path) for path in _paths(type(obj))))


def object_municipality_id(obj: Model) -> int | None:
    """The one municipality of an object that has exactly one, else None."""
    ids = object_municipality_ids(obj)
    return next(iter(ids)) if len(ids) == 1 else None


def _is_multi_valued(model: type[Model], path: str) -> bool:
    if path == "pk":
        return False
    for step in path.split("__"):
        field = model._meta.get_field(step)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def in_municipalities(queryset: QuerySet, municipalities: Iterable | QuerySet) -> QuerySet:
    """The objects of ``queryset`` that belong to at least one of ``municipalities``.

    ``municipalities`` are ids, Municipality objects or a queryset of them (kept
    as a subquery, so the filter costs no query of its own).
    """
    model = queryset.model
    paths = _paths(model)
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path}__in": municipalities})
    if any(_is_multi_valued(model, path) for path in paths):
        # Through a many-to-many field a row would be repeated once per match.
        return queryset.filter(pk__in=model._default_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


holds_municipal_role = rules.is_active & (
    rules.is_group_member(ADMINISTRATOR) | rules.is_group_member(SECRETARY)
)


def user_municipalities(user) -> QuerySet:
    """The municipalities the user acts in, as a queryset (see ``for_user``).

    Secretaries' and administrators': their scope (``StaffProfile.municipalities``).
    Anybody else's (a reporter's): those their organisation works in.
    """
    # The model a staff profile's municipalities are: accounts sit below the domain
    # apps (README, "Layers") and name their models by label only.
    municipalities = StaffProfile._meta.get_field("municipalities").related_model.objects
    if not getattr(user, "is_authenticated", False):
        return municipalities.none()
    if holds_municipal_role.test(user):
        return municipalities.filter(staff_profiles__user=user)
    return municipalities.filter(organisations__staff_profiles__user=user)


def user_municipality_ids(user) -> frozenset[int]:
    """The ids of the user's municipalities; cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if not hasattr(user, "_municipality_ids_cache"):
        user._municipality_ids_cache = frozenset(
            user_municipalities(user).values_list("pk", flat=True)
        )
    return user._municipality_ids_cache


def for_user(user, queryset: QuerySet) -> QuerySet:
    """The objects of ``queryset`` in the municipalities the user acts in.

    A national administrator acts everywhere; everybody else in their own
    municipalities (an anonymous visitor or a user without any: none). What a
    user may do with each object is still the rules' business.
    """
    if is_national_administrator.test(user):
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return in_municipalities(queryset, user_municipalities(user).values("pk"))
