"""The pooled-purchase optimiser: plain Python over the HiGHS MILP solver, no Django.

Public API (import from the modules; this package imports nothing heavy on its own):

- `parse.parse_scenario(data) -> Scenario`: raises `errors.ScenarioError`, whose `errors`
  name their JSON paths
- `solve.solve(scenario, *, time_limit=None, compare_separate=False, progress=None,
  cost_gap=1e-4) -> dict`: the plan of spec/plan.schema.json
- `check.check(scenario, plan) -> list[str]`: the violations; [] means feasible
- `baseline.baseline_plan(scenario) -> dict`: the greedy "spreadsheet" plan
- `separate.solve_separate(scenario, *, time_limit=None, progress=None) -> dict`
- `generate.generate(...)` / `generate_size(size, budget, seed)`: seeded scenarios
- `cli.main(argv) -> int`: `coalition plan solve | check`
"""
