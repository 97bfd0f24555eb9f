"""The pooled-purchase optimiser: plain Python over the HiGHS MILP solver, no Django.

The rules and formats are in `spec/` (docs/spec/SCENARIO.md and its schemas, one copy;
`spec.path(name)` finds a file). Public API (import from the modules; this package
imports nothing heavy on its own):

- `parse.parse_scenario(data) -> Scenario`: raises `errors.ScenarioError`, whose `errors`
  name their JSON paths; `limits` holds the limits of a scenario
- `plan.Plan` (frozen dataclasses): `Plan.from_json(obj)` (raises `errors.PlanError`
  naming every JSON path) and `plan.to_json()`, the document of docs/spec/plan.schema.json
- `solve.solve(scenario, *, time_limit=None, compare_separate=False, marginal=None,
  progress=None, cost_gap=1e-4) -> Plan`
- `marginal.marginal_values(scenario, plan_or_solution, *, raise_by=Decimal("1000000"),
  time_limit=None, deadline=None, progress=None) -> tuple[plan.Marginal, ...]`: per fund,
  what raising its amount buys on top of a plan (re-solved warm-started from it)
- `check.check(scenario, plan) -> list[str]`: the violations; [] means feasible
- `baseline.baseline_plan(scenario) -> Plan`: the greedy "spreadsheet" plan
- `separate.solve_separate(scenario, *, time_limit=None, progress=None) -> plan.Separate`
- `generate.generate(...)` / `generate_size(size, budget, seed)`: seeded scenarios
- `cli.main(argv) -> int`: `coalition plan solve | check`
"""
