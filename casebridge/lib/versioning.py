"""Optimistic locking's one error: an edit based on an old version of a record is refused."""

from typing import Any

from django.utils.translation import gettext as _


class StaleWriteError(Exception):
    """Someone else changed the record after the editor opened it; ``changes`` says what."""

    def __init__(self, changes: dict[str, dict[str, Any]], current_version: int) -> None:
        self.changes = changes
        self.current_version = current_version
        fields = ", ".join(sorted(changes)) or _("its details")
        super().__init__(
            _(
                "Someone else changed this record after you opened it (%(fields)s). "
                "Nothing you entered was saved: check their changes below and make your edit again."
            )
            % {"fields": fields}
        )
