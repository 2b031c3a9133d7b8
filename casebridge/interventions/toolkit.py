"""The default toolkit: informal steps and the ASB, Crime and Policing Act 2014 powers.

Each partnership gets its own copy and may change ages, periods and which steps it uses.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ToolkitStep:
    code: str
    name: str
    rank: int
    min_age: int | None = None
    needs_court: bool = False
    parent_signatory_under_18: bool = False
    subject_kinds: str = "person"
    review_days: int | None = None
    expiry_days: int | None = None


TOOLKIT = [
    ToolkitStep("warning_letter", "Warning letter", 10, subject_kinds="person,organisation", review_days=90),
    ToolkitStep("letter_to_parents", "Letter to parents", 11, review_days=90),
    ToolkitStep(
        "abc",
        "Acceptable Behaviour Contract",
        20,
        min_age=10,
        parent_signatory_under_18=True,
        review_days=182,
        expiry_days=365,
    ),
    ToolkitStep(
        "cpw", "Community Protection Warning", 30, min_age=16, subject_kinds="person,organisation", review_days=28
    ),
    ToolkitStep(
        "cpn", "Community Protection Notice", 31, min_age=16, subject_kinds="person,organisation", review_days=90
    ),
    ToolkitStep(
        "fixed_penalty", "Fixed penalty notice", 32, min_age=16, subject_kinds="person,organisation", review_days=14
    ),
    ToolkitStep("dispersal", "Dispersal direction", 35, min_age=10, expiry_days=2),
    ToolkitStep(
        "pspo", "Public Spaces Protection Order", 40, subject_kinds="location", review_days=365, expiry_days=1095
    ),
    ToolkitStep(
        "civil_injunction", "Civil Injunction", 50, min_age=10, needs_court=True, review_days=182, expiry_days=365
    ),
    ToolkitStep("closure_notice", "Closure notice", 55, subject_kinds="location", expiry_days=2),
    ToolkitStep(
        "closure_order", "Closure order", 56, needs_court=True, subject_kinds="location", review_days=30, expiry_days=90
    ),
    ToolkitStep("cbo", "Criminal Behaviour Order", 60, min_age=10, needs_court=True, review_days=365, expiry_days=730),
    ToolkitStep("possession", "Possession proceedings", 70, needs_court=True, review_days=90),
]
