from casebridge.accounts.models import User
from casebridge.organisations.middleware import PARTNERSHIP_KEY
from casebridge.organisations.models import Partnership, Role
from tests.personas import PersonasTestCase, make_user


class UserAdminTestCase(PersonasTestCase):
    """The personas plus Runnymede's administrator, who must see nothing of Surrey Heath."""

    other_administrator: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.other_administrator = make_user(
            "rhys.owen@runnymede.example", cls.other_council, roles={cls.runnymede: Role.ADMINISTRATOR}
        )

    def work_in(self, partnership: Partnership) -> None:
        session = self.client.session
        session[PARTNERSHIP_KEY] = str(partnership.public_id)
        session.save()
