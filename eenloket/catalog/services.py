"""Catalogue rules: validating a service's request form."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from eenloket.catalog.models import RequestField, Service
from eenloket.catalog.priority import priority_for
from eenloket.catalog.selectors import request_fields
from eenloket.core.exceptions import ValidationFailed

__all__ = ["priority_for", "request_form_validate"]


def _clean_value(field: RequestField, raw: Any, files: dict[str, Any]) -> Any:
    kind = RequestField.FieldType
    if field.field_type == kind.FILE:
        upload = files.get(field.key)
        return getattr(upload, "name", None) or None
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    if field.field_type == kind.TEXT:
        if len(text) > 5000:
            raise ValueError(_("At most 5000 characters."))
        return text
    if field.field_type == kind.CHOICE:
        if text not in field.choices:
            raise ValueError(_("Pick one of the options."))
        return text
    if field.field_type == kind.DATE:
        try:
            return datetime.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if field.field_type == kind.NUMBER:
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        if field.min_value is not None and number < field.min_value:
            raise ValueError(_("At least %(min)s.") % {"min": field.min_value})
        if field.max_value is not None and number > field.max_value:
            raise ValueError(_("At most %(max)s.") % {"max": field.max_value})
        return str(number)
    raise ValueError(_("Unknown field type."))


def request_form_validate(
    *, service: Service, data: dict[str, Any], files: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Clean the answers to a service's request form; field errors say what is wrong."""
    files = files or {}
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field in request_fields(service):
        try:
            value = _clean_value(field, data.get(field.key), files)
        except ValueError as exc:
            errors[field.key] = [str(exc)]
            continue
        if value is None and field.required:
            errors[field.key] = [_("This field is required.")]
            continue
        if value is not None:
            cleaned[field.key] = value
    if errors:
        raise ValidationFailed(field_errors=errors)
    return cleaned
