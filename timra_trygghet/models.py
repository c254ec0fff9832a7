from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    """Creation and change times (for ``updated_since`` in open data), and
    constraint errors shown next to the field they are about.

    Django reports a failed CheckConstraint as an error of the whole form; a
    model names the field each of its constraints is about in
    ``constraint_error_fields`` so that forms and the admin show the message
    beside that field instead.
    """

    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True, db_index=True)

    constraint_error_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None) -> None:
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list[ValidationError]] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self.constraint_error_fields.get(constraint.name)
                    if field is None and getattr(error, "code", None) == "unique":
                        fields = getattr(constraint, "fields", ())
                        field = fields[-1] if len(fields) == 1 else None
                    errors.setdefault(field or NON_FIELD_ERRORS, []).append(error)
        if errors:
            raise ValidationError(errors)


class ChangeLogEntry(models.Model):
    """One entry of a record's change log: when, and by whom.

    The log outlives the user who made the change (``SET_NULL``); entries read
    oldest first. Subclasses name what changed and extend ``ChangeLogEntry.Meta``.
    """

    made_at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gjord av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["made_at", "pk"]
