import datetime
from unittest import mock

import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casebridge.cases.models import BreakGlass, Case, Level, Share, Status
from casebridge.cases.pagination import CappedPaginator, MergedKeys, capped_count
from casebridge.cases.selectors import (
    CaseFilters,
    case_list_paginator,
    case_list_visible_to,
    page_rows,
    reads_in_index_order,
)
from casebridge.cases.tests.base import CasesTestCase
from casebridge.organisations.models import Team
from tests.personas import make_user


class CaseListPaginationTests(CasesTestCase):
    def make_cases(self, count: int, *, lead=None, same_time: bool = False) -> list[Case]:
        """Cases of the council (or ``lead``), all updated at one moment when ``same_time``."""
        made = [
            Case.objects.create(
                partnership=self.surrey_heath,
                reference=f"SH-2001-{n:06d}",
                case_type=self.asb_perpetrator,
                lead_organisation=lead or self.council,
                lead_officer=self.asb_officer,
                created_by=self.asb_officer,
            )
            for n in range(1, count + 1)
        ]
        if same_time:
            Case.objects.filter(pk__in=[c.pk for c in made]).update(updated_at=timezone.now())
        return made

    def share(self, case: Case, organisation, *, reason: str) -> Share:
        return Share.objects.create(
            partnership=self.surrey_heath,
            case=case,
            organisation=organisation,
            level=Level.VIEW,
            reason=reason,
            granted_by=self.police_officer,
        )

    def listed(self, scope: str, user=None, per_page: int = 3, index_ordered: bool = False) -> list[list[int]]:
        cases = case_list_visible_to(
            user=user or self.asb_officer, partnership=self.surrey_heath, scope=scope, filters=CaseFilters()
        )
        paginator = CappedPaginator(cases, per_page, index_ordered=index_ordered)
        return [[c.pk for c in paginator.page(n).object_list] for n in paginator.page_range]

    def test_pages_fetched_by_key_match_plain_offset_paging_even_when_update_times_tie(self):
        self.make_cases(8, same_time=True)
        cases = case_list_visible_to(
            user=self.asb_officer, partnership=self.surrey_heath, scope="organisation", filters=CaseFilters()
        )
        expected = [c.pk for c in cases]
        # Pages found by their keys first, then (an index-ordered list) the first pages read in one step.
        for index_ordered in (False, True):
            with self.subTest(index_ordered=index_ordered):
                pages = self.listed("organisation", index_ordered=index_ordered)
                assert [pk for page in pages for pk in page] == expected
                assert [len(page) for page in pages] == [3, 3, 3, 1]
        assert len(set(expected)) == len(expected)

    def test_a_page_is_read_as_rows_with_the_officer_named_as_everywhere_else(self):
        nameless = make_user("nameless@surreyheath.example", self.council, first_name="", last_name="")
        first, second, third = self.make_cases(3)
        Case.objects.filter(pk=second.pk).update(lead_officer=nameless)
        Case.objects.filter(pk=third.pk).update(lead_officer=None, risk_level="high")
        rows = {row.pk: row for row in page_rows(Case.objects.filter(pk__in=[first.pk, second.pk, third.pk]))}
        assert rows[first.pk].lead_officer == str(self.asb_officer)
        assert rows[second.pk].lead_officer == "nameless@surreyheath.example"
        assert rows[third.pk].lead_officer == ""
        assert rows[third.pk].get_risk_level_display() == "High"
        assert rows[first.pk].get_status_display() == first.get_status_display()
        assert rows[first.pk].case_type == self.asb_perpetrator.name
        assert rows[first.pk].lead_organisation == self.council.name

    def test_only_a_list_by_update_time_of_ones_own_cases_is_read_in_index_order(self):
        assert reads_in_index_order(scope="organisation", filters=CaseFilters())
        assert reads_in_index_order(scope="mine", filters=CaseFilters(sort="-updated"))
        assert not reads_in_index_order(scope="organisation", filters=CaseFilters(sort="risk"))
        assert not reads_in_index_order(scope="shared", filters=CaseFilters())

    def test_pages_keep_the_chosen_sort_order(self):
        self.make_cases(5)
        for sort in ("reference", "-reference", "risk", "status", "-updated"):
            cases = case_list_visible_to(
                user=self.asb_officer,
                partnership=self.surrey_heath,
                scope="organisation",
                filters=CaseFilters(sort=sort),
            )
            paginator = CappedPaginator(cases, 2)
            paged = [c.reference for n in paginator.page_range for c in paginator.page(n).object_list]
            assert paged == [c.reference for c in cases], sort

    def test_the_shared_list_pages_only_through_cases_the_user_may_see(self):
        police_cases = self.make_cases(4, lead=self.police)
        for case in police_cases[:3]:
            self.share(case, self.charity, reason="Support")
        shared = {pk for page in self.listed("shared", user=self.support_worker, per_page=2) for pk in page}
        assert {c.pk for c in police_cases[:3]} <= shared
        assert police_cases[3].pk not in shared

    def test_past_the_cap_the_list_says_more_than_and_shows_no_last_page(self):
        self.make_cases(40)
        self.sign_in(self.asb_officer)
        with mock.patch.object(CappedPaginator, "cap", 30):
            response = self.client.get(reverse("cases:organisation"))
            paginator = response.context["page"].paginator
            assert paginator.is_capped
            assert paginator.count == 31
            assert len(response.context["page"].object_list) == 25
            self.assertContains(response, "More than 30 cases")
            self.assertContains(response, "Use the filters to narrow the list.")
            self.assertContains(response, "Page 1")
            self.assertNotContains(response, "Page 1 of")
            second = self.client.get(reverse("cases:organisation"), {"page": 2})
            led = Case.objects.filter(lead_organisation=self.council).count()
            assert len(second.context["page"].object_list) == led - 25
            assert not second.context["page"].has_next()

    def shared_paginator(self, user=None, per_page: int = 3, **filters) -> CappedPaginator:
        return case_list_paginator(
            user=user or self.support_worker,
            partnership=self.surrey_heath,
            scope="shared",
            filters=CaseFilters(**filters),
            per_page=per_page,
        )

    def test_the_shared_list_counts_in_the_same_query_as_its_page_and_keeps_the_cap(self):
        police_cases = self.make_cases(7, lead=self.police)
        for case in police_cases:
            self.share(case, self.charity, reason="Support")
        cases = case_list_visible_to(
            user=self.support_worker, partnership=self.surrey_heath, scope="shared", filters=CaseFilters()
        )
        listed = [c.pk for c in cases]
        assert len(listed) >= 7
        with CaptureQueriesContext(connection) as captured:
            page = self.shared_paginator().get_page(2)
            rows = list(page.object_list)
        assert len(captured.captured_queries) == 2, "the page's keys with the count, then its rows"
        assert page.paginator.count == len(listed)
        assert [c.pk for c in rows] == listed[3:6]
        with mock.patch.object(CappedPaginator, "cap", 5):
            capped = self.shared_paginator()
            assert len(capped.get_page(1).object_list) == 3
            assert capped.count == 6
            assert capped.is_capped
        last = -(-len(listed) // 3)
        for number, shown in ((99, last), ("x", 1), (0, last), (last, last), (2.0, 2)):
            with self.subTest(page=number), CaptureQueriesContext(connection) as captured:
                paginator = self.shared_paginator()
                found = paginator.get_page(number)
                assert found.number == shown
                assert [c.pk for c in found.object_list] == listed[(shown - 1) * 3 :][:3]
                assert paginator.count == len(listed)
                assert len(captured.captured_queries) == 2, "past the end too: the last page's keys came with the count"
        with pytest.raises(EmptyPage):
            self.shared_paginator().page(99)

    def test_the_shared_list_pages_through_every_case_once_in_each_order(self):
        police_cases = self.make_cases(5, lead=self.police, same_time=True)
        outreach = Team.objects.create(organisation=self.charity, name="Outreach")
        self.support_worker.team = outreach
        self.support_worker.save(update_fields=["team"])
        for case in police_cases:
            self.share(case, self.charity, reason="Support")
        # One case reaches Sam four ways: their organisation, their team, them and a break-glass.
        several = police_cases[2]
        common = {"partnership": self.surrey_heath, "case": several, "granted_by": self.police_officer}
        Share.objects.create(team=outreach, reason="Outreach", **common)
        Share.objects.create(user=self.support_worker, level=Level.CONTRIBUTE, reason="Key worker", **common)
        BreakGlass.objects.create(
            partnership=self.surrey_heath,
            case=several,
            user=self.support_worker,
            reason="Emergency",
            expires_at=timezone.now() + datetime.timedelta(hours=1),
        )
        # The rest tie on their update time: the list breaks ties by id.
        Case.objects.filter(pk=police_cases[0].pk).update(updated_at=timezone.now())
        closed = {"status": Status.CLOSED, "closure_reason": "resolved", "closed_at": timezone.now()}
        Case.objects.filter(pk=police_cases[4].pk).update(**closed)
        for sort in ("updated", "-updated", "reference", "risk"):
            for status in ("", Status.OPEN):
                with self.subTest(sort=sort, status=status):
                    filters = CaseFilters(sort=sort, status=status)
                    cases = case_list_visible_to(
                        user=self.support_worker, partnership=self.surrey_heath, scope="shared", filters=filters
                    )
                    paginator = self.shared_paginator(per_page=2, sort=sort, status=status)
                    paged = [c.pk for n in paginator.page_range for c in paginator.get_page(n).object_list]
                    assert paged == [c.pk for c in cases]
                    assert len(paged) == len(set(paged))
                    assert several.pk in paged
                    assert (police_cases[4].pk in paged) == (not status)

    def test_merged_keys_list_an_item_once_even_from_a_single_part(self):
        first, second = self.make_cases(2, lead=self.police)
        for case in (first, second, second):
            self.share(case, self.charity, reason="Support")
        part = Share.objects.filter(organisation=self.charity, case__lead_organisation=self.police)
        keys = MergedKeys([part.values(sort_key=F("case_updated_at"), item=F("case_id"))])
        found, counted = keys.window(offset=0, size=10, tail=0, cap=10)
        assert list(found.values()) == [second.pk, first.pk]
        assert counted == keys.count(cap=10) == 2
        assert keys.window(offset=5, size=10, tail=0, cap=10) == ({2: first.pk}, 2), "past the end, still counted"

    def test_the_count_stops_at_the_cap_and_an_empty_list_counts_nothing(self):
        self.make_cases(6)
        cases = case_list_visible_to(
            user=self.asb_officer, partnership=self.surrey_heath, scope="organisation", filters=CaseFilters()
        )
        led = Case.objects.filter(partnership=self.surrey_heath, lead_organisation=self.council).count()
        assert capped_count(cases, 1000) == led
        assert capped_count(cases, 4) == 4
        assert capped_count(cases.filter(status=Status.OPEN), 1000) == cases.filter(status=Status.OPEN).count()
        assert capped_count(cases.none(), 1000) == 0
        with CaptureQueriesContext(connection) as captured:
            capped_count(cases, 1000)
        assert len(captured.captured_queries) == 1
        assert "ORDER BY" not in captured.captured_queries[0]["sql"]

    def test_under_the_cap_the_exact_number_is_shown(self):
        self.make_cases(3)
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("cases:organisation"))
        assert not response.context["page"].paginator.is_capped
        self.assertContains(response, f"{Case.objects.filter(lead_organisation=self.council).count()} cases")

    def test_every_list_runs_the_same_number_of_queries_whatever_the_number_of_cases(self):
        self.sign_in(self.asb_officer)
        urls = [
            reverse("cases:mine"),
            reverse("cases:organisation"),
            reverse("cases:shared"),
            reverse("cases:organisation") + "?page=2",
            reverse("cases:organisation") + "?status=open&risk_level=high",
        ]
        first, *more = self.make_cases(41, lead=self.police)
        self.share(first, self.council, reason="Joint work")
        # Every list shows at least one case before: an empty page skips the repeat-flag queries.
        Case.objects.create(
            partnership=self.surrey_heath,
            reference="SH-2003-000001",
            case_type=self.asb_perpetrator,
            lead_organisation=self.council,
            lead_officer=self.asb_officer,
            created_by=self.asb_officer,
            risk_level="high",
        )
        for url in urls:
            self.client.get(url)  # warm caches (content types, session)
        before = {}
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                self.client.get(url)
            before[url] = len(captured.captured_queries)
        assert before[reverse("cases:mine")] == 19  # 10 for the list, 7 for the repeat flags, 2 for the savepoint
        for case in more:
            self.share(case, self.council, reason="Joint work")
        Case.objects.bulk_create(
            Case(
                partnership=self.surrey_heath,
                reference=f"SH-2002-{n:06d}",
                case_type=self.asb_perpetrator,
                lead_organisation=self.council,
                lead_officer=self.asb_officer,
                created_by=self.asb_officer,
                risk_level="high",
            )
            for n in range(1, 61)
        )
        for url in urls:
            with self.subTest(url=url), self.assertNumQueries(before[url]):
                self.client.get(url)
