"""Creating and updating users from onboarding rows (``importing`` reads the CSV).

Every lookup is read once for the whole import; each row is then checked, the good rows are applied
in memory, and the users, memberships and teams are written in bulk with their audit events.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from casebridge.accounts.email_key import email_key
from casebridge.accounts.models import User
from casebridge.accounts.staff import permissions
from casebridge.accounts.staff.events import user_events
from casebridge.accounts.staff.importing import REQUIRED_COLUMNS, ImportReport, ImportRow, RowError
from casebridge.accounts.staff.services import invite_after_commit, membership_events, user_snapshot
from casebridge.audit.models import Action
from casebridge.audit.services import PendingEvent, audit_record_batch, changes_between
from casebridge.lib.actors import require
from casebridge.lib.spreadsheets import looks_like_formula
from casebridge.organisations import services as organisation_services
from casebridge.organisations.models import Membership, Organisation, Partnership, Role, Team


def _role_lookup() -> dict[str, str]:
    lookup = {str(value): str(value) for value in Role.values}
    lookup.update({str(label).casefold(): str(value) for value, label in Role.choices})
    return lookup


@dataclass
class _Known:
    """What the rows are checked against and applied to, read once for the whole import."""

    partnerships: dict[str, Partnership]
    organisations: dict[str, Organisation]
    taking_part: set[tuple[int, int]]
    roles: dict[str, str]
    # Existing users by email_key, so a row finds the account the address signs in to.
    users: dict[str, User]
    memberships: dict[tuple[int, int], Membership]
    teams: dict[tuple[int, str], Team]
    # Whether the importer may add teams to an organisation, by (organisation, partnership), as asked.
    team_adders: dict[tuple[int, int], bool] = field(default_factory=dict)

    def roles_of(self, user: User) -> dict[int, str]:
        """The user's role in each partnership, as the rows applied so far leave it."""
        return {pid: m.role for (uid, pid), m in self.memberships.items() if uid == user.pk}

    def partnership_name(self, partnership_id: int) -> str:
        return next((p.name for p in self.partnerships.values() if p.pk == partnership_id), "")


@dataclass(frozen=True)
class _GoodRow:
    """A row that passed every check, with the records it names."""

    row: ImportRow
    email: str
    organisation: Organisation
    partnership: Partnership
    role: str


@dataclass
class _Writes:
    """What the good rows add up to, written in bulk once every row is applied."""

    events: list[PendingEvent] = field(default_factory=list)
    new_users: list[tuple[User, Partnership, str]] = field(default_factory=list)
    changed_users: list[User] = field(default_factory=list)
    new_memberships: list[Membership] = field(default_factory=list)
    changed_memberships: list[Membership] = field(default_factory=list)


# Reports an error on the row being checked: (column, reason).
_ReportError = Callable[[str, str], None]


