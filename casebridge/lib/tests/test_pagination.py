from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory, SimpleTestCase

from casebridge.lib.pagination import page_links


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator that stops counting, as the case lists' does."""

    is_capped = True


class PageLinksTests(SimpleTestCase):
    def test_pages_far_from_the_current_one_collapse_into_gaps(self):
        page = Paginator(range(200), 10).page(10)
        assert page_links(page) == [1, None, 8, 9, 10, 11, 12, None, 20]

    def test_a_short_list_shows_every_page(self):
        assert page_links(Paginator(range(30), 10).page(2)) == [1, 2, 3]

    def test_a_capped_list_shows_no_last_page(self):
        page = CappedPaginator(range(200), 10).page(5)
        assert page_links(page) == [1, None, 3, 4, 5, 6]


class PaginationIncludeTests(SimpleTestCase):
    def render(self, page, query: str = "", **context) -> str:
        request = RequestFactory().get("/list/" + query)
        request.user = AnonymousUser()
        return render_to_string("includes/pagination.html", {"page": page, **context}, request=request)

    def test_links_keep_the_filters_and_mark_the_current_page(self):
        html = self.render(Paginator(range(30), 10).page(2), "?status=open&page=2", label="Pages of cases")
        assert 'aria-label="Pages of cases"' in html
        assert 'href="?status=open&amp;page=1" rel="prev"' in html
        assert 'href="?status=open&amp;page=3" rel="next"' in html
        assert 'aria-label="Page 2" aria-current="page"' in html
        assert html.count("aria-current") == 1

    def test_one_page_shows_no_pagination(self):
        assert self.render(Paginator(range(5), 10).page(1)).strip() == ""
