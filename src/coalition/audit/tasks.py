"""The auditor's "verify the chain" as a background task: the walk checks every event's
signature (about 0.3 ms an event, 30 s for 100,000), longer than a page should wait."""

from django.contrib.auth import get_user_model
from django_tasks import task

from coalition.access.actor import Actor


@task()
def audit_chain_verify_task(username: str) -> None:
    from coalition.audit.services_days import audit_chain_verify

    # The requester's rights are checked again when the walk starts, not only when asked.
    user = get_user_model().objects.get(username=username)
    audit_chain_verify(actor=Actor.of(user))
