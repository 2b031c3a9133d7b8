import time

from django.http import HttpRequest

SIGNED_IN_AT = "casebridge_signed_in_at"
# True once this session has passed two-factor authentication (or set it up).
MFA_VERIFIED = "casebridge_mfa_verified"
# Set in the fresh session after a forced sign-out, so the sign-in page can say why.
SIGNED_OUT_REASON = "casebridge_signed_out_reason"


def mark_signed_in(request: HttpRequest) -> None:
    request.session[SIGNED_IN_AT] = time.time()
    # A new sign-in must prove the second factor again.
    request.session[MFA_VERIFIED] = False


def mark_mfa_verified(request: HttpRequest, *, verified: bool = True) -> None:
    request.session[MFA_VERIFIED] = verified


def is_mfa_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(MFA_VERIFIED))
