from coalition.errors import Forbidden, InvalidInput, NotFound


class ScenarioInvalid(InvalidInput):
    """A scenario that breaks scenario.schema.json; `errors` name every JSON path."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors), field="scenario")
        self.errors = errors


class PlanRunNotFound(NotFound):
    pass


class PlanningNotAllowed(Forbidden):
    pass
