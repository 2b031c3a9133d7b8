from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_report_confirmation(*, email: str, reference: str) -> None:
    """The reference and where to check progress; no other personal data goes by email."""
    link = settings.SITE_URL + reverse("public_reports:progress")
    body = _(
        "Thank you for reporting anti-social behaviour.\n\n"
        "Your reference number is %(reference)s.\n\n"
        "You can check progress at %(link)s with this reference and your email address.\n"
    ) % {"reference": reference, "link": link}
    send_mail(_("Your report: %(reference)s") % {"reference": reference}, body, None, [email])
