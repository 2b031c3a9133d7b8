from casebridge.accounts.selectors import user_managing_partnership_id, user_may_manage
from tests.personas import PersonasTestCase


class UserManagingPartnershipTests(PersonasTestCase):
    def test_an_organisation_manager_manages_their_own_organisations_staff(self):
        assert user_managing_partnership_id(actor=self.council_manager, user=self.asb_officer) == self.surrey_heath.pk
        assert user_may_manage(actor=self.police_manager, user=self.police_officer)

    def test_a_manager_does_not_manage_another_organisations_staff(self):
        assert not user_may_manage(actor=self.police_manager, user=self.asb_officer)
        assert not user_may_manage(actor=self.council_manager, user=self.support_worker)

    def test_a_partnership_administrator_manages_everyone_with_a_role_in_the_partnership(self):
        for user in [self.police_officer, self.support_worker, self.asb_officer]:
            with self.subTest(user=user.email):
                assert user_managing_partnership_id(actor=self.administrator, user=user) == self.surrey_heath.pk

    def test_an_administrator_does_not_manage_people_outside_the_partnership(self):
        assert not user_may_manage(actor=self.administrator, user=self.other_partnership_user)

    def test_practitioners_coordinators_and_auditors_manage_nobody(self):
        for actor in [self.colleague, self.coordinator, self.auditor, self.analyst]:
            with self.subTest(actor=actor.email):
                assert not user_may_manage(actor=actor, user=self.asb_officer)

    def test_nobody_manages_their_own_account_this_way_and_a_deactivated_manager_manages_nobody(self):
        assert not user_may_manage(actor=self.council_manager, user=self.council_manager)
        self.council_manager.is_active = False
        assert not user_may_manage(actor=self.council_manager, user=self.asb_officer)
