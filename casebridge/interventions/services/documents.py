"""Documents filed on an intervention."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from casebridge.accounts.models import User
from casebridge.audit.models import Action
from casebridge.audit.services import audit_record
from casebridge.cases import services as case_services
from casebridge.cases.models import Document, Restriction
from casebridge.interventions.models import Intervention, InterventionDocument


@transaction.atomic
def intervention_document_add(
    *,
    actor: User,
    intervention: Intervention,
    file: UploadedFile,
    title: str,
    restriction: str = Restriction.NONE,
    restricted_to: list[User] | None = None,
) -> Document:
    """Files a document on the intervention: a case document (same checks, storage, audit and policy), linked."""
    case = intervention.case
    document = case_services.document_upload(
        actor=actor, case=case, file=file, title=title, restriction=restriction, restricted_to=restricted_to
    )
    InterventionDocument.objects.create(intervention=intervention, document=document)
    audit_record(
        actor=actor,
        action=Action.CHANGED,
        partnership_id=case.partnership_id,
        obj=intervention,
        data={"case": case.reference, "document_added": str(document.public_id)},
    )
    return document
