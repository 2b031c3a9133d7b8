"""Staff administration: invitations, the user import, account and role changes, and who may manage whom."""
