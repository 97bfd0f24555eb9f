"""The pooled-purchase optimiser: plain Python over the HiGHS MILP solver, no Django.

Public API:

- `parse_scenario(data) -> Scenario` (raises `ScenarioError` listing JSON paths)
- `solve(scenario, *, time_limit=None, compare_separate=False, progress=None) -> plan dict`
- `check(scenario, plan) -> list[str]` (violations; empty means feasible)
- `baseline_plan(scenario) -> plan dict` (the greedy spreadsheet plan)
- `solve_separate(scenario, *, time_limit=None, progress=None) -> separate dict`
"""
