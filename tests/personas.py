"""The named people every test can call on, and how to sign them in."""

import functools
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.test import Client, TestCase

from casebridge.accounts.models import User
from casebridge.organisations.models import Membership, Organisation, OrganisationType, Partnership, Role, Team

PASSWORD = "correct horse battery staple"

R = TypeVar("R")


class fixture_method(Generic[R]):
    """A helper that ``setUpTestData`` calls on the class and a test calls on its instance.

    Inside a test, ``self.case`` is that test's own copy of the class's data, so a helper called
    from a test must read through the instance: a classmethod would read, and change, the shared
    originals and leak state from one test into the next.
    """

    def __init__(self, func: Callable[..., R]) -> None:
        self.func = func
        functools.update_wrapper(self, func)  # type: ignore[arg-type]

    def __get__(self, instance: object, owner: type) -> Callable[..., R]:
        return functools.partial(self.func, owner if instance is None else instance)


def make_user(
    email: str,
    organisation: Organisation,
    *,
    roles: dict[Partnership, str] | None = None,
    team: Team | None = None,
    **fields: Any,
) -> User:
    first, _, last = email.split("@")[0].replace(".", " ").title().partition(" ")
    user = User.objects.create_user(
        email,
        PASSWORD,
        first_name=fields.pop("first_name", first),
        last_name=fields.pop("last_name", last or "Tester"),
        organisation=organisation,
        team=team,
        **fields,
    )
    for partnership, role in (roles or {}).items():
        Membership.objects.create(user=user, partnership=partnership, role=role)
    return user


def sign_in(client: Client, user: User) -> None:
    """Signs the user in as if they had completed two-factor authentication."""
    client.force_login(user)
    session = client.session
    session["casebridge_mfa_verified"] = True
    session.save()


# The signed-in personas of PersonasTestCase, by attribute name, for permission matrices.
PERSONAS = (
    "asb_officer",
    "colleague",
    "coordinator",
    "administrator",
    "council_manager",
    "police_officer",
    "police_manager",
    "support_worker",
    "analyst",
    "auditor",
    "other_partnership_user",
)


class PersonasTestCase(TestCase):
    """Two partnerships and the people in them.

    Surrey Heath (SH): the council (lead for most cases) with Alex the ASB
    officer, Colin the colleague, Carla the coordinator, Ada the administrator,
    Mona the council's manager; the police with Priya the officer and Max the
    police manager; the charity with Sam the support worker; Andy the analyst;
    Aude the auditor. Runnymede (RU): Rita, who must see nothing of Surrey Heath.
    """

    surrey_heath: Partnership
    runnymede: Partnership
    council: Organisation
    police: Organisation
    charity: Organisation
    other_council: Organisation
    community_safety: Team
    asb_officer: User
    colleague: User
    coordinator: User
    administrator: User
    council_manager: User
    police_officer: User
    police_manager: User
    support_worker: User
    analyst: User
    auditor: User
    other_partnership_user: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.surrey_heath = Partnership.objects.create(name="Surrey Heath", code="SH")
        cls.runnymede = Partnership.objects.create(name="Runnymede", code="RU")
        cls.council = Organisation.objects.create(name="Surrey Heath Council", type=OrganisationType.COUNCIL)
        cls.police = Organisation.objects.create(name="Surrey Police", type=OrganisationType.POLICE)
        cls.charity = Organisation.objects.create(name="Safer Lives", type=OrganisationType.VOLUNTARY)
        cls.other_council = Organisation.objects.create(name="Runnymede Council", type=OrganisationType.COUNCIL)
        cls.council.partnerships.add(cls.surrey_heath)
        cls.police.partnerships.add(cls.surrey_heath, cls.runnymede)
        cls.charity.partnerships.add(cls.surrey_heath)
        cls.other_council.partnerships.add(cls.runnymede)
        cls.community_safety = Team.objects.create(organisation=cls.council, name="Community Safety")

        sh = cls.surrey_heath
        cls.asb_officer = make_user(
            "alex.morgan@council.example", cls.council, roles={sh: Role.PRACTITIONER}, team=cls.community_safety
        )
        cls.colleague = make_user("colin.baker@council.example", cls.council, roles={sh: Role.PRACTITIONER})
        cls.coordinator = make_user("carla.hughes@council.example", cls.council, roles={sh: Role.COORDINATOR})
        cls.administrator = make_user("ada.lovell@council.example", cls.council, roles={sh: Role.ADMINISTRATOR})
        cls.council_manager = make_user("mona.fry@council.example", cls.council, roles={sh: Role.MANAGER})
        cls.police_officer = make_user("priya.shah@police.example", cls.police, roles={sh: Role.PRACTITIONER})
        cls.police_manager = make_user(
            "max.wells@police.example", cls.police, roles={sh: Role.MANAGER, cls.runnymede: Role.MANAGER}
        )
        cls.support_worker = make_user("sam.taylor@charity.example", cls.charity, roles={sh: Role.PRACTITIONER})
        cls.analyst = make_user("andy.nash@council.example", cls.council, roles={sh: Role.ANALYST})
        cls.auditor = make_user("aude.price@council.example", cls.council, roles={sh: Role.AUDITOR})
        cls.other_partnership_user = make_user(
            "rita.jones@runnymede.example", cls.other_council, roles={cls.runnymede: Role.PRACTITIONER}
        )

    def sign_in(self, user: User) -> None:
        sign_in(self.client, user)

    def get_in_queries(self, queries: int, url: str, *args: Any, **kwargs: Any) -> Any:
        """Gets ``url``, asserting that answering it takes exactly ``queries`` database queries."""
        with self.assertNumQueries(queries):
            return self.client.get(url, *args, **kwargs)

    def assert_url_matrix(
        self,
        urls: dict[str, str],
        expectations: dict[str, tuple[dict[str, int], list[str]]],
        *,
        shown_anyway: dict[str, str] | None = None,
    ) -> None:
        """Signs in as each persona and checks every URL's status and that no hidden name is in the page.

        `expectations` maps a persona to (status per URL name, names that must never appear); `shown_anyway`
        maps a URL name to the one hidden name it may show when it answers 200 (existence only).
        """
        for persona, (statuses, hidden) in expectations.items():
            self.sign_in(getattr(self, persona))
            for name, url in urls.items():
                with self.subTest(persona=persona, url=name):
                    response = self.client.get(url)
                    assert response.status_code == statuses[name], (persona, name, response.status_code)
                    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
                    text = body.decode(errors="ignore")
                    for hidden_name in hidden:
                        if statuses[name] == 200 and (shown_anyway or {}).get(name) == hidden_name:
                            continue
                        assert hidden_name not in text, (persona, name, hidden_name)
            self.client.logout()


class TwoPartnershipsTestCase(PersonasTestCase):
    """The personas plus Runnymede's own administration: Rhys its administrator and Ruth its auditor.

    Max, the police manager, works in both partnerships: neither partnership's administrator owns
    his account alone.
    """

    other_administrator: User
    other_auditor: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.other_administrator = make_user(
            "rhys.owen@runnymede.example", cls.other_council, roles={cls.runnymede: Role.ADMINISTRATOR}
        )
        cls.other_auditor = make_user(
            "ruth.lane@runnymede.example", cls.other_council, roles={cls.runnymede: Role.AUDITOR}
        )