@transaction.atomic
def users_import(
    *,
    actor: User | None,
    rows: Sequence[ImportRow],
    partnership: Partnership | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Creates or updates users from onboarding rows; bad rows are reported and skipped.

    ``actor`` None means the system (the ``import_users`` command). A person
    must be an administrator of ``partnership``, and every row must be for it.
    Running the same rows again changes nothing.
    """
    if actor is not None:
        require(partnership is not None and permissions.may_import_users(actor, partnership))
    report = ImportReport(total=len(rows), dry_run=dry_run)
    known = _known_read(rows)
    seen: dict[str, int] = {}
    good = []
    for row in rows:
        checked = _row_check(row, actor=actor, partnership=partnership, known=known, seen=seen, report=report)
        if checked is not None:
            good.append(checked)
    writes = _Writes()
    report.teams_created = _teams_create(good, actor=actor, known=known, writes=writes)
    for checked in good:
        _row_apply(checked, actor=actor, known=known, writes=writes, report=report)
    _writes_save(writes, actor=actor, report=report)
    writes.events.append(_report_event(report, actor=actor, partnership=partnership))
    audit_record_batch(writes.events)
    if dry_run:
        transaction.set_rollback(True)
    else:
        invite_after_commit(report.created_user_ids)
    return report


def _known_read(rows: Sequence[ImportRow]) -> _Known:
    """The partnerships, organisations, roles and teams rows may name, and the users they are about."""
    partnerships = {p.code.upper(): p for p in Partnership.objects.all()}
    organisations = {o.name.casefold(): o for o in Organisation.objects.filter(is_active=True)}
    taking_part = set(Organisation.partnerships.through.objects.values_list("organisation_id", "partnership_id"))
    keys = {email_key(row.values.get("email", "")) for row in rows}
    users = {u.email_key: u for u in User.objects.select_related("team").filter(email_key__in=keys)}
    memberships = {(m.user_id, m.partnership_id): m for m in Membership.objects.filter(user__in=list(users.values()))}
    teams = {
        (t.organisation_id, t.name.casefold()): t
        for t in Team.objects.filter(organisation__in=list(organisations.values()))
    }
    return _Known(partnerships, organisations, taking_part, _role_lookup(), users, memberships, teams)


def _row_check(
    row: ImportRow,
    *,
    actor: User | None,
    partnership: Partnership | None,
    known: _Known,
    seen: dict[str, int],
    report: ImportReport,
) -> _GoodRow | None:
    """The row's meaning if every cell is good; otherwise ``None``, with its errors on the report.

    ``seen`` maps each email_key to the first row that has it, across the rows checked so far.
    """

    def error(column: str, reason: str) -> None:
        report.errors.append(RowError(row.number, column, row.values.get(column, ""), reason))

    errors_before = len(report.errors)
    _cells_check(row, needs_partnership=partnership is None, error=error)
    if len(report.errors) > errors_before:
        return None
    values = row.values
    email = values["email"].lower()
    _email_check(email, row=row, seen=seen, error=error)
    row_partnership = _row_partnership(values.get("partnership", "").upper(), partnership, known=known, error=error)
    organisation = _row_organisation(values["organisation"], row_partnership, known=known, error=error)
    role = known.roles.get(values["role"].casefold())
    if role is None:
        error("role", _("The role must be one of: %(roles)s.") % {"roles": ", ".join(Role.values)})
    user = known.users.get(email_key(email))
    if user is not None and organisation is not None and user.organisation_id != organisation.pk:
        error("email", _("A user with this email address belongs to another organisation."))
    if len(report.errors) == errors_before and organisation and row_partnership and role:
        checked = _GoodRow(row, email, organisation, row_partnership, role)
        if actor is not None:
            _importer_check(checked, user, actor=actor, known=known, error=error)
        if len(report.errors) == errors_before:
            return checked
    return None


def _importer_check(checked: _GoodRow, user: User | None, *, actor: User, known: _Known, error: _ReportError) -> None:
    """What the row would change must be the importer's to change: the rules of ``permissions``.

    A row that would change nothing is never refused.
    """
    partnership, organisation, values = checked.partnership, checked.organisation, checked.row.values
    team_name = values.get("team", "")
    if team_name and (organisation.pk, team_name.casefold()) not in known.teams:
        key = (organisation.pk, partnership.pk)
        if key not in known.team_adders:
            known.team_adders[key] = permissions.may_change_organisation(actor, partnership, organisation)
        if not known.team_adders[key]:
            error(
                "team",
                _(
                    "%(organisation)s has no team with this name, and only its own managers can add one: "
                    "it also takes part in other partnerships."
                )
                % {"organisation": organisation.name},
            )
    if user is None:
        return
    roles = known.roles_of(user)
    others = ", ".join(sorted(known.partnership_name(pid) for pid in roles if pid != partnership.pk))
    names = {"others": others, "organisation": organisation.name}
    team = known.teams.get((organisation.pk, team_name.casefold())) if team_name else None
    renames = (values["first_name"], values["last_name"]) != (user.first_name, user.last_name)
    moves = team_name != "" and (team is None or team.pk != user.team_id)
    if (renames or moves) and not permissions.owns_account(actor, user, partnership=partnership, user_roles=roles):
        error(
            "email",
            _(
                "This person also has a role in %(others)s, so only a manager of %(organisation)s can change "
                "their name or team. Copy their name and team as they are, or ask %(organisation)s."
            )
            % names,
        )
    if roles.get(partnership.pk) != checked.role and not permissions.may_set_membership(
        actor, partnership, user, checked.role, user_roles=roles
    ):
        error(
            "role",
            _(
                "This person also has a role in %(others)s, so you cannot give or change their role here. "
                "Ask a manager of %(organisation)s, or an administrator of every partnership they work in."
            )
            % names
            if others
            else _("You cannot give this role to this person."),
        )


def _cells_check(row: ImportRow, *, needs_partnership: bool, error: _ReportError) -> None:
    """No cell a spreadsheet would run as a formula, and every required cell filled in."""
    for column, value in row.values.items():
        if looks_like_formula(value):
            error(column, _("The cell starts with =, +, -, @ or a tab, which spreadsheets run as a formula."))
    required = (*REQUIRED_COLUMNS, *(("partnership",) if needs_partnership else ()))
    for column in required:
        if not row.values.get(column):
            error(column, _("Enter the %(column)s.") % {"column": column.replace("_", " ")})


def _email_check(email: str, *, row: ImportRow, seen: dict[str, int], error: _ReportError) -> None:
    try:
        validate_email(email)
    except ValidationError:
        error("email", _("Enter an email address in the correct format, like name@example.org."))
    key = email_key(email)
    if key in seen:
        error("email", _("This email address is also on row %(row)s.") % {"row": seen[key]})
    seen.setdefault(key, row.number)


def _row_partnership(
    code: str, partnership: Partnership | None, *, known: _Known, error: _ReportError
) -> Partnership | None:
    """The import's partnership, which the row may only repeat; without one, the partnership the row names."""
    if code and partnership is not None and code != partnership.code:
        error("partnership", _("This import is for %(code)s only.") % {"code": partnership.code})
    elif code and partnership is None:
        found = known.partnerships.get(code)
        if found is None:
            error("partnership", _("There is no partnership with this code."))
        return found
    return partnership


def _row_organisation(
    name: str, partnership: Partnership | None, *, known: _Known, error: _ReportError
) -> Organisation | None:
    organisation = known.organisations.get(name.casefold())
    if organisation is None:
        error("organisation", _("There is no organisation with this name."))
    elif partnership is not None and (organisation.pk, partnership.pk) not in known.taking_part:
        error(
            "organisation",
            _("%(organisation)s does not take part in %(partnership)s.")
            % {"organisation": organisation.name, "partnership": partnership.name},
        )
    return organisation


def _teams_create(good: list[_GoodRow], *, actor: User | None, known: _Known, writes: _Writes) -> int:
    """Creates the teams the rows name that do not exist yet; returns how many."""
    new_teams: dict[tuple[int, str], Team] = {}
    team_partnership: dict[tuple[int, str], int] = {}
    for checked in good:
        name = checked.row.values.get("team", "")
        key = (checked.organisation.pk, name.casefold())
        if name and key not in known.teams and key not in new_teams:
            new_teams[key] = Team(organisation=checked.organisation, name=name)
            team_partnership[key] = checked.partnership.pk
    for key, team in zip(new_teams, organisation_services.teams_bulk_create(teams=new_teams.values()), strict=True):
        known.teams[key] = team
        writes.events.append(
            PendingEvent(
                Action.TEAM_CREATED,
                actor=actor,
                partnership_id=team_partnership[key],
                obj=team,
                data={"organisation": team.organisation.name, "name": team.name, "via": "import"},
            )
        )
    return len(new_teams)


def _row_apply(checked: _GoodRow, *, actor: User | None, known: _Known, writes: _Writes, report: ImportReport) -> None:
    """A new user waits for the bulk create; an existing one gets the row's details and role."""
    values = checked.row.values
    team = known.teams.get((checked.organisation.pk, values.get("team", "").casefold())) if values.get("team") else None
    user = known.users.get(email_key(checked.email))
    if user is None:
        user = User(
            email=checked.email,
            first_name=values["first_name"],
            last_name=values["last_name"],
            organisation=checked.organisation,
            team=team,
        )
        user.set_unusable_password()
        writes.new_users.append((user, checked.partnership, checked.role))
        return
    details_changed = _user_details_apply(user, checked, team, actor=actor, known=known, writes=writes)
    role_changed = _membership_apply(user, checked, actor=actor, known=known, writes=writes)
    if details_changed or role_changed:
        report.updated += 1
    else:
        report.unchanged += 1


def _user_details_apply(
    user: User, checked: _GoodRow, team: Team | None, *, actor: User | None, known: _Known, writes: _Writes
) -> bool:
    """The row's names and team (a blank team leaves the user's); whether anything changed."""
    before = user_snapshot(user)
    user.first_name, user.last_name = checked.row.values["first_name"], checked.row.values["last_name"]
    if team is not None:
        user.team = team
    changes = changes_between(before, user_snapshot(user))
    if changes:
        writes.changed_users.append(user)
        writes.events.extend(
            user_events(
                Action.USER_CHANGED,
                actor=actor,
                user=user,
                partnership_ids={*known.roles_of(user), checked.partnership.pk},
                acting_in=checked.partnership,
                data={"changes": changes, "via": "import"},
            )
        )
    return bool(changes)


def _membership_apply(user: User, checked: _GoodRow, *, actor: User | None, known: _Known, writes: _Writes) -> bool:
    """The row's role in its partnership, adding the membership if missing; whether anything changed."""
    partnership, role = checked.partnership, checked.role
    membership = known.memberships.get((user.pk, partnership.pk))
    if membership is None:
        membership = Membership(user=user, partnership=partnership, role=role)
        known.memberships[(user.pk, partnership.pk)] = membership
        writes.new_memberships.append(membership)
        writes.events.extend(
            membership_events(
                Action.MEMBERSHIP_CREATED,
                actor,
                user,
                partnership,
                partnership_ids=known.roles_of(user),
                role=role,
                via="import",
            )
        )
        return True
    if membership.role == role:
        return False
    changes = changes_between({"role": membership.role}, {"role": role})
    writes.events.extend(
        membership_events(
            Action.MEMBERSHIP_CHANGED,
            actor,
            user,
            partnership,
            partnership_ids=known.roles_of(user),
            changes=changes,
            via="import",
        )
    )
    membership.role = role
    writes.changed_memberships.append(membership)
    return True


def _writes_save(writes: _Writes, *, actor: User | None, report: ImportReport) -> None:
    """Creates the new users with their memberships and saves the changed ones, in bulk."""
    created = User.objects.bulk_create([user for user, _p, _r in writes.new_users], batch_size=500)
    for new_user, (_u, partnership, role) in zip(created, writes.new_users, strict=True):
        writes.new_memberships.append(Membership(user=new_user, partnership=partnership, role=role))
        writes.events.append(
            PendingEvent(
                Action.USER_CREATED,
                actor=actor,
                partnership_id=partnership.pk,
                obj=new_user,
                data={
                    "organisation": new_user.organisation.name if new_user.organisation else None,
                    "role": role,
                    "via": "import",
                    **user_snapshot(new_user),
                },
            )
        )
    organisation_services.memberships_bulk_create(memberships=writes.new_memberships)
    User.objects.bulk_update(writes.changed_users, ["first_name", "last_name", "team"], batch_size=500)
    organisation_services.memberships_bulk_role_change(memberships=writes.changed_memberships)
    report.created = len(created)
    report.created_user_ids = [user.pk for user in created]


def _report_event(report: ImportReport, *, actor: User | None, partnership: Partnership | None) -> PendingEvent:
    """The import's summary for the audit: its counts, without the rows' values."""
    summary = {k: v for k, v in report.as_dict().items() if k != "errors"}
    summary["rows_with_errors"] = report.rows_with_errors
    return PendingEvent(
        Action.USERS_IMPORTED,
        actor=actor,
        partnership_id=partnership.pk if partnership else None,
        actor_label="" if actor else "import_users command",
        data=summary,
    )
