"""Errors of the optimiser package.

Each carries every problem found, not just the first, so a user can fix a file in one go.
"""


class OptimizerError(Exception):
    """Base class of the optimiser's errors."""


class DocumentError(OptimizerError):
    """A JSON document that does not follow its schema; `errors` name their JSON paths."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


class ScenarioError(DocumentError):
    """A scenario that does not follow scenario.schema.json or exceeds a limit."""


class PlanError(DocumentError):
    """A plan that does not follow plan.schema.json."""
