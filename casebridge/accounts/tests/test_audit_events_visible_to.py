from casebridge.accounts.audit_trail import audit_events_visible_to
from casebridge.audit.models import Action
from casebridge.audit.selectors import AuditFilters
from casebridge.audit.services import audit_record
from casebridge.audit.tests.audit_data import AuditDataTestCase


def seen(user, filters=None) -> set[tuple[str, str]]:
    events = audit_events_visible_to(user=user, membership=user.cached_memberships()[0], filters=filters)
    return {(e.actor_label, e.action) for e in events}


class AuditEventsVisibleToTests(AuditDataTestCase):
    def test_auditor_sees_the_partnership_chain_and_members_sign_ins(self):
        assert seen(self.auditor) == {
            ("alex.morgan@council.example", Action.SIGN_IN),
            ("alex.morgan@council.example", Action.VIEWED),
            ("priya.shah@police.example", Action.CHANGED),
            ("sam.taylor@charity.example", Action.BREAK_GLASS),
            ("max.wells@police.example", Action.SIGN_IN),
        }

    def test_manager_sees_only_their_organisations_staff(self):
        assert seen(self.council_manager) == {
            ("alex.morgan@council.example", Action.SIGN_IN),
            ("alex.morgan@council.example", Action.VIEWED),
        }

    def test_auditor_of_another_partnership_sees_none_of_surrey_heath(self):
        events = seen(self.runnymede_auditor)
        assert ("rita.jones@runnymede.example", Action.VIEWED) in events
        assert not {email for email, _ in events} & set(self.SURREY_HEATH_ONLY)
        assert ("priya.shah@police.example", Action.CHANGED) not in events

    def test_other_roles_see_nothing(self):
        for user in (self.asb_officer, self.coordinator, self.administrator, self.analyst):
            with self.subTest(user=user.email):
                assert seen(user) == set()

    def test_no_membership_sees_nothing(self):
        assert not audit_events_visible_to(user=self.auditor, membership=None).exists()

    def test_manager_without_an_organisation_sees_nothing(self):
        membership = self.council_manager.cached_memberships()[0]
        self.council_manager.organisation = None
        assert not audit_events_visible_to(user=self.council_manager, membership=membership).exists()

    def test_events_of_unknown_people_on_the_system_chain_are_not_shown(self):
        # A failed sign-in for an address nobody has: no actor, so no partnership.
        audit_record(actor=None, action=Action.SIGN_IN_FAILED, actor_label="nobody@example.com")
        assert ("nobody@example.com", Action.SIGN_IN_FAILED) not in seen(self.auditor)

    def test_filters_combine(self):
        filters = AuditFilters(email="ALEX.MORGAN", action=Action.VIEWED)
        assert seen(self.auditor, filters) == {("alex.morgan@council.example", Action.VIEWED)}
