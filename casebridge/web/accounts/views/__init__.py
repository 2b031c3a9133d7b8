"""Account views, one module per topic: signing in, two-factor authentication, passwords."""
