"""The head of a GOV.UK table as one template tag (``{% load tables %}``), after govukTable's head and caption.

    {% table_head _("Name") _("Score")|numeric _("Actions")|visually_hidden caption=_("People") %}

renders the caption, when there is one, then a ``<thead>`` with one ``scope="col"`` header cell a label, in order.
``numeric`` right-aligns a column as GOV.UK does for numbers; ``visually_hidden`` keeps a label for screen readers
only (a column of links or buttons); ``shown_if:flag`` leaves the column out unless flag is true. ``caption_class``
sizes the caption (``govuk-table__caption--m``) or hides it (``govuk-visually-hidden``). Labels and captions are
escaped unless they are already safe (a literal or a ``blocktranslate … asvar``).
"""

from dataclasses import dataclass, replace
from typing import Any

from django import template
from django.template.base import FilterExpression, Parser, Token
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import smart_split

register = template.Library()

OPTIONS = ("caption", "caption_class")


@dataclass(frozen=True)
class Column:
    label: Any
    numeric: bool = False
    hidden: bool = False
    shown: bool = True

    def header_cell(self) -> SafeString:
        classes = "govuk-table__header govuk-table__header--numeric" if self.numeric else "govuk-table__header"
        label = format_html('<span class="govuk-visually-hidden">{}</span>', self.label) if self.hidden else self.label
        return format_html('<th scope="col" class="{}">{}</th>', classes, label)


def _column(value: Any) -> Column:
    return value if isinstance(value, Column) else Column(label=value)


@register.filter
def numeric(label: Any) -> Column:
    return replace(_column(label), numeric=True)


@register.filter
def visually_hidden(label: Any) -> Column:
    return replace(_column(label), hidden=True)


@register.filter
def shown_if(label: Any, flag: Any) -> Column:
    return replace(_column(label), shown=bool(flag))


def table_head_html(labels: list[Any], *, caption: Any = "", caption_class: str = "") -> SafeString:
    columns = [column for column in map(_column, labels) if column.shown]
    head = format_html(
        '<thead class="govuk-table__head"><tr class="govuk-table__row">{}</tr></thead>',
        format_html_join("", "{}", ((column.header_cell(),) for column in columns)),
    )
    if not caption:
        return head
    caption_classes = f"govuk-table__caption {caption_class}".strip()
    return format_html('<caption class="{}">{}</caption>\n{}', caption_classes, caption, head)


class TableHeadNode(template.Node):
    def __init__(self, labels: list[FilterExpression], options: dict[str, FilterExpression]) -> None:
        self.labels = labels
        self.options = options

    def render(self, context: template.Context) -> SafeString:
        labels = [label.resolve(context) for label in self.labels]
        options = {name: value.resolve(context) for name, value in self.options.items()}
        return table_head_html(labels, **options)


@register.tag
def table_head(parser: Parser, token: Token) -> TableHeadNode:
    # smart_split, not token.split_contents(): the latter cannot read a filter after _("…") (_("Score")|numeric).
    name, *bits = smart_split(token.contents)
    labels: list[FilterExpression] = []
    options: dict[str, FilterExpression] = {}
    for bit in bits:
        option, equals, value = bit.partition("=")
        if equals and option in OPTIONS:
            options[option] = parser.compile_filter(value)
        elif equals and option.isidentifier():
            raise template.TemplateSyntaxError(f"{name} takes only {' and '.join(OPTIONS)} as options, not {option}")
        else:
            labels.append(parser.compile_filter(bit))
    return TableHeadNode(labels, options)
