"""Assessment templates written for Casebridge, and the interventions toolkit, for every partnership.

Idempotent: a template that already exists (by code) is left alone, so an administrator's own
versions survive a second run. The wording is Casebridge's own; the graded profile is a generic
example that a partnership licensed for a published tool replaces with that tool's content.
"""

from typing import Any, TextIO

from django.db import transaction

from casebridge.assessments import services
from casebridge.assessments.models import AssessmentTemplate, QuestionKind, TemplateKind
from casebridge.interventions.services import intervention_types_seed
from casebridge.organisations.models import Membership, Partnership, Role

YES, NO = "Yes", "No"


def yes_no(yes: int) -> list[tuple[str, int]]:
    return [(YES, yes), (NO, 0)]


# (code, name, kind, description, sections, bands)
# section: (title, [question]); question: dict for services.question_add, "show_if": (code, value)
# band: (code, label, min_score, review_days, is_high)
TEMPLATES: list[dict[str, Any]] = [
    {
        "code": "asb-victim-risk",
        "name": "ASB victim risk and vulnerability assessment",
        "kind": TemplateKind.RISK,
        "description": "Complete at first contact and at every review. Scores fall into standard, medium or high "
        "risk; high risk is referred to a CHaRMM or the Community MARAC.",
        "sections": [
            (
                "Repeat victimisation",
                [
                    {
                        "code": "incidents-3-months",
                        "text": "How many incidents has the victim reported in the last three months, "
                        "including this one?",
                        "kind": QuestionKind.CHOICE,
                        "options": [("One", 0), ("Two", 2), ("Three or more", 5)],
                        "required": True,
                        "hint": "Three similar incidents in three months makes the victim a repeat victim.",
                    },
                    {
                        "code": "targeted",
                        "text": "Has the victim been targeted because of who they are?",
                        "hint": "For example their race, religion, disability, sexual orientation or transgender "
                        "identity.",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(4),
                        "required": True,
                    },
                    {
                        "code": "violence",
                        "text": "Has violence been used or threatened against the victim?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(4),
                        "required": True,
                    },
                    {
                        "code": "weapon",
                        "text": "Was a weapon used or mentioned?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(3),
                        "required": True,
                        "show_if": ("violence", "yes"),
                    },
                ],
            ),
            (
                "Personal vulnerability",
                [
                    {
                        "code": "health-condition",
                        "text": "Does the victim have a physical or mental health condition or disability that the "
                        "behaviour makes worse?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(3),
                        "required": True,
                    },
                    {
                        "code": "age",
                        "text": "Is the victim under 18 or aged 75 or over?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(2),
                    },
                    {
                        "code": "dependence",
                        "text": "Does the victim depend on others for care, or misuse alcohol or drugs?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(2),
                    },
                ],
            ),
            (
                "Situational vulnerability",
                [
                    {
                        "code": "isolated",
                        "text": "Does the victim live alone or have little support from family, friends or neighbours?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(2),
                    },
                    {
                        "code": "close-by",
                        "text": "Does the person causing the behaviour live next door or very close by?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(2),
                    },
                    {
                        "code": "cannot-move",
                        "text": "Is the victim unable to move away, for example because of their tenancy, money or "
                        "care needs?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(1),
                    },
                ],
            ),
            (
                "Incidental vulnerability and impact",
                [
                    {
                        "code": "daily-life",
                        "text": "How much is the behaviour affecting the victim's daily life?",
                        "kind": QuestionKind.SCALE,
                        "options": [
                            ("1: not at all", 0),
                            ("2: a little", 1),
                            ("3: moderately", 2),
                            ("4: severely", 3),
                            ("5: they cannot carry on with daily life", 4),
                        ],
                        "required": True,
                    },
                    {
                        "code": "unsafe-at-home",
                        "text": "Has the victim said they feel unsafe in their home?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(3),
                        "required": True,
                    },
                    {
                        "code": "self-harm",
                        "text": "Has the victim thought about harming themselves because of the behaviour?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(5),
                        "required": True,
                    },
                    {
                        "code": "other-support",
                        "text": "Which other agencies are already supporting the victim?",
                        "kind": QuestionKind.TEXT,
                    },
                    {
                        "code": "last-contact",
                        "text": "Date the victim was last contacted",
                        "kind": QuestionKind.DATE,
                    },
                ],
            ),
        ],
        "bands": [
            ("standard", "Standard", 0, 56, False),
            ("medium", "Medium", 10, 28, False),
            ("high", "High", 20, 14, True),
        ],
    },
    {
        "code": "asb-perpetrator-risk",
        "name": "ASB perpetrator risk assessment",
        "kind": TemplateKind.RISK,
        "description": "The risk the person poses and the needs behind the behaviour; informs the escalation of "
        "interventions.",
        "sections": [
            (
                "The behaviour",
                [
                    {
                        "code": "frequency",
                        "text": "How often has the behaviour happened in the last three months?",
                        "kind": QuestionKind.CHOICE,
                        "options": [("Once", 0), ("Two to five times", 2), ("More than five times", 4)],
                        "required": True,
                    },
                    {
                        "code": "violence",
                        "text": "Has the person used or threatened violence?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(4),
                        "required": True,
                    },
                    {
                        "code": "weapon",
                        "text": "Has the person carried or used a weapon?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(4),
                        "required": True,
                        "show_if": ("violence", "yes"),
                    },
                    {
                        "code": "targeted",
                        "text": "Is the behaviour aimed at a particular person or household?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(2),
                    },
                    {
                        "code": "hate",
                        "text": "Is the behaviour motivated by hostility towards who someone is?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(3),
                    },
                ],
            ),
            (
                "Circumstances and needs",
                [
                    {
                        "code": "safeguarding",
                        "text": "Are there safeguarding concerns about the person, for example exploitation?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(3),
                        "required": True,
                    },
                    {
                        "code": "substances",
                        "text": "Does the person misuse alcohol or drugs?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(2),
                    },
                    {
                        "code": "mental-health",
                        "text": "Does the person have a mental health need that is not being met?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(2),
                    },
                    {
                        "code": "earlier-breach",
                        "text": "Has the person breached an earlier warning, contract, notice or order?",
                        "kind": QuestionKind.YES_NO,
                        "options": yes_no(3),
                        "required": True,
                    },
                ],
            ),
            (
                "Engagement",
                [
                    {
                        "code": "engagement",
                        "text": "How well is the person engaging with support?",
                        "kind": QuestionKind.SCALE,
                        "options": [
                            ("1: fully engaged", 0),
                            ("2: mostly engaged", 1),
                            ("3: engages now and then", 2),
                            ("4: rarely engages", 3),
                            ("5: refuses all contact", 4),
                        ],
                        "required": True,
                    },
                    {
                        "code": "protective-factors",
                        "text": "What is helping the person to change?",
                        "kind": QuestionKind.TEXT,
                    },
                ],
            ),
        ],
        "bands": [
            ("standard", "Standard", 0, 56, False),
            ("medium", "Medium", 8, 28, False),
            ("high", "High", 16, 14, True),
        ],
    },
    {
        "code": "household-needs-profile",
        "name": "Household needs profile (example)",
        "kind": TemplateKind.GRADED_PROFILE,
        "description": "An example of a graded profile: each area graded from 1 (needs fully met) to 5 (needs not "
        "met). A partnership licensed for a published graded tool replaces these areas with that tool's content.",
        "sections": [
            (
                "Areas",
                [
                    {"code": code, "text": text, "kind": QuestionKind.SCALE, "required": True}
                    for code, text in [
                        ("home", "The home is safe, warm and in a fit state"),
                        ("routines", "Meals, sleep and daily routines are kept"),
                        ("supervision", "Children are supervised as their age needs"),
                        ("education", "Children attend school or nursery"),
                        ("health", "Health appointments are kept"),
                    ]
                ],
            )
        ],
        "bands": [
            ("standard", "Standard", 0, 90, False),
            ("medium", "Medium", 13, 42, False),
            ("high", "High", 19, 14, True),
        ],
    },
]


