"""The one canonical form of an email address, for finding an account and counting its failed sign-ins.

PostgreSQL's case-insensitive match folds more than ASCII: ``UPPER()`` turns a long s (U+017F) into ``S`` and
a dotless i (U+0131) into ``I``, so those spellings found the account while the lockout counted each typed
text on its own. Now the account is found by this key (``User.email_key``, unique) and the lockout counts by
it too, so the two cannot drift apart.
"""

import unicodedata


def email_key(value: str) -> str:
    """NFKC, then upper case, then lower case: a long s gives ``s``, a dotless i gives ``i``.

    Upper before lower folds what lower case alone keeps apart (a dotless i lowers to itself but upper-cases
    to ``I``), and NFKC folds compatibility forms such as the Kelvin sign.
    """
    return unicodedata.normalize("NFKC", value.strip()).upper().lower()
