"""Every URL the meetings, actions and notifications apps add, against every persona.

Asserts the status code and that no name a persona may not see appears in the response.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.actions import services as task_services
from casebridge.actions.models import Task
from casebridge.cases.models import Case
from casebridge.cases.tests.base import PRIVATE_SUBJECT, RESTRICTED_TEXT, SHARED_VICTIM
from casebridge.meetings import services
from casebridge.meetings.models import Source
from casebridge.meetings.tests.base import MeetingsTestCase
from tests.personas import PERSONAS

OK, GONE, NOT_ALLOWED = 200, 404, 405


class MeetingsPermissionMatrixTests(MeetingsTestCase):
    task: Task
    private_task: Task

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        services.agenda_publish(actor=cls.coordinator, meeting=cls.meeting)
        with cls.captureOnCommitCallbacks(execute=True):
            services.papers_publish(actor=cls.coordinator, meeting=cls.meeting)
        cls.task = cls.council_task(cls.case, "Deliver the warning letter", assignee=cls.colleague)
        cls.private_task = cls.council_task(cls.private_case, "Private action")

    @classmethod
    def council_task(cls, case: Case, title: str, *, assignee: User | None = None) -> Task:
        """An action Alex gives the council on ``case``, due in a week."""
        return task_services.task_create(
            actor=cls.asb_officer,
            case=case,
            title=title,
            due_on=timezone.localdate() + datetime.timedelta(days=7),
            assigned_organisation=cls.council,
            assigned_user=assignee,
        )

    def urls(self) -> dict[str, str]:
        m, s, i = self.meeting.public_id, self.series.public_id, self.item.public_id
        return {
            "list": reverse("meetings:list"),
            "series_create": reverse("meetings:series_create"),
            "series": reverse("meetings:series", args=[s]),
            "schedule": reverse("meetings:schedule", args=[s]),
            "detail": reverse("meetings:detail", args=[m]),
            "agenda_add": reverse("meetings:agenda_add", args=[m]),
            "attendance": reverse("meetings:attendance", args=[m]),
            "papers": reverse("meetings:papers", args=[m]),
            "papers_pdf": reverse("meetings:papers_pdf", args=[m]),
            "item_remove": reverse("meetings:item_remove", args=[i]),
            "item_lead": reverse("meetings:item_lead", args=[i]),
            "item_minutes": reverse("meetings:item_minutes", args=[i]),
            "tracker": reverse("actions:meeting", args=[m]),
            "my_tasks": reverse("actions:mine"),
            "org_tasks": reverse("actions:organisation"),
            "task": reverse("actions:detail", args=[self.task.public_id]),
            "private_task": reverse("actions:detail", args=[self.private_task.public_id]),
            "task_reassign": reverse("actions:reassign", args=[self.task.public_id]),
            "task_create": reverse("actions:create", args=[self.case.reference]),
            "task_create_private": reverse("actions:create", args=[self.private_case.reference]),
            "notifications": reverse("notifications:list"),
            "preferences": reverse("notifications:preferences"),
        }

    # POST-only URLs answer 404 to those who may not use them and 405 to GET otherwise.
    POST_ONLY = ("agenda_build", "agenda_publish", "acknowledge", "minutes_publish", "papers_publish", "papers_request")

    def expectations(self) -> dict[str, tuple[dict[str, int], list[str]]]:
        everything = dict.fromkeys(self.urls(), OK)
        nothing = {**dict.fromkeys(everything, GONE), "notifications": OK, "preferences": OK}
        # Anyone who sees the meeting may propose a case (agenda_add); whoever may manage the case may remove it.
        runner_only = {"series_create", "schedule", "attendance", "item_remove", "item_minutes"}
        not_attending = {"papers", "papers_pdf"}
        coordinator = {**everything, **dict.fromkeys(not_attending, GONE), "item_lead": OK, "org_tasks": GONE}
        chair = {
            **everything,
            **dict.fromkeys(not_attending - {"papers", "papers_pdf"}, GONE),
            "series_create": GONE,
            "schedule": GONE,
            "item_lead": OK,
        }
        lead_attendee = {
            **everything,
            **dict.fromkeys(runner_only - {"item_remove"}, GONE),
            "org_tasks": GONE,
        }
        colleague = {**lead_attendee, **dict.fromkeys(not_attending, GONE)}
        police = {
            **everything,
            **dict.fromkeys(runner_only, GONE),
            "item_lead": GONE,
            # The agenda shares nothing: the police never see the council's case or its actions.
            "task": GONE,
            "private_task": GONE,
            "task_reassign": GONE,
            "task_create": GONE,
            "task_create_private": GONE,
            "org_tasks": GONE,
        }
        support = {**police, "task_create": OK, "task": OK}
        # Max manages in both partnerships and works in Runnymede (first by name) until he switches.
        runnymede_user = {**nothing, "list": OK, "my_tasks": OK}
        runnymede_manager = {**runnymede_user, "org_tasks": OK}
        return {
            "coordinator": (coordinator, []),
            "council_manager": (chair, []),
            "asb_officer": (lead_attendee, []),
            "colleague": (colleague, []),
            "police_officer": (police, [PRIVATE_SUBJECT, RESTRICTED_TEXT, "Private action"]),
            "support_worker": (support, [PRIVATE_SUBJECT, RESTRICTED_TEXT, "Private action"]),
            "police_manager": (runnymede_manager, [PRIVATE_SUBJECT, RESTRICTED_TEXT, "Private action"]),
            "analyst": (nothing, [PRIVATE_SUBJECT, SHARED_VICTIM, RESTRICTED_TEXT]),
            "auditor": (nothing, [PRIVATE_SUBJECT, SHARED_VICTIM, RESTRICTED_TEXT]),
            "other_partnership_user": (
                runnymede_user,
                [PRIVATE_SUBJECT, SHARED_VICTIM, RESTRICTED_TEXT, "Surrey Heath"],
            ),
        }

    def test_every_url_for_every_persona(self):
        self.assert_url_matrix(self.urls(), self.expectations())

    def test_post_only_urls_refuse_outsiders_with_404(self):
        for persona in ("police_officer", "analyst", "other_partnership_user"):
            self.sign_in(getattr(self, persona))
            for name in ("agenda_build", "agenda_publish", "minutes_publish", "papers_publish"):
                with self.subTest(persona=persona, url=name):
                    response = self.client.post(reverse(f"meetings:{name}", args=[self.meeting.public_id]))
                    assert response.status_code == GONE

    def test_post_only_urls_refuse_get(self):
        self.sign_in(self.coordinator)
        for name in self.POST_ONLY:
            with self.subTest(url=name):
                response = self.client.get(reverse(f"meetings:{name}", args=[self.meeting.public_id]))
                assert response.status_code == NOT_ALLOWED

    def test_an_item_on_a_case_the_user_cannot_see_is_not_named(self):
        """Priya sees the agenda, but not an item on the private case (it was never shared)."""
        self.add_to_agenda(self.private_case)
        services.agenda_item_restrict(
            actor=self.asb_officer, item=self.meeting.items.get(case=self.private_case), restricted=True
        )
        # The Runnymede-only user sees no meeting at all.
        self.sign_in(self.other_partnership_user)
        response = self.client.get(reverse("meetings:detail", args=[self.meeting.public_id]))
        assert response.status_code == GONE

    def test_post_only_actions_refuse_get_and_refuse_people_outside_the_meeting(self):
        meeting, item = self.meeting.public_id, self.item.public_id
        urls = {
            "agenda_build": reverse("meetings:agenda_build", args=[meeting]),
            "agenda_publish": reverse("meetings:agenda_publish", args=[meeting]),
            "minutes_publish": reverse("meetings:minutes_publish", args=[meeting]),
            "papers_publish": reverse("meetings:papers_publish", args=[meeting]),
            "papers_request": reverse("meetings:papers_request", args=[meeting]),
            "acknowledge": reverse("meetings:acknowledge", args=[meeting]),
            "item_move": reverse("meetings:item_move", args=[item]),
        }
        for name, url in urls.items():
            with self.subTest(url=name, persona="anonymous"):
                assert self.client.get(url).status_code == 302
        for persona in ("coordinator", "asb_officer", "other_partnership_user", "auditor"):
            self.sign_in(getattr(self, persona))
            for name, url in urls.items():
                with self.subTest(url=name, persona=persona):
                    assert self.client.get(url).status_code == NOT_ALLOWED
        for persona in ("other_partnership_user", "auditor"):
            self.sign_in(getattr(self, persona))
            for name, url in urls.items():
                with self.subTest(url=name, persona=persona, method="post"):
                    assert self.client.post(url).status_code == GONE

    def test_proposal_decisions_are_post_only_and_only_for_whoever_may_manage_the_case(self):
        """Every persona, GET and POST, against a council proposal: only council casework staff decide it."""
        proposal = services.agenda_item_propose(
            actor=None, meeting=self.meeting, case=self.private_case, source=Source.HIGH_RISK, reason="High risk"
        )
        urls = {
            "agree": reverse("meetings:proposal_agree", args=[proposal.public_id]),
            "decline": reverse("meetings:proposal_decline", args=[proposal.public_id]),
        }
        deciders = {"asb_officer", "colleague", "council_manager", "administrator"}
        # The coordinator works for the council (may manage its case) and builds the agenda.
        deciders.add("coordinator")
        for persona in PERSONAS:
            self.sign_in(getattr(self, persona))
            for name, url in urls.items():
                with self.subTest(persona=persona, url=name, method="get"):
                    assert self.client.get(url).status_code == NOT_ALLOWED
            with self.subTest(persona=persona, url="decline", method="post"):
                # An empty reason: a decider's decline is refused with a message and changes nothing.
                expected = 302 if persona in deciders else GONE
                assert self.client.post(urls["decline"], {"reason": ""}).status_code == expected
            if persona not in deciders:
                with self.subTest(persona=persona, url="agree", method="post"):
                    assert self.client.post(urls["agree"]).status_code == GONE
        proposal.refresh_from_db()
        assert proposal.is_pending
