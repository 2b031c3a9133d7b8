from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_application_confirmation(*, email: str, reference: str) -> None:
    """The reference only: no other personal data goes by email."""
    body = _(
        "We have received your application for an ASB Case Review.\n\n"
        "Your reference number is %(reference)s.\n\n"
        "We will tell you within 15 working days whether the threshold for a review is met. "
        "Quote your reference number if you contact us.\n\n%(site)s\n"
    ) % {"reference": reference, "site": settings.SITE_URL}
    send_mail(_("Your ASB Case Review application: %(reference)s") % {"reference": reference}, body, None, [email])


@task()
def send_decision_letter(*, email: str, reference: str, letter: str) -> None:
    send_mail(_("Your ASB Case Review: %(reference)s") % {"reference": reference}, letter, None, [email])