def administrator_of(partnership: Partnership) -> Any:
    membership = (
        Membership.objects.filter(partnership=partnership, role=Role.ADMINISTRATOR, user__is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def templates_seed(*, partnership: Partnership, actor: Any) -> int:
    """Create and publish the Casebridge templates a partnership does not have yet."""
    created = 0
    for spec in TEMPLATES:
        if AssessmentTemplate.objects.filter(partnership=partnership, code=spec["code"]).exists():
            continue
        template = services.template_create(
            actor=actor,
            partnership=partnership,
            name=spec["name"],
            code=spec["code"],
            kind=spec["kind"],
            description=spec["description"],
        )
        version = template.versions.get()
        questions: dict[str, Any] = {}
        for title, question_specs in spec["sections"]:
            section = services.section_add(actor=actor, version=version, title=title)
            for question_spec in question_specs:
                fields = dict(question_spec)
                show_if = fields.pop("show_if", None)
                if show_if:
                    fields["show_if_question"] = questions[show_if[0]]
                    fields["show_if_value"] = show_if[1]
                questions[fields["code"]] = services.question_add(actor=actor, section=section, **fields)
        for code, label, min_score, review_days, is_high in spec["bands"]:
            services.band_add(
                actor=actor,
                version=version,
                code=code,
                label=label,
                min_score=min_score,
                review_days=review_days,
                is_high=is_high,
            )
        services.version_publish(actor=actor, version=version)
        created += 1
    return created


def seed_risk_toolkit(stdout: TextIO) -> None:
    """For seed_demo: templates (published by each partnership's administrator) and intervention types."""
    for partnership in Partnership.objects.order_by("code"):
        types = intervention_types_seed(partnership=partnership)
        admin = administrator_of(partnership)
        templates = templates_seed(partnership=partnership, actor=admin) if admin else 0
        stdout.write(f"{partnership.code}: {templates} assessment templates and {types} intervention types added.")
