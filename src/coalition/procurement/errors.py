from coalition.errors import InvalidInput, NotFound


class ScenarioInvalid(InvalidInput):
    """A scenario that breaks scenario.schema.json; `errors` name every JSON path."""

    code = "scenario.invalid"

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors), field="scenario")
        self.errors = errors


class PlanRunNotFound(NotFound):
    code = "plan.not_found"


class PlanCoalitionRequired(InvalidInput):
    code = "plan.coalition_required"
