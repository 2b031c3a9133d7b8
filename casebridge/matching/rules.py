"""Who may review which possible duplicate (``matching.selectors``), registered with the one access door."""

from casebridge.access import policy
from casebridge.accounts.models import User
from casebridge.cases.policy import Act
from casebridge.matching.models import CandidateStatus, DuplicateCandidate
from casebridge.matching.selectors import candidates_visible_to, may_review_duplicates
from casebridge.people.access import can_person

REVIEW = "review"


def may_review_candidate(user: User, candidate: DuplicateCandidate) -> bool:
    """An open candidate, to someone who may merge people and see both of them in full."""
    return (
        candidate.status == CandidateStatus.OPEN
        and may_review_duplicates(user, candidate.partnership)
        and can_person(user, Act.VIEW, candidate.person_a)
        and can_person(user, Act.VIEW, candidate.person_b)
    )


def register() -> None:
    policy.register(
        DuplicateCandidate,
        REVIEW,
        may=may_review_candidate,
        visible=lambda user, partnership: candidates_visible_to(user=user, partnership=partnership),
    )
