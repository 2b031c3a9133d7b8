"""A share's copies of its case's update time, lead organisation and partnership follow the case."""

import datetime
from typing import Any

from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.cases import services as case_services
from casebridge.cases.models import Case, Level, Share
from casebridge.cases.selectors import CaseFilters, case_list_paginator
from casebridge.cases.tests.base import CasesTestCase
from casebridge.imports.writing import update_rows
from casebridge.organisations.models import Organisation, Partnership, Team
from casebridge.sharing import services

LONG_AGO = datetime.datetime(2020, 1, 1, 9, 30, tzinfo=datetime.UTC)


class ShareCaseCopiesTests(CasesTestCase):
    def copies(self, case: Case) -> set[tuple[object, ...]]:
        shares = Share.objects.filter(case=case)
        return set(shares.values_list("case_updated_at", "case_lead_organisation_id", "partnership_id"))

    def assert_shares_follow(self, case: Case) -> None:
        case.refresh_from_db()
        assert Share.objects.filter(case=case).exists()
        assert self.copies(case) == {(case.updated_at, case.lead_organisation_id, case.partnership_id)}

    def write_share_row(self, *, partnership: Partnership, organisation: Organisation, **fields: Any) -> Share:
        """A share of the private case written straight to its table, past the sharing service."""
        return Share.objects.create(
            partnership=partnership,
            case=self.private_case,
            organisation=organisation,
            reason="Joint visit",
            granted_by=self.asb_officer,
            **fields,
        )

    def share_private_case(
        self, *, organisation: Organisation | None = None, team: Team | None = None, user: User | None = None
    ) -> Share:
        return services.share_grant(
            actor=self.asb_officer,
            case=self.private_case,
            level=Level.VIEW,
            reason="Joint visit",
            organisation=organisation,
            team=team,
            user=user,
        )

    def test_a_new_share_takes_its_cases_current_values(self):
        Case.objects.filter(pk=self.private_case.pk).update(updated_at=LONG_AGO)
        self.share_private_case(organisation=self.police)
        self.assert_shares_follow(self.private_case)
        assert self.copies(self.private_case) == {(LONG_AGO, self.council.pk, self.surrey_heath.pk)}

    def test_a_share_created_with_other_values_gets_its_cases(self):
        self.write_share_row(partnership=self.runnymede, organisation=self.police, case_updated_at=LONG_AGO)
        self.assert_shares_follow(self.private_case)

    def test_the_copies_follow_a_save_of_the_case(self):
        self.share_private_case(organisation=self.police)
        case = Case.objects.get(pk=self.private_case.pk)
        before = case.updated_at
        case.summary = "Noise at night."
        case.save()
        self.assert_shares_follow(case)
        assert case.updated_at > before

    def test_the_copies_follow_a_queryset_update_of_the_case(self):
        self.share_private_case(organisation=self.police)
        self.share_private_case(user=self.support_worker)
        Case.objects.filter(pk=self.private_case.pk).update(updated_at=LONG_AGO, lead_organisation=self.charity)
        self.assert_shares_follow(self.private_case)
        assert self.copies(self.private_case) == {(LONG_AGO, self.charity.pk, self.surrey_heath.pk)}

    def test_the_copies_follow_the_versioned_edit_service(self):
        self.share_private_case(team=self.community_safety)
        Case.objects.filter(pk=self.private_case.pk).update(updated_at=LONG_AGO)
        case = Case.objects.get(pk=self.private_case.pk)
        values = {"risk_level": "high"}
        case_services.case_update(actor=self.asb_officer, case=case, version=case.version, values=values)
        self.assert_shares_follow(case)
        assert self.copies(case) != {(LONG_AGO, self.council.pk, self.surrey_heath.pk)}

    def test_the_copies_follow_the_imports_raw_updates_and_its_rollback(self):
        self.share_private_case(organisation=self.police)
        before = Case.objects.get(pk=self.private_case.pk)
        # As an import changing a case, then rolling it back: one raw UPDATE per row.
        update_rows(Case, ["lead_organisation", "updated_at"], [[self.charity.pk, LONG_AGO, before.pk]])
        self.assert_shares_follow(before)
        assert self.copies(before) == {(LONG_AGO, self.charity.pk, self.surrey_heath.pk)}
        update_rows(Case, ["lead_organisation", "updated_at"], [[self.council.pk, before.updated_at, before.pk]])
        assert self.copies(before) == {(before.updated_at, self.council.pk, self.surrey_heath.pk)}

    def test_revoked_and_expired_shares_follow_too(self):
        share = self.share_private_case(organisation=self.police)
        services.share_revoke(actor=self.asb_officer, share=share)
        self.write_share_row(partnership=self.surrey_heath, organisation=self.charity, expires_at=self.future(hours=-1))
        Case.objects.filter(pk=self.private_case.pk).update(updated_at=LONG_AGO)
        self.assert_shares_follow(self.private_case)

    def test_a_share_written_over_with_stale_values_keeps_its_cases(self):
        share = self.share_private_case(organisation=self.police)
        Share.objects.filter(pk=share.pk).update(case_updated_at=LONG_AGO, case_lead_organisation=self.charity)
        self.assert_shares_follow(self.private_case)
        stale = Share.objects.get(pk=share.pk)
        Case.objects.filter(pk=self.private_case.pk).update(updated_at=LONG_AGO)
        stale.reason = "Joint visit and a follow-up"
        stale.save()  # every column, with the case's values as they were when it was read
        self.assert_shares_follow(self.private_case)

    def test_a_share_moved_to_another_case_takes_that_cases_values(self):
        share = self.share_private_case(organisation=self.police)
        Case.objects.filter(pk=self.case.pk).update(updated_at=LONG_AGO)
        Share.objects.filter(pk=share.pk).update(case=self.case)
        self.assert_shares_follow(self.case)

    def test_the_shared_list_follows_updates_of_its_cases(self):
        older = self.private_case
        newer = self.new_case(risk_level="medium")
        for case in (older, newer):
            services.share_grant(
                actor=self.asb_officer, case=case, organisation=self.police, level=Level.VIEW, reason="Joint visit"
            )

        def listed() -> list[int]:
            paginator = case_list_paginator(
                user=self.police_officer,
                partnership=self.surrey_heath,
                scope="shared",
                filters=CaseFilters(),
                per_page=25,
            )
            return [case.pk for case in paginator.get_page(1).object_list]

        # Times set apart explicitly: two writes in a row can read the same clock.
        yesterday = timezone.now() - datetime.timedelta(days=1)
        Case.objects.filter(pk=older.pk).update(updated_at=yesterday)
        Case.objects.filter(pk=newer.pk).update(updated_at=yesterday + datetime.timedelta(seconds=1))
        assert listed() == [newer.pk, older.pk]
        older = Case.objects.get(pk=older.pk)
        older = case_services.case_update(
            actor=self.asb_officer, case=older, version=older.version, values={"summary": "New"}
        )
        assert listed() == [older.pk, newer.pk]
        Case.objects.filter(pk=newer.pk).update(updated_at=older.updated_at + datetime.timedelta(seconds=1))
        assert listed() == [newer.pk, older.pk]
        Case.objects.filter(pk=newer.pk).update(lead_organisation=self.police)
        assert listed() == [older.pk], "the police's own cases are not 'shared with' them"
