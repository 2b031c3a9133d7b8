from typing import Any

from django import template

register = template.Library()


@register.filter
def date_parts(form: Any, prefix: str) -> list[Any]:
    """The day, month and year boxes of one of a form's date inputs."""
    return [form[f"{prefix}_{name}"] for name in ("day", "month", "year")]


@register.filter
def lookup(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key)
