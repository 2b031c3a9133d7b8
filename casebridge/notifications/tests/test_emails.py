"""Notification emails: one for every kind, none holding personal data, none sent inside a request."""

import datetime
import smtplib
from collections.abc import Callable
from typing import Any
from unittest import mock

from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from casebridge.actions import services as task_services
from casebridge.actions.models import Task
from casebridge.cases import services as case_services
from casebridge.cases.models import Level
from casebridge.cases.tests.base import PRIVATE_SUBJECT, RESTRICTED_TEXT, SHARED_VICTIM
from casebridge.meetings import services as meeting_services
from casebridge.meetings.models import Outcome
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.notifications import services
from casebridge.notifications.models import EmailMode, Kind, Notification
from casebridge.people import services as people_services
from casebridge.referrals import services as referral_services
from casebridge.referrals.models import Referral
from casebridge.referrals.tests.base import POLICE_SUBJECT, ReferralsTestCase
from casebridge.reminders.services import reminders_run
from casebridge.sharing import services as sharing_services

HOME_ADDRESS = "14 Larkspur Close"
HOME_POSTCODE = "GU15 3HD"
TYPED = "Welfare check on Quentin Arbuthnot"  # a name only ever typed into free text
PERSONAL = [
    SHARED_VICTIM,
    *SHARED_VICTIM.split(),
    PRIVATE_SUBJECT,
    *PRIVATE_SUBJECT.split(),
    POLICE_SUBJECT,
    HOME_ADDRESS,
    HOME_POSTCODE,
    "Larkspur",
    "Quentin",
    "Arbuthnot",
    RESTRICTED_TEXT,
]


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class EmailTests(MeetingsTestCase, ReferralsTestCase):
    def setUp(self) -> None:
        super().setUp()
        # An address on the case, so an email that leaked case details would show it.
        location = people_services.location_from_text(
            actor=self.asb_officer, partnership=self.surrey_heath, text=HOME_ADDRESS, postcode=HOME_POSTCODE
        )
        case_services.case_location_add(actor=self.asb_officer, case=self.case, location=location, is_subject=True)

    def every_kind(self) -> None:
        """Makes one notification of every kind the issue lists, emails running as the worker would."""
        today = timezone.localdate()
        with self.captureOnCommitCallbacks(execute=True):
            task = task_services.task_create(
                actor=self.asb_officer,
                case=self.case,
                title=f"Speak to {SHARED_VICTIM} at {HOME_ADDRESS}",
                description=TYPED,
                due_on=today + datetime.timedelta(days=7),
                assigned_organisation=self.council,
                assigned_user=self.colleague,
            )
        Task.objects.filter(pk=task.pk).update(due_on=today - datetime.timedelta(days=1))
        with self.captureOnCommitCallbacks(execute=True):
            reminders_run()
        with self.captureOnCommitCallbacks(execute=True):
            meeting_services.agenda_publish(actor=self.coordinator, meeting=self.meeting)
            meeting_services.papers_publish(actor=self.coordinator, meeting=self.meeting)
        with self.captureOnCommitCallbacks(execute=True):
            sharing_services.share_grant(
                actor=self.asb_officer,
                case=self.private_case,
                user=self.police_manager,
                level=Level.VIEW,
                reason=f"{TYPED}: {PRIVATE_SUBJECT}",
            )
        with self.captureOnCommitCallbacks(execute=True):
            sharing_services.access_request_create(
                actor=self.support_worker, case=self.private_case, reason=f"{TYPED} for {PRIVATE_SUBJECT}."
            )
        with self.captureOnCommitCallbacks(execute=True):
            sharing_services.break_glass(
                actor=self.police_officer, case=self.private_case, reason=f"{TYPED}: {PRIVATE_SUBJECT}."
            )
        with self.captureOnCommitCallbacks(execute=True):
            referral_services.referral_decline(
                actor=self.coordinator,
                referral=self.charity_referral,
                version=self.charity_referral.version,
                reason=f"{POLICE_SUBJECT} is already known: {TYPED}.",
            )
        review = today + datetime.timedelta(days=28)
        self.minute(
            update=f"{SHARED_VICTIM} was visited at {HOME_ADDRESS}.",
            decision=TYPED,
            outcome=Outcome.KEEP,
            outcome_reason=f"{SHARED_VICTIM} still at risk.",
            next_review_on=review,
        )
        meeting_services.minutes_publish(actor=self.coordinator, meeting=self.meeting)
        with self.captureOnCommitCallbacks(execute=True):
            reminders_run(today=review)

    def test_every_kind_is_emailed_with_only_a_reference_and_a_link(self):
        self.every_kind()
        kinds = set(Notification.objects.values_list("kind", flat=True))
        required = {
            Kind.TASK_ASSIGNED,
            Kind.TASK_OVERDUE,
            Kind.PAPERS_PUBLISHED,
            Kind.SHARE,
            Kind.ACCESS_REQUEST,
            Kind.REFERRAL_DECISION,
            Kind.BREAK_GLASS,
            Kind.REVIEW_DUE,
        }
        assert required <= kinds
        subjects = {message.subject for message in mail.outbox}
        for kind in required:
            with self.subTest(kind=kind):
                assert f"Casebridge: {kind.label}" in subjects
        assert len(mail.outbox) >= len(required)
        for message in mail.outbox:
            for text in PERSONAL:
                with self.subTest(subject=message.subject, text=text):
                    assert text not in message.subject
                    assert text not in message.body
            assert settings.SITE_URL in message.body
        for notification in Notification.objects.select_related("user"):
            for text in PERSONAL:
                assert text not in notification.reference
                assert text not in notification.summary

    def test_each_email_names_its_reference_and_links_to_it(self):
        self.every_kind()
        emailed = Notification.objects.filter(emailed_at__isnull=False).exclude(kind=Kind.PAPERS_PUBLISHED)
        assert emailed.exists()
        bodies = [message.body for message in mail.outbox]
        for notification in emailed:
            with self.subTest(kind=notification.kind):
                assert any(
                    notification.reference in body and f"{settings.SITE_URL}{notification.path}" in body
                    for body in bodies
                )

    def test_emails_are_queued_for_the_worker_and_never_sent_in_the_request(self):
        self.sign_in(self.coordinator)
        with (
            mock.patch("casebridge.notifications.services.notification_email_job") as job,
            self.captureOnCommitCallbacks(execute=True),
        ):
            response = self.client.post(
                reverse("referrals:decline", args=[self.referral.public_id]),
                {"version": self.referral.version, "reason": "Refer to the housing provider instead."},
            )
        assert response.status_code == 302
        assert mail.outbox == []
        notification = Notification.objects.get(user=self.police_officer, kind=Kind.REFERRAL_DECISION)
        job.enqueue.assert_called_once_with(notification.pk)

    def test_a_mail_server_outage_does_not_fail_the_page_and_the_email_goes_later(self):
        self.sign_in(self.coordinator)
        with (
            override_settings(EMAIL_BACKEND=f"{__name__}.BrokenMailServer"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            response = self.client.post(
                reverse("referrals:decline", args=[self.referral.public_id]),
                {"version": self.referral.version, "reason": "Refer to the housing provider instead."},
            )
        assert response.status_code == 302
        self.referral.refresh_from_db()
        assert self.referral.status == "declined"
        notification = Notification.objects.get(user=self.police_officer, kind=Kind.REFERRAL_DECISION)
        assert notification.emailed_at is None
        assert services.digests_send() == 0  # not yet: the worker may still be trying
        assert services.digests_send(now=timezone.now() + datetime.timedelta(hours=2)) == 1
        assert mail.outbox[0].to == [self.police_officer.email]
        notification.refresh_from_db()
        assert notification.emailed_at is not None

    def test_no_email_users_are_notified_in_the_app_only(self):
        services.preference_set(actor=self.police_officer, email_mode=EmailMode.NONE)
        with self.captureOnCommitCallbacks(execute=True):
            referral_services.referral_decline(
                actor=self.coordinator, referral=self.referral, version=self.referral.version, reason="Not ours."
            )
        assert Notification.objects.filter(user=self.police_officer, kind=Kind.REFERRAL_DECISION).exists()
        assert services.digests_send(now=timezone.now() + datetime.timedelta(days=1)) == 0
        assert mail.outbox == []


class ReferralDecisionTests(ReferralsTestCase):
    """Every decision tells the referrer in the app and by email: no personal data, a link to the referral."""

    def decided(self, decide: Callable[..., Any], referral: Referral, summary: str, **fields: Any) -> None:
        """Carla makes the decision on ``referral``; its referrer is told ``summary`` in the app and by email."""
        with self.captureOnCommitCallbacks(execute=True):
            decide(actor=self.coordinator, referral=referral, version=referral.version, **fields)
        notification = Notification.objects.get(user=referral.referred_by, kind=Kind.REFERRAL_DECISION)
        assert notification.summary == summary
        assert notification.path == reverse("referrals:detail", args=[referral.public_id])
        assert notification.reference.startswith("Referral sent ")
        message = mail.outbox[-1]
        assert message.to == [referral.referred_by.email]  # type: ignore[union-attr]
        assert summary in message.body
        assert f"{settings.SITE_URL}{notification.path}" in message.body
        for text in (SHARED_VICTIM, POLICE_SUBJECT, referral.reason):
            assert text not in message.body
            assert text not in message.subject

    def test_accepted_into_a_new_case(self):
        accepted = "Your referral was accepted into a case."
        self.decided(referral_services.referral_accept, self.referral, accepted, case_type=self.victim_type)

    def test_accepted_into_an_existing_case(self):
        accepted = "Your referral was accepted into a case."
        self.decided(referral_services.referral_accept, self.referral, accepted, case=self.case)

    def test_declined(self):
        declined = "Your referral was declined. The reason is on the referral."
        reason = f"{POLICE_SUBJECT} is known to the police."
        self.decided(referral_services.referral_decline, self.charity_referral, declined, reason=reason)

    def test_more_information_requested(self):
        asked = "More information is needed on your referral."
        question = f"When did {SHARED_VICTIM} last report?"
        self.decided(referral_services.referral_more_info_request, self.referral, asked, question=question)
