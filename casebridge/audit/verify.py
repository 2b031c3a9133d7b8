"""Proving that no audit event was altered, removed or inserted."""

from dataclasses import dataclass

from casebridge.audit.chain import ChainProblem, find_problem
from casebridge.audit.models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    problem: ChainProblem | None


def audit_verify() -> VerifyResult:
    heads = {head.chain: head for head in AuditChainHead.objects.all()}
    chains = set(heads) | set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    checked = 0
    for chain in sorted(chains):
        head = heads.get(chain)
        if head is None:
            return VerifyResult(checked, ChainProblem(chain, None, None, "has events but no head"))
        events = AuditEvent.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=5000)
        counted = _Counter(events)
        problem = find_problem(counted, chain=chain, head_seq=head.seq, head_hash=head.hash)
        checked += counted.count
        if problem:
            return VerifyResult(checked, problem)
    return VerifyResult(checked, None)


class _Counter:
    def __init__(self, iterable: object) -> None:
        self._iterator = iter(iterable)  # type: ignore[call-overload]
        self.count = 0

    def __iter__(self) -> "_Counter":
        return self

    def __next__(self) -> AuditEvent:
        item: AuditEvent = next(self._iterator)
        self.count += 1
        return item
