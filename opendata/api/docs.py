"""A readable, server-rendered documentation page generated from the OpenAPI schema.

No JavaScript and nothing from other sites: the page lists each endpoint, its
parameters and the fields of what it returns, straight from the same schema
that /api/schema/ serves, so the two cannot disagree.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.generic import TemplateView

from opendata.api.schema import LICENCE_URL, generate_schema

REF_PREFIX = "#/components/schemas/"


def _html(description: str) -> str:
    """A schema description (Markdown, such as the list of choices) as clean HTML."""
    if not description:
        return ""
    return mark_safe(nh3.clean(markdown.markdown(description)))  # noqa: S308 - cleaned by nh3


@dataclass
class TypeInfo:
    label: str
    ref: str = ""  # name of a documented component, linked from the page
    enum: list[str] = field(default_factory=list)
    nullable: bool = False


@dataclass
class Parameter:
    name: str
    type: TypeInfo
    description: str
    required: bool


@dataclass
class Endpoint:
    method: str
    path: str
    description: str
    parameters: list[Parameter]
    response: TypeInfo
    statuses: list[tuple[str, str]]


@dataclass
class Property:
    name: str
    type: TypeInfo
    description: str


@dataclass
class Component:
    name: str
    description: str
    properties: list[Property]


@dataclass
class Section:
    tag: str
    endpoints: list[Endpoint]


def _type(schema: dict) -> TypeInfo:
    """A short readable type: integer, string (date), list of Promise, ..."""
    nullable = bool(schema.get("nullable"))
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF_PREFIX)
        return TypeInfo(label=name, ref=name, nullable=nullable)
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            parts = [_type(part) for part in schema[combined]]
            parts = [part for part in parts if part.label != "null"]
            info = parts[0] if len(parts) == 1 else TypeInfo(" | ".join(p.label for p in parts))
            info.nullable = info.nullable or nullable or len(schema[combined]) > len(parts)
            return info
    kind = schema.get("type", "object")
    if kind == "array":
        item = _type(schema.get("items", {}))
        return TypeInfo(label=f"[{item.label}]", ref=item.ref, enum=item.enum, nullable=nullable)
    label = kind
    if schema.get("format"):
        label = f"{kind} ({schema['format']})"
    return TypeInfo(
        label=label, enum=[str(value) for value in schema.get("enum", [])], nullable=nullable
    )


def _components(schema: dict) -> list[Component]:
    components = []
    for name, definition in schema.get("components", {}).get("schemas", {}).items():
        if "enum" in definition:
            components.append(
                Component(
                    name=name,
                    description=_html(definition.get("description", "")),
                    properties=[Property(name="", type=_type(definition), description="")],
                )
            )
            continue
        components.append(
            Component(
                name=name,
                description=_html(definition.get("description", "")),
                properties=[
                    Property(
                        name=prop_name,
                        type=_type(prop),
                        description=_html(prop.get("description", "")),
                    )
                    for prop_name, prop in definition.get("properties", {}).items()
                ],
            )
        )
    return components


def _response(operation: dict) -> TypeInfo:
    ok = operation.get("responses", {}).get("200", {})
    body = ok.get("content", {}).get("application/json", {}).get("schema", {})
    return _type(body) if body else TypeInfo(label="")


def _sections(schema: dict) -> list[Section]:
    sections: dict[str, Section] = {}
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            tag = (operation.get("tags") or [""])[0]
            endpoint = Endpoint(
                method=method.upper(),
                path=path,
                description=_html(operation.get("description", "")),
                parameters=[
                    Parameter(
                        name=parameter["name"],
                        type=_type(parameter.get("schema", {})),
                        description=_html(parameter.get("description", "")),
                        required=parameter.get("required", False),
                    )
                    for parameter in operation.get("parameters", [])
                ],
                response=_response(operation),
                statuses=[
                    (status, response.get("description", ""))
                    for status, response in operation.get("responses", {}).items()
                ],
            )
            sections.setdefault(tag, Section(tag=tag, endpoints=[])).endpoints.append(endpoint)
    return list(sections.values())


@lru_cache(maxsize=8)
def documentation(language: str) -> dict:
    """The page's content in one language; the schema only changes with a deployment."""
    schema = generate_schema()
    return {
        "info": schema["info"],
        "sections": _sections(schema),
        "components": _components(schema),
    }


class DocumentationView(TemplateView):
    template_name = "opendata/api_docs.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **documentation(get_language()),
            "licence_url": LICENCE_URL,
        }
