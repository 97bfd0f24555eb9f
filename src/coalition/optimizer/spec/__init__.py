"""The optimiser's rules and file formats, in one copy (also reachable as docs/spec):
SCENARIO.md, scenario.schema.json, plan.schema.json and the worked example in examples/."""

from pathlib import Path

HERE = Path(__file__).parent
EXAMPLE_SCENARIO = "examples/drone-coalition-2025.scenario.json"
EXAMPLE_EXPECTED = "examples/drone-coalition-2025.expected.json"


def path(name: str) -> Path:
    """The spec file `name`, such as "plan.schema.json" or `EXAMPLE_SCENARIO`."""
    found = HERE / name
    if not found.is_file():
        raise FileNotFoundError(f"no spec file {name} in {HERE}")
    return found
