import datetime

from django.urls import reverse
from django.utils import timezone

from casebridge.actions import services
from casebridge.actions.models import Reassignment, Task
from casebridge.meetings import services as meeting_services
from casebridge.meetings.tests.base import MeetingsTestCase


class TaskViewTests(MeetingsTestCase):
    POLICE_SHARE = "view"

    def make(self, count: int, *, days: int = 7, user=None, title: str = "Deliver the letter") -> list[Task]:
        return [
            services.task_create(
                actor=self.asb_officer,
                case=self.case,
                title=f"{title} {n}",
                due_on=timezone.localdate() + datetime.timedelta(days=days),
                assigned_organisation=self.council,
                assigned_user=user if user is not None else self.colleague,
            )
            for n in range(count)
        ]

    def test_my_tasks_lists_only_mine_in_constant_queries(self):
        self.make(2)
        self.make(1, user=self.asb_officer, title="Alex's own")
        self.sign_in(self.colleague)
        # Two more than the list itself: the overdue assessment reviews and the case review recommendations.
        response = self.get_in_queries(13, reverse("actions:mine"))
        assert response.content.count(b"Deliver the letter") == 2
        assert b"Alex&#x27;s own" not in response.content
        self.make(5)
        self.get_in_queries(13, reverse("actions:mine"))

    def test_the_overdue_filter_shows_only_overdue_actions(self):
        self.make(1)
        overdue = self.make(1, days=1, title="Late")[0]
        Task.objects.filter(pk=overdue.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
        self.sign_in(self.colleague)
        response = self.client.get(reverse("actions:mine") + "?state=overdue")
        assert b"Late 0" in response.content
        assert b"Deliver the letter" not in response.content
        assert b"Overdue" in response.content

    def test_the_organisation_list_is_for_managers_only(self):
        self.make(1)
        self.sign_in(self.council_manager)
        assert b"Deliver the letter" in self.client.get(reverse("actions:organisation")).content
        self.sign_in(self.colleague)
        assert self.client.get(reverse("actions:organisation")).status_code == 404

    def test_the_meeting_tracker_lists_the_meetings_actions(self):
        meeting_services.meeting_task_create(
            actor=self.coordinator,
            meeting=self.meeting,
            case=self.case,
            title="Agreed in the meeting",
            due_on=timezone.localdate() + datetime.timedelta(days=7),
            assigned_organisation=self.police,
        )
        self.make(1)
        self.sign_in(self.police_officer)
        response = self.get_in_queries(12, reverse("actions:meeting", args=[self.meeting.public_id]))
        assert b"Agreed in the meeting" in response.content
        assert b"Deliver the letter" not in response.content

    def test_completing_an_action_needs_a_note(self):
        task = self.make(1)[0]
        self.sign_in(self.colleague)
        url = reverse("actions:detail", args=[task.public_id])
        response = self.client.post(url, {"status": "done", "completion_note": ""})
        assert b"Enter a completion note" in response.content
        response = self.client.post(url, {"status": "done", "completion_note": "Delivered by hand."})
        assert response.status_code == 302
        task.refresh_from_db()
        assert task.status == "done"

    def test_someone_who_may_not_update_gets_404_on_post(self):
        task = self.make(1)[0]
        self.sign_in(self.support_worker)
        url = reverse("actions:detail", args=[task.public_id])
        assert self.client.get(url).status_code == 200
        assert self.client.post(url, {"status": "cancelled"}).status_code == 404

    def test_reassigning_through_the_page_records_the_move(self):
        task = self.make(1)[0]
        self.sign_in(self.colleague)
        response = self.client.post(
            reverse("actions:reassign", args=[task.public_id]),
            {"assigned_organisation": self.council.pk, "assigned_user": self.asb_officer.pk, "reason": "Leave."},
        )
        assert response.status_code == 302
        assert Reassignment.objects.filter(task=task, to_user=self.asb_officer, reason="Leave.").exists()

    def test_assigning_in_a_meeting_returns_to_the_meeting(self):
        self.sign_in(self.coordinator)
        url = reverse("actions:create", args=[self.case.reference]) + f"?meeting={self.meeting.public_id}"
        due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
        response = self.client.post(
            url,
            {
                "title": "Joint visit",
                "assigned_organisation": self.police.pk,
                "due_on": due,
                "priority": "high",
                "meeting": str(self.meeting.public_id),
            },
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("meetings:detail", args=[self.meeting.public_id])
        assert Task.objects.get(title="Joint visit").meeting == self.meeting

    def test_a_due_date_in_the_past_is_refused(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(
            reverse("actions:create", args=[self.case.reference]),
            {"title": "x", "assigned_organisation": self.council.pk, "due_on": "2020-01-01", "priority": "normal"},
        )
        assert b"The due date must be today or in the future." in response.content
