"""The catalogue router of /api/v1/: services and the JSON Schema of their request forms."""

from __future__ import annotations

from typing import Any

from ninja import Query, Router, Schema
from pydantic import Field

from eenloket.catalog.models import RequestField
from eenloket.catalog.selectors import request_fields, service_get, service_list
from eenloket.integrations.api_common import ERRORS

router = Router(tags=["catalog"])


class ServiceOut(Schema):
    id: int
    code: str
    name: str
    description: str
    kind: str
    department_id: int
    default_impact: str
    default_urgency: str


class FormFieldOut(Schema):
    key: str
    label: str
    type: str
    required: bool
    choices: list[str]
    min_value: float | None
    max_value: float | None


class ServiceDetailOut(ServiceOut):
    form: list[FormFieldOut]
    form_schema: dict[str, Any] = Field(
        description="JSON Schema of `form_data` when opening a ticket for this service."
    )


class ServiceQuery(Schema):
    q: str = Field("", max_length=200)
    department_id: int | None = None


def _json_type(field: RequestField) -> dict[str, Any]:
    kind = RequestField.FieldType
    if field.field_type == kind.CHOICE:
        return {"type": "string", "enum": list(field.choices)}
    if field.field_type == kind.DATE:
        return {"type": "string", "format": "date"}
    if field.field_type == kind.NUMBER:
        schema: dict[str, Any] = {"type": ["number", "string"]}
        if field.min_value is not None:
            schema["minimum"] = float(field.min_value)
        if field.max_value is not None:
            schema["maximum"] = float(field.max_value)
        return schema
    if field.field_type == kind.FILE:
        return {"type": "string", "description": "Attach the file to the ticket."}
    return {"type": "string", "maxLength": 5000}


def form_schema(fields: list[RequestField]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {f.key: {"title": f.label, **_json_type(f)} for f in fields},
        "required": [f.key for f in fields if f.required and f.field_type != "file"],
        "additionalProperties": False,
    }


@router.get("/services", response={200: list[ServiceOut], **ERRORS}, summary="The catalogue")
def services(request, query: Query[ServiceQuery]):
    return list(service_list(query=query.q, department_id=query.department_id))


@router.get(
    "/services/{service_id}",
    response={200: ServiceDetailOut, **ERRORS},
    summary="A service with its request form",
)
def service_read(request, service_id: int):
    service = service_get(service_id=service_id)
    fields = request_fields(service)
    return {
        **{name: getattr(service, name) for name in ServiceOut.model_fields},
        "form": [
            {
                "key": f.key,
                "label": f.label,
                "type": f.field_type,
                "required": f.required,
                "choices": [str(c) for c in f.choices],
                "min_value": f.min_value,
                "max_value": f.max_value,
            }
            for f in fields
        ],
        "form_schema": form_schema(fields),
    }
