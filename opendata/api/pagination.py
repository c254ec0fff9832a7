from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def _positive_int(value: str, parameter: str, maximum: int | None = None) -> int:
    """The value as a whole number from 1 (to ``maximum``), or a 400 naming the parameter."""
    number = int(value) if value.isascii() and value.isdigit() else 0
    if number < 1 or (maximum is not None and number > maximum):
        if maximum is None:
            message = _("Ange ett heltal som är 1 eller större.")
        else:
            message = _("Ange ett heltal från 1 till %(maximum)d.") % {"maximum": maximum}
        raise ValidationError({parameter: [message]})
    return number


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=2&page_size=100``; malformed numbers are a 400, a page past the end a 404."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()
    invalid_page_message = _("Sidan finns inte.")
    page_query_description = _("Sidnummer, från 1.")
    page_size_query_description = format_lazy(
        _("Antal poster per sida, från 1 till {maximum} (standard {default})."),
        maximum=MAX_PAGE_SIZE,
        default=DEFAULT_PAGE_SIZE,
    )

    def get_page_size(self, request) -> int:
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        return _positive_int(value, self.page_size_query_param, self.max_page_size)

    def get_page_number(self, request, paginator) -> int:
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        return _positive_int(value, self.page_query_param)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        page, page_size = super().get_schema_operation_parameters(view)
        page["schema"] = {"type": "integer", "minimum": 1}
        page_size["schema"] = {
            "type": "integer",
            "minimum": 1,
            "maximum": self.max_page_size,
            "default": self.page_size,
        }
        return [page, page_size]
