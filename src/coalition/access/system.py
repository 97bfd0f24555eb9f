"""The named system actors and what each is granted, explicitly: nothing else."""

from coalition.access.actor import Actor

# The operator at the server's command line (`coalition ...`): the platform's own
# maintenance, imports it is handed, and reads for checks.
CLI = Actor.system(
    "cli",
    grants={
        "token.create",
        "token.view",
        "token.revoke",
        "token.manage",
        "user.manage",
        "account.two_factor_reset",
        "accession.close_expired",
        "contribution.enter",
        "rates.manage",
        "ledger.view",
        "plan.view",
        "audit.view",
        "audit.verify",
        "requirement.enter",
        "competition.manage",
        "procurement.view",
        "delivery.record",
    },
)

# The background task worker: queued plans and the periodic jobs.
WORKER = Actor.system(
    "worker",
    grants={
        "plan.execute",
        "plan.view",
        "accession.close_expired",
        "delivery.record",
        "audit.verify",
        "task.recover",
    },
)

# The demo loader replays the drone coalition's history as its sources tell it.
DEMO = Actor.system(
    "demo",
    grants={
        "coalition.manage",
        "user.manage",
        "application.submit",
        "application.backdate",
        "meeting.record",
        "contribution.enter",
        "rates.manage",
        "requirement.enter",
        "competition.manage",
        "competition.join",
        "trial.record",
        "plan.build",
        "plan.approve",
        "plan.execute",
        "plan.view",
        "procurement.view",
        "fund.spend",
    },
)
