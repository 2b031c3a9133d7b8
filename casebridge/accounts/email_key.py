"""The one canonical form of an email address, for finding an account and counting its failed sign-ins.

PostgreSQL's case-insensitive match folds more than ASCII: ``UPPER()`` turns a long s (U+017F) into ``S`` and
a dotless i (U+0131) into ``I``, so those spellings found the account while the lockout counted each typed
text on its own. Now the account is found by this key (``User.email_key``, unique) and the lockout counts by
it too, so the two cannot drift apart.
"""

import unicodedata


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).upper().lower()).strip()


def email_key(value: str) -> str:
    """NFKC, then upper case, then lower case: a long s gives ``s``, a dotless i gives ``i``.

    Upper before lower folds what lower case alone keeps apart (a dotless i lowers to itself but upper-cases
    to ``I``), and NFKC folds compatibility forms such as the Kelvin sign. Folding can itself produce text that
    folds further (a spacing diaeresis becomes a space and a combining mark), so it is repeated until nothing
    changes: the key of a key is itself.
    """
    key = _fold(value)
    for _ in range(8):  # bounded: a crafted address must not keep a sign-in busy
        again = _fold(key)
        if again == key:
            break
        key = again
    return key
