import time

from django.http import HttpRequest

SIGNED_IN_AT = "casebridge_signed_in_at"


def mark_signed_in(request: HttpRequest) -> None:
    request.session[SIGNED_IN_AT] = time.time()
