"""The staff rules' two answers, for one user and as a query, agree for every persona."""

from casebridge.accounts.models import User
from casebridge.accounts.staff import permissions
from casebridge.organisations.models import Organisation, Role
from casebridge.organisations.tests.base import UserAdminTestCase
from tests.personas import PERSONAS, make_user


class StaffPermissionsAgreeTests(UserAdminTestCase):
    def actors(self) -> list[User]:
        both = make_user(
            "bo.admin@police.example",
            self.police,
            roles={self.surrey_heath: Role.ADMINISTRATOR, self.runnymede: Role.ADMINISTRATOR},
        )
        named = [getattr(self, name) for name in PERSONAS]
        return [*named, self.other_administrator, self.other_auditor, both]

    def test_one_account_and_the_query_give_the_same_answer(self):
        actors = self.actors()
        users = list(User.objects.all())
        for actor in actors:
            for partnership in (self.surrey_heath, self.runnymede):
                actionable = set(permissions.accounts_actionable_by(actor, partnership))
                for user in users:
                    with self.subTest(actor=actor.email, partnership=partnership.code, user=user.email):
                        assert permissions.may_act_on_account(actor, partnership, user) == (user in actionable)

    def test_the_organisation_rules_answer_alike_for_one_and_for_the_query(self):
        for actor in self.actors():
            for partnership in (self.surrey_heath, self.runnymede):
                changeable = set(permissions.organisations_changeable_by(actor, partnership))
                visible = set(permissions.organisations_visible_to(actor, partnership))
                with self.subTest(actor=actor.email, partnership=partnership.code):
                    assert changeable <= visible
                    for organisation in Organisation.objects.all():
                        allowed = permissions.may_change_organisation(actor, partnership, organisation)
                        assert allowed == (organisation in changeable)
