"""Admin mixins that ask ``accounts.permissions`` about each object, within the
user's municipalities (``accounts.municipalities``).

Every registered ModelAdmin uses ``ObjectPermissionsAdminMixin``, every inline
``InlineObjectPermissionsMixin`` and every admin with a history ``HistoryAdmin``
(``tests/admin/test_admin_surface_matrix.py`` holds the registry to that). They ask
the rules through ``accounts.permissions.allowed``, not ``user.has_perm``: Django
lets an active superuser pass every ``has_perm``, which would skip the rules that
bind everyone (nobody deletes progress updates, for example). Their lists, and
so every address of an object (change, delete, history), hold only the user's
municipalities' objects, and related fields offer only those.
"""

from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_deleted_objects, unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.municipalities import for_user, has_municipality
from accounts.permissions import allowed
from timra_trygghet.admin_widgets import is_id

ACTIONS = ("view", "add", "change", "delete")


def perm_name(opts, action: str) -> str:
    """``app_label.<action>_<model>`` for a model's ``_meta``."""
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


def _scoped_choices(formfield, request: HttpRequest):
    """Only the user's municipalities' objects can be chosen (and so submitted)."""
    queryset = getattr(formfield, "queryset", None)
    if queryset is not None and has_municipality(queryset.model):
        formfield.queryset = for_user(request.user, queryset)
    return formfield


class MunicipalityChoicesMixin:
    """Related-object fields (select, autocomplete, many-to-many) offer and accept
    only objects of the user's municipalities."""

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scoped_choices(formfield, request)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scoped_choices(formfield, request)


