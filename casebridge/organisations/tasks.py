from django_tasks import task

from casebridge.organisations import invitations


@task()
def invitations_send(user_ids: list[int]) -> int:
    """Emails each new user their set-password link; runs after the creating transaction commits."""
    return invitations.invitations_send(user_ids)
