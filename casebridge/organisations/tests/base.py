from casebridge.organisations.middleware import PARTNERSHIP_KEY
from casebridge.organisations.models import Partnership
from tests.personas import TwoPartnershipsTestCase


class UserAdminTestCase(TwoPartnershipsTestCase):
    """The personas plus Runnymede's administrator and auditor, who must see nothing of Surrey Heath."""

    def work_in(self, partnership: Partnership) -> None:
        session = self.client.session
        session[PARTNERSHIP_KEY] = str(partnership.public_id)
        session.save()
