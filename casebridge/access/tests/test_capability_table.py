"""The role → capability table in the code and in docs/access-model.md say the same."""

import re
from pathlib import Path

from django.test import SimpleTestCase

from casebridge.access.capabilities import DESCRIPTIONS, Capability, holds, roles_holding

DOC = Path(__file__).resolve().parents[3] / "docs" / "access-model.md"
ROW = re.compile(r"^\| (?P<what>[^|]+) \| `(?P<code>[a-z_]+)` \| (?P<holders>[^|]*) \|$")


def documented() -> dict[str, tuple[str, frozenset[str]]]:
    rows = {}
    for line in DOC.read_text().splitlines():
        match = ROW.match(line.strip())
        if match:
            holders = frozenset(h.strip() for h in match["holders"].split(",") if h.strip())
            rows[match["code"]] = (match["what"].strip(), holders)
    return rows


class FakeMembership:
    def __init__(self, partnership_id: int, role: str) -> None:
        self.partnership_id = partnership_id
        self.role = role


class FakeUser:
    is_authenticated = True

    def __init__(self, *memberships: FakeMembership, is_active: bool = True) -> None:
        self.is_active = is_active
        self._memberships = list(memberships)

    def cached_memberships(self) -> list[FakeMembership]:
        return self._memberships


class CapabilityTableTests(SimpleTestCase):
    def test_every_capability_is_documented_with_the_holders_the_code_gives_it(self) -> None:
        rows = documented()
        assert set(rows) == {c.value for c in Capability}
        for capability in Capability:
            with self.subTest(capability=capability):
                what, holders = rows[capability.value]
                assert what == DESCRIPTIONS[capability]
                assert holders == roles_holding(capability)

    def test_a_role_holds_a_capability_only_in_its_own_partnership(self) -> None:
        coordinator = FakeUser(FakeMembership(1, "coordinator"))
        assert holds(coordinator, Capability.TRIAGE, 1)
        assert not holds(coordinator, Capability.TRIAGE, 2)
        assert not holds(coordinator, Capability.CONFIGURE_PARTNERSHIP, 1)

    def test_an_inactive_user_holds_nothing(self) -> None:
        user = FakeUser(FakeMembership(1, "administrator"), is_active=False)
        assert not holds(user, Capability.CASEWORK, 1)

    def test_analysts_and_auditors_do_no_casework(self) -> None:
        assert "analyst" not in roles_holding(Capability.CASEWORK)
        assert "auditor" not in roles_holding(Capability.CASEWORK)
