"""The beneficiary's requirements: entered one by one or by file (all or nothing; the same
file twice changes nothing), and their status as plans, orders and deliveries reach them."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.errors import FileRejected, Message, RowError, _
from coalition.governance.models import Category, Coalition
from coalition.procurement import needsfile
from coalition.procurement.models import (
    PlanRun,
    PlanSource,
    PlanStatus,
    Requirement,
    RequirementStatus,
)
from coalition.tabular import Source


@dataclass(frozen=True)
class NeedsImport:
    rows: int
    created: list[str]
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.created)


def _same(stored: Requirement, row: needsfile.NeedRow) -> bool:
    return (
        stored.category_id == row.category
        and stored.quantity == row.quantity
        and stored.weight == row.weight
        and stored.needed_by == row.needed_by
        and stored.priority == row.priority
        and stored.note == row.note
    )


def _check_against_store(
    *, coalition: Coalition, rows: list[needsfile.NeedRow], file: str
) -> tuple[list[needsfile.NeedRow], int, list[RowError]]:
    """The rows to create, how many are already stored as given, and the rows that name an
    unknown category or change a stored requirement (a requirement is never edited by a
    file: its orders may already refer to it)."""
    categories = set(Category.objects.values_list("slug", flat=True))
    stored = {
        r.reference: r
        for r in Requirement.objects.filter(
            coalition=coalition, reference__in=[row.reference for row in rows]
        )
    }
    new: list[needsfile.NeedRow] = []
    unchanged = 0
    errors: list[RowError] = []
    for row in rows:
        if row.category not in categories:
            known = ", ".join(sorted(categories))
            errors.append(
                RowError(
                    file,
                    row.row,
                    "category",
                    Message(
                        _("unknown category '%(value)s' (%(known)s)"),
                        value=row.category,
                        known=known,
                    ),
                )
            )
        elif row.reference not in stored:
            new.append(row)
        elif _same(stored[row.reference], row):
            unchanged += 1
        else:
            errors.append(
                RowError(
                    file,
                    row.row,
                    "reference",
                    Message(
                        _("requirement %(reference)s is already recorded with other values"),
                        reference=row.reference,
                    ),
                )
            )
    return new, unchanged, errors


def _lock(coalition: Coalition) -> None:
    Coalition.objects.select_for_update().filter(pk=coalition.pk).first()


def _create(
    *, actor: Actor, coalition: Coalition, rows: list[needsfile.NeedRow]
) -> list[Requirement]:
    return Requirement.objects.bulk_create(
        [
            Requirement(
                coalition=coalition,
                reference=row.reference,
                category_id=row.category,
                quantity=row.quantity,
                weight=row.weight,
                needed_by=row.needed_by,
                priority=row.priority,
                note=row.note,
                created_by_id=actor.user_id,
            )
            for row in rows
        ]
    )


def _summary(row: needsfile.NeedRow) -> dict[str, Any]:
    return {
        "reference": row.reference,
        "category": row.category,
        "quantity": row.quantity,
        "weight": row.weight,
        "needed_by": row.needed_by,
        "priority": row.priority,
    }


def requirements_import(
    *, actor: Actor, coalition: Coalition, data: Source, name: str
) -> NeedsImport:
    """Import a requirements file (docs/CONTRACT.md); any error refuses the whole file,
    naming its row and column; rows already stored as given are skipped."""
    require(actor, "requirement.enter", coalition=coalition)
    rows, errors = needsfile.parse(data, name)
    return _requirements_write(
        actor=actor, coalition=coalition, rows=rows, errors=errors, file=name
    )


@transaction.atomic
def _requirements_write(
    *,
    actor: Actor,
    coalition: Coalition,
    rows: list[needsfile.NeedRow],
    errors: list[RowError],
    file: str,
) -> NeedsImport:
    _lock(coalition)
    new, unchanged, problems = _check_against_store(coalition=coalition, rows=rows, file=file)
    errors = errors + problems
    if errors:
        raise FileRejected(sorted(errors, key=lambda e: (e.row or 0, e.column or "")))
    _create(actor=actor, coalition=coalition, rows=new)
    if new:
        audit_record(
            actor=actor,
            action="requirements.imported",
            object_type="coalition",
            object_id=coalition.slug,
            changes={"file": file, "rows": len(rows), "created": [_summary(r) for r in new]},
        )
    return NeedsImport(rows=len(rows), created=[r.reference for r in new], unchanged=unchanged)


@transaction.atomic
def requirement_create(
    *,
    actor: Actor,
    coalition: Coalition,
    reference: str,
    category: str,
    quantity: int | str,
    weight: Decimal | str,
    needed_by: date | str,
    priority: str = "normal",
    note: str = "",
) -> Requirement:
    """Enter one requirement by hand: the rules of a one-row requirements file, and a
    reference already used is refused."""
    require(actor, "requirement.enter", coalition=coalition)
    raw: dict[str, object] = {
        "reference": reference,
        "category": category,
        "quantity": str(quantity),
        "weight": str(weight),
        "needed_by": needed_by,
        "priority": priority,
        "note": note,
    }
    row, errors = needsfile.check_row("requirement", 0, raw)
    _lock(coalition)
    if row is not None:
        new, _unchanged, problems = _check_against_store(
            coalition=coalition, rows=[row], file="requirement"
        )
        errors += problems
        if not errors and not new:
            taken = Message(_("%(reference)s is taken"), reference=row.reference)
            errors.append(RowError("requirement", 0, "reference", taken))
    if errors or row is None:
        raise FileRejected([replace(e, row=None) for e in errors])
    created = _create(actor=actor, coalition=coalition, rows=[row])[0]
    audit_record(
        actor=actor,
        action="requirement.created",
        object_type="requirement",
        object_id=f"{coalition.slug}:{row.reference}",
        changes=_summary(row) | {"note": row.note},
    )
    return created


def _in_plans_awaiting_approval(requirement_ids: set[int]) -> set[int]:
    """The requirements that a finished plan built from the database assigns units to,
    while that plan awaits approval."""
    runs = PlanRun.objects.filter(
        source=PlanSource.DATABASE, status=PlanStatus.DONE, approved_at__isnull=True
    ).values_list("inputs", "plan")
    planned: set[int] = set()
    for inputs, plan in runs:
        ids = inputs.get("requirements", {})
        for assignment in (plan or {}).get("assignments", []):
            if assignment["quantity"] > 0 and ids.get(assignment["requirement"]) in requirement_ids:
                planned.add(ids[assignment["requirement"]])
    return planned


def requirement_statuses_update(*, requirement_ids: set[int]) -> None:
    """Set each requirement's status from what its orders and deliveries cover (inside the
    calling service's transaction: an approval, an amendment, a delivery)."""
    from coalition.procurement.selectors import covered_units

    found = Requirement.objects.filter(id__in=requirement_ids).select_for_update()
    planned = _in_plans_awaiting_approval(requirement_ids)
    for requirement in found:
        ordered, delivered = covered_units(requirement)
        if delivered >= requirement.quantity:
            status = RequirementStatus.DELIVERED
        elif delivered > 0:
            status = RequirementStatus.PARTLY_DELIVERED
        elif ordered > 0:
            status = RequirementStatus.ORDERED
        elif requirement.pk in planned:
            status = RequirementStatus.PLANNED
        else:
            status = RequirementStatus.OPEN
        if status != requirement.status:
            requirement.status = status
            requirement.save(update_fields=["status"])
