from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from casebridge.case_reviews import selectors
from casebridge.lib.types import AuthenticatedRequest
from casebridge.sharing.policy import triages_in


@login_required
def alerts(request: AuthenticatedRequest) -> HttpResponse:
    """Repeat victims and victims meeting the ASB Case Review threshold, for the coordinator to act on."""
    membership = request.membership
    if membership is None or not triages_in(request.user, membership.partnership_id):
        raise Http404
    partnership = membership.partnership
    context = {
        "victims": selectors.victims_needing_attention(user=request.user, partnership=partnership),
        "rules": selectors.rules_for(partnership),
        "shows_personal_data": True,
    }
    return render(request, "case_reviews/alerts.html", context)
