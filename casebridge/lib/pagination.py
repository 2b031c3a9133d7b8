"""The page numbers a list shows, as a template filter (``{% load pagination %}``) for the pagination include."""

from typing import Any

from django import template
from django.core.paginator import Page

register = template.Library()

# Pages shown either side of the current one; further pages collapse into an ellipsis.
AROUND = 2


@register.filter
def page_links(page: Page[Any]) -> list[int | None]:
    """The first page, the pages around the current one and the last, with None where pages are skipped.

    A paginator that stops counting (``is_capped``) does not know its last page, so none is shown.
    """
    current = page.number
    if getattr(page.paginator, "is_capped", False):
        last = current + 1 if page.has_next() else current
        ends = {1}
    else:
        last = page.paginator.num_pages
        ends = {1, last}
    wanted = sorted({*ends, *range(max(1, current - AROUND), min(last, current + AROUND) + 1)})
    links: list[int | None] = []
    for number in wanted:
        if links and number - (links[-1] or 0) > 1:
            links.append(None)
        links.append(number)
    return links
