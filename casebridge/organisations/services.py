"""Writes for users, memberships, organisations and teams: each audited in its own transaction."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from casebridge.audit.models import Action
from casebridge.audit.services import PendingEvent, audit_record, audit_record_batch, changes_between
from casebridge.lib.spreadsheets import looks_like_formula
from casebridge.organisations import permissions
from casebridge.organisations.importing import REQUIRED_COLUMNS, ImportReport, ImportRow, RowError
from casebridge.organisations.models import Membership, Organisation, Partnership, Role, Team
from casebridge.organisations.tasks import invitations_send

if TYPE_CHECKING:
    from casebridge.accounts.models import User


def _invite_after_commit(user_ids: list[int]) -> None:
    if user_ids:
        transaction.on_commit(lambda: invitations_send.enqueue(user_ids))


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _user_snapshot(user: "User") -> dict[str, Any]:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "job_title": user.job_title,
        "team": user.team.name if user.team else None,
    }


@transaction.atomic
def user_invite(
    *,
    actor: "User",
    partnership: Partnership,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    role: str,
    team: Team | None = None,
    job_title: str = "",
) -> "User":
    """Creates a user without a password and emails them a single-use link to set one."""
    from casebridge.accounts.models import User

    _require(permissions.organisations_for_new_users(actor, partnership).filter(pk=organisation.pk).exists())
    _require(role in permissions.roles_assignable_by(actor, partnership))
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": _("Choose a team in %(organisation)s.") % {"organisation": organisation}})
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this email address already exists.")})
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        team=team,
        job_title=job_title,
    )
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, partnership=partnership, role=role)
    details = {"organisation": organisation.name, "role": role, **_user_snapshot(user)}
    audit_record_batch(
        [
            PendingEvent(Action.USER_CREATED, actor=actor, partnership_id=partnership.pk, obj=user, data=details),
            PendingEvent(Action.USER_INVITED, actor=actor, partnership_id=partnership.pk, obj=user),
        ]
    )
    _invite_after_commit([user.pk])
    return user


@transaction.atomic
def user_update(
    *,
    actor: "User",
    partnership: Partnership,
    user: "User",
    first_name: str,
    last_name: str,
    job_title: str,
    team: Team | None,
) -> "User":
    _require(permissions.may_manage_user(actor, partnership, user))
    if team is not None and team.organisation_id != user.organisation_id:
        raise ValidationError({"team": _("Choose a team in the user's organisation.")})
    before = _user_snapshot(user)
    user.first_name, user.last_name, user.job_title, user.team = first_name, last_name, job_title, team
    changes = changes_between(before, _user_snapshot(user))
    if changes:
        user.save(update_fields=["first_name", "last_name", "job_title", "team"])
        audit_record(
            actor=actor, action=Action.USER_CHANGED, partnership_id=partnership.pk, obj=user, data={"changes": changes}
        )
    return user


@transaction.atomic
def membership_set(*, actor: "User", user: "User", partnership: Partnership, role: str) -> Membership:
    """Gives the user this role in the partnership, adding the membership if they have none."""
    _require(permissions.may_set_membership(actor, partnership, user, role))
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot change your own role. Ask another administrator."))
    takes_part = user.organisation_id is not None and (
        Organisation.objects.filter(pk=user.organisation_id, partnerships=partnership).exists()
    )
    if not takes_part:
        raise ValidationError(
            _("%(organisation)s does not take part in %(partnership)s. Add the organisation to the partnership first.")
            % {"organisation": user.organisation or _("The user's organisation"), "partnership": partnership}
        )
    membership = Membership.objects.select_for_update().filter(user=user, partnership=partnership).first()
    if membership is None:
        membership = Membership.objects.create(user=user, partnership=partnership, role=role)
        audit_record(
            actor=actor,
            action=Action.MEMBERSHIP_CREATED,
            partnership_id=partnership.pk,
            obj=user,
            data={"partnership": partnership.code, "role": role},
        )
    elif membership.role != role:
        changes = changes_between({"role": membership.role}, {"role": role})
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(
            actor=actor,
            action=Action.MEMBERSHIP_CHANGED,
            partnership_id=partnership.pk,
            obj=user,
            data={"partnership": partnership.code, "changes": changes},
        )
    return membership


@transaction.atomic
def membership_remove(*, actor: "User", user: "User", partnership: Partnership) -> None:
    _require(permissions.may_set_membership(actor, partnership, user, ""))
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot remove your own membership. Ask another administrator."))
    membership = Membership.objects.select_for_update().filter(user=user, partnership=partnership).first()
    if membership is None:
        return
    membership.delete()
    audit_record(
        actor=actor,
        action=Action.MEMBERSHIP_REMOVED,
        partnership_id=partnership.pk,
        obj=user,
        data={"partnership": partnership.code, "role": membership.role},
    )


def _organisation_name_free(name: str, *, exclude: Organisation | None = None) -> None:
    clash = Organisation.objects.filter(name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError({"name": _("An organisation with this name already exists.")})


@transaction.atomic
def organisation_create(*, actor: "User", partnership: Partnership, name: str, type: str) -> Organisation:
    _require(permissions.may_manage_organisations(actor, partnership))
    _organisation_name_free(name)
    organisation = Organisation.objects.create(name=name, type=type)
    organisation.partnerships.add(partnership)
    audit_record(
        actor=actor,
        action=Action.ORGANISATION_CREATED,
        partnership_id=partnership.pk,
        obj=organisation,
        data={"name": name, "type": type, "partnership": partnership.code},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: "User", partnership: Partnership, organisation: Organisation, name: str, type: str, is_active: bool
) -> Organisation:
    _require(permissions.may_manage_organisation(actor, partnership, organisation))
    _organisation_name_free(name, exclude=organisation)
    before = {"name": organisation.name, "type": organisation.type, "is_active": organisation.is_active}
    after = {"name": name, "type": type, "is_active": is_active}
    changes = changes_between(before, after)
    if changes:
        organisation.name, organisation.type, organisation.is_active = name, type, is_active
        organisation.save(update_fields=["name", "type", "is_active"])
        audit_record(
            actor=actor,
            action=Action.ORGANISATION_CHANGED,
            partnership_id=partnership.pk,
            obj=organisation,
            data={"changes": changes},
        )
    return organisation


@transaction.atomic
def organisation_add_to_partnership(*, actor: "User", partnership: Partnership, organisation: Organisation) -> None:
    _require(permissions.may_manage_organisations(actor, partnership))
    if organisation.partnerships.filter(pk=partnership.pk).exists():
        return
    organisation.partnerships.add(partnership)
    audit_record(
        actor=actor,
        action=Action.ORGANISATION_CHANGED,
        partnership_id=partnership.pk,
        obj=organisation,
        data={"partnership_added": partnership.code},
    )


@transaction.atomic
def team_create(*, actor: "User", partnership: Partnership, organisation: Organisation, name: str) -> Team:
    _require(permissions.may_manage_organisation(actor, partnership, organisation))
    if organisation.teams.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": _("%(organisation)s already has a team with this name.") % {"organisation": organisation}}
        )
    team = Team.objects.create(organisation=organisation, name=name)
    audit_record(
        actor=actor,
        action=Action.TEAM_CREATED,
        partnership_id=partnership.pk,
        obj=team,
        data={"organisation": organisation.name, "name": name},
    )
    return team


def _role_lookup() -> dict[str, str]:
    lookup = {str(value): str(value) for value in Role.values}
    lookup.update({str(label).casefold(): str(value) for value, label in Role.choices})
    return lookup


@transaction.atomic
def users_import(
    *,
    actor: "User | None",
    rows: Sequence[ImportRow],
    partnership: Partnership | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Creates or updates users from onboarding rows; bad rows are reported and skipped.

    ``actor`` None means the system (the ``import_users`` command). A person
    must be an administrator of ``partnership``, and every row must be for it.
    Running the same rows again changes nothing.
    """
    from casebridge.accounts.models import User

    if actor is not None:
        _require(partnership is not None and permissions.may_manage_organisations(actor, partnership))
    report = ImportReport(total=len(rows), dry_run=dry_run)
    partnerships = {p.code.upper(): p for p in Partnership.objects.all()}
    organisations = {o.name.casefold(): o for o in Organisation.objects.filter(is_active=True)}
    taking_part = set(Organisation.partnerships.through.objects.values_list("organisation_id", "partnership_id"))
    roles = _role_lookup()
    emails = {row.values.get("email", "").strip().lower() for row in rows}
    existing: dict[str, User] = {
        u.email.lower(): u for u in User.objects.select_related("team").annotate(e=Lower("email")).filter(e__in=emails)
    }
    existing_memberships = {
        (m.user_id, m.partnership_id): m for m in Membership.objects.filter(user__in=list(existing.values()))
    }
    teams = {
        (t.organisation_id, t.name.casefold()): t
        for t in Team.objects.filter(organisation__in=list(organisations.values()))
    }

    def error(row: ImportRow, column: str, reason: str) -> None:
        report.errors.append(RowError(row.number, column, row.values.get(column, ""), reason))

    seen: dict[str, int] = {}
    plans: list[tuple[ImportRow, str, Organisation, Partnership, str]] = []
    for row in rows:
        values = row.values
        errors_before = len(report.errors)
        for column, value in values.items():
            if looks_like_formula(value):
                error(row, column, _("The cell starts with =, +, -, @ or a tab, which spreadsheets run as a formula."))
        required = (*REQUIRED_COLUMNS, *(() if partnership else ("partnership",)))
        for column in required:
            if not values.get(column):
                error(row, column, _("Enter the %(column)s.") % {"column": column.replace("_", " ")})
        if len(report.errors) > errors_before:
            continue
        email = values["email"].lower()
        try:
            validate_email(email)
        except ValidationError:
            error(row, "email", _("Enter an email address in the correct format, like name@example.org."))
        if email in seen:
            error(row, "email", _("This email address is also on row %(row)s.") % {"row": seen[email]})
        seen.setdefault(email, row.number)
        row_partnership = partnership
        code = values.get("partnership", "").upper()
        if code and partnership is not None and code != partnership.code:
            error(row, "partnership", _("This import is for %(code)s only.") % {"code": partnership.code})
        elif code and partnership is None:
            row_partnership = partnerships.get(code)
            if row_partnership is None:
                error(row, "partnership", _("There is no partnership with this code."))
        organisation = organisations.get(values["organisation"].casefold())
        if organisation is None:
            error(row, "organisation", _("There is no organisation with this name."))
        elif row_partnership is not None and (organisation.pk, row_partnership.pk) not in taking_part:
            error(
                row,
                "organisation",
                _("%(organisation)s does not take part in %(partnership)s.")
                % {"organisation": organisation.name, "partnership": row_partnership.name},
            )
        role = roles.get(values["role"].casefold())
        if role is None:
            error(row, "role", _("The role must be one of: %(roles)s.") % {"roles": ", ".join(Role.values)})
        user = existing.get(email)
        if user is not None and organisation is not None and user.organisation_id != organisation.pk:
            error(row, "email", _("A user with this email address belongs to another organisation."))
        if len(report.errors) == errors_before and organisation and row_partnership and role:
            plans.append((row, email, organisation, row_partnership, role))

    new_teams: dict[tuple[int, str], Team] = {}
    team_partnership: dict[tuple[int, str], int] = {}
    for row, _email, organisation, row_partnership, _role in plans:
        name = row.values.get("team", "")
        key = (organisation.pk, name.casefold())
        if name and key not in teams and key not in new_teams:
            new_teams[key] = Team(organisation=organisation, name=name)
            team_partnership[key] = row_partnership.pk
    events: list[PendingEvent] = []
    for key, team in zip(new_teams, Team.objects.bulk_create(new_teams.values()), strict=True):
        teams[key] = team
        events.append(
            PendingEvent(
                Action.TEAM_CREATED,
                actor=actor,
                partnership_id=team_partnership[key],
                obj=team,
                data={"organisation": team.organisation.name, "name": team.name, "via": "import"},
            )
        )
    report.teams_created = len(new_teams)

    new_users: list[tuple[User, Partnership, str]] = []
    changed_users: list[User] = []
    new_memberships: list[Membership] = []
    changed_memberships: list[Membership] = []
    for row, email, organisation, row_partnership, role in plans:
        values = row.values
        team_key = (organisation.pk, values.get("team", "").casefold())
        row_team = teams.get(team_key) if values.get("team") else None
        found = existing.get(email)
        if found is None:
            user = User(
                email=email,
                first_name=values["first_name"],
                last_name=values["last_name"],
                organisation=organisation,
                team=row_team,
            )
            user.set_unusable_password()
            new_users.append((user, row_partnership, role))
            continue
        user = found
        before = _user_snapshot(user)
        user.first_name, user.last_name = values["first_name"], values["last_name"]
        if row_team is not None:
            user.team = row_team
        changes = changes_between(before, _user_snapshot(user))
        if changes:
            changed_users.append(user)
            events.append(
                PendingEvent(
                    Action.USER_CHANGED,
                    actor=actor,
                    partnership_id=row_partnership.pk,
                    obj=user,
                    data={"changes": changes, "via": "import"},
                )
            )
        membership = existing_memberships.get((user.pk, row_partnership.pk))
        if membership is None:
            membership = Membership(user=user, partnership=row_partnership, role=role)
            existing_memberships[(user.pk, row_partnership.pk)] = membership
            new_memberships.append(membership)
            events.append(
                PendingEvent(
                    Action.MEMBERSHIP_CREATED,
                    actor=actor,
                    partnership_id=row_partnership.pk,
                    obj=user,
                    data={"partnership": row_partnership.code, "role": role, "via": "import"},
                )
            )
        elif membership.role != role:
            events.append(
                PendingEvent(
                    Action.MEMBERSHIP_CHANGED,
                    actor=actor,
                    partnership_id=row_partnership.pk,
                    obj=user,
                    data={
                        "partnership": row_partnership.code,
                        "changes": changes_between({"role": membership.role}, {"role": role}),
                        "via": "import",
                    },
                )
            )
            membership.role = role
            changed_memberships.append(membership)
        else:
            if not changes:
                report.unchanged += 1
                continue
        report.updated += 1

    created = User.objects.bulk_create([user for user, _p, _r in new_users], batch_size=500)
    for new_user, (_u, row_partnership, role) in zip(created, new_users, strict=True):
        new_memberships.append(Membership(user=new_user, partnership=row_partnership, role=role))
        events.append(
            PendingEvent(
                Action.USER_CREATED,
                actor=actor,
                partnership_id=row_partnership.pk,
                obj=new_user,
                data={
                    "organisation": new_user.organisation.name if new_user.organisation else None,
                    "role": role,
                    "via": "import",
                    **_user_snapshot(new_user),
                },
            )
        )
    Membership.objects.bulk_create(new_memberships, batch_size=500)
    User.objects.bulk_update(changed_users, ["first_name", "last_name", "team"], batch_size=500)
    Membership.objects.bulk_update(changed_memberships, ["role"], batch_size=500)
    report.created = len(created)
    report.created_user_ids = [user.pk for user in created]

    summary = {k: v for k, v in report.as_dict().items() if k != "errors"}
    summary["rows_with_errors"] = report.rows_with_errors
    events.append(
        PendingEvent(
            Action.USERS_IMPORTED,
            actor=actor,
            partnership_id=partnership.pk if partnership else None,
            actor_label="" if actor else "import_users command",
            data=summary,
        )
    )
    audit_record_batch(events)
    if dry_run:
        transaction.set_rollback(True)
    else:
        _invite_after_commit(report.created_user_ids)
    return report
