"""How a coalition publishes its procurement in OCDS (coalition.procurement.ocds): the
prefix of its ocids and what the public export leaves out (administrators only)."""

from django.db import transaction

from coalition.access.actor import Actor
from coalition.access.policy import require
from coalition.audit.services import audit_record
from coalition.governance.models import Coalition
from coalition.validation import model_check


@transaction.atomic
def coalition_publication_set(
    *,
    actor: Actor,
    coalition: Coalition,
    ocid_prefix: str,
    confidential_prices: bool,
    confidential_suppliers: bool,
) -> Coalition:
    """Set the OCDS prefix (`ocds-` and six lower-case letters or digits) and whether
    prices and suppliers are left out of the public export."""
    require(actor, "coalition.manage")
    locked = Coalition.objects.select_for_update().get(pk=coalition.pk)
    locked.ocid_prefix = ocid_prefix
    locked.confidential_prices = confidential_prices
    locked.confidential_suppliers = confidential_suppliers
    model_check(locked)
    locked.save(update_fields=["ocid_prefix", "confidential_prices", "confidential_suppliers"])
    audit_record(
        actor=actor,
        action="coalition.publication_set",
        object_type="coalition",
        object_id=coalition.slug,
        changes={
            "ocid_prefix": ocid_prefix,
            "confidential_prices": confidential_prices,
            "confidential_suppliers": confidential_suppliers,
        },
    )
    return locked
