"""Errors of the optimiser package.

Each carries every problem found, not just the first, so a user can fix a file in one go.
"""


class OptimizerError(Exception):
    """Base class of the optimiser's errors."""


class ScenarioError(OptimizerError):
    """A scenario that does not follow scenario.schema.json; `errors` name their JSON paths."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


class PlanError(OptimizerError):
    """A plan document that does not have the shape of plan.schema.json."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


class SolverError(OptimizerError):
    """The solver failed in a way that is not the scenario's fault (a bug or a HiGHS error)."""