class ObjectPermissionsAdminMixin(MunicipalityChoicesMixin):
    """Every permission question of a ModelAdmin answered by the rules.

    Without an object (the changelist, the add button) the rule is asked with
    None; with one, about that object. An address of an object that does not
    exist (or that the user's list does not hold) is a 404, as is a malformed id.
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        # Roles and the libraries' logs belong to no municipality: the rules alone decide.
        return for_user(request.user, queryset) if has_municipality(self.model) else queryset

    def _allowed(self, request: HttpRequest, action: str, obj=None) -> bool:
        return allowed(request.user, perm_name(self.opts, action), obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return any(self._allowed(request, action) for action in ACTIONS)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request, "view", obj) or self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, "add")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request, "delete", obj)

    # Fields the list never shows and that may not be searched or filtered through the
    # address either (?email__startswith=a would read an address letter by letter).
    private_fields: tuple[str, ...] = ()

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if lookup.split(LOOKUP_SEP, 1)[0] in self.private_fields:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_changelist_instance(self, request: HttpRequest):
        # A filter value beyond what the column holds (?date__year=99999999999)
        # overflowed while Django built the filters: it is a wrong lookup, which the
        # changelist answers with its own "?e=1" page, like any other.
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def response_action(self, request: HttpRequest, queryset: QuerySet, **kwargs):
        # Django looks the selected rows up as they are sent: a value that is no id
        # (or beyond the column) raised there. It is a bad request, not a 500.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        using = router.db_for_read(self.model)
        if not all(is_id(self.opts.pk, value, using) for value in selected):
            raise BadRequest("selected rows must be ids")
        return super().response_action(request, queryset, **kwargs)

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        # Django answers an unknown or malformed id with a redirect to the index;
        # an address that names nothing the user may see is a 404 here.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class _RowPermissionsFormSet:
    """Asks the child's own rule about each row that is added, changed or deleted.

    ``permission_request``, ``permission_admin_site`` and ``parent_object`` are set
    per request by ``InlineObjectPermissionsMixin.get_formset``.
    """

    permission_request: HttpRequest
    permission_admin_site = None
    parent_object = None

    def clean(self) -> None:
        super().clean()
        user = self.permission_request.user
        opts = self.model._meta
        refused_deletions = []
        for form in self.forms:
            if not form.has_changed() or not hasattr(form, "cleaned_data"):
                continue
            instance = form.instance
            if instance.pk is None or instance._state.adding:
                if not allowed(user, perm_name(opts, "add"), self.parent_object):
                    form.add_error(None, _("Du får inte lägga till en rad här."))
                continue
            original = self.model._default_manager.filter(pk=instance.pk).first()
            if self.can_delete and self._should_delete_form(form):
                refused = self._deletion_refused(original)
                if refused:
                    refused_deletions.append(refused)
            elif not allowed(user, perm_name(opts, "change"), original) or not allowed(
                user, perm_name(opts, "change"), instance
            ):
                form.add_error(None, _("Du får inte ändra den här raden."))
        if refused_deletions:
            # A row marked for deletion is not validated as a form: the formset refuses.
            raise ValidationError(refused_deletions)

    def _deletion_refused(self, original) -> str | None:
        """Why the user may not delete this row, or None."""
        user = self.permission_request.user
        if not allowed(user, perm_name(self.model._meta, "delete"), original):
            return _("Du får inte ta bort %(row)s.") % {"row": original}
        # Deleting a row deletes what hangs on it too: the rules decide for each of those.
        _deleted, _counts, perms_needed, protected = get_deleted_objects(
            [original], self.permission_request, self.permission_admin_site
        )
        if perms_needed or protected:
            kept = sorted(str(name) for name in perms_needed) or [str(p) for p in protected]
            return _(
                "%(row)s kan inte tas bort: den har uppgifter som inte får tas bort (%(kept)s)."
            ) % {"row": original, "kept": ", ".join(kept)}
        return None


class InlineObjectPermissionsMixin(MunicipalityChoicesMixin):
    """For inlines: the parent's rule and the child's own rule both decide.

    Changing anything on the parent's form needs the parent's change permission;
    a row is offered for adding, changing or deleting only if the child's rule
    allows it (``add`` is asked about the parent, as the services do), and each
    submitted row is asked about again (``_RowPermissionsFormSet``).
    """

    def _child_allowed(self, request: HttpRequest, action: str, obj=None) -> bool:
        return allowed(request.user, perm_name(self.opts, action), obj)

    def _parent_may_change(self, request: HttpRequest, obj) -> bool:
        return obj is None or allowed(
            request.user, perm_name(self.parent_model._meta, "change"), obj
        )

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._child_allowed(request, "view") or self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._child_allowed(request, "add", obj) and self._parent_may_change(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._child_allowed(request, "change") and self._parent_may_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._child_allowed(request, "delete") and self._parent_may_change(request, obj)

    def get_formset(self, request: HttpRequest, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(
            formset.__name__,
            (_RowPermissionsFormSet, formset),
            {
                "permission_request": request,
                "permission_admin_site": self.admin_site,
                "parent_object": obj,
            },
        )


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, with its history pages asking the rules.

    The history list and a version are shown to whoever may view the object.
    Reverting to a version is a change: offered and accepted only if the user may
    change the object now and as the version has it, and never where the history
    is the record (``history_revert_allowed = False``: progress updates and
    measurements are corrected through their services, within their window).
    """

    history_revert_allowed = True

    def _live_object(self, request: HttpRequest, object_id: str):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        obj = self._live_object(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        obj = self._live_object(request, object_id)
        history = getattr(self.model, self.opts.simple_history_manager_attribute)
        try:
            version_pk = history.model._meta.pk.to_python(version_id)
        except ValidationError:
            raise Http404 from None
        version = history.filter(pk=version_pk, **{self.opts.pk.attname: obj.pk}).first()
        if version is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if request.method != "POST":
            return super().history_form_view(request, object_id, str(version_pk), extra_context)
        if not (self.may_revert(request, obj) and self.may_revert(request, version.instance)):
            raise PermissionDenied
        # As atomic as the change form: a refused save leaves nothing half done.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, str(version_pk), extra_context)

    def may_revert(self, request: HttpRequest, obj) -> bool:
        return self.history_revert_allowed and self.has_change_permission(request, obj)

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        if super().revert_disabled(request, obj) or obj is None:
            return True
        # ``obj`` is the historical version on the version's page: the rules are
        # asked about it and about the object as it is now.
        live = self.get_queryset(request).filter(pk=obj.pk).first()
        return not (
            live is not None and self.may_revert(request, live) and self.may_revert(request, obj)
        )
