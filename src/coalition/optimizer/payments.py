"""Exact payments: an integral flow of cents from funds to orders.

Funds -> payer classes (offers that the same funds may pay for) -> sink, capacities in
integer cents, solved by Dinic's max-flow in Python integers, so there is no rounding
anywhere. The orders are fully paid iff the maximum flow equals their total cost.
"""

from collections import deque
from collections.abc import Sequence

from coalition.optimizer.scenario import Scenario


class _Flow:
    """Dinic's algorithm on a small graph with integer capacities."""

    def __init__(self, nodes: int) -> None:
        self.graph: list[list[list[int]]] = [[] for _ in range(nodes)]  # [to, cap, rev]

    def edge(self, a: int, b: int, cap: int) -> list[int]:
        forward = [b, cap, len(self.graph[b])]
        self.graph[a].append(forward)
        self.graph[b].append([a, 0, len(self.graph[a]) - 1])
        return forward

    def max_flow(self, source: int, sink: int) -> int:
        total = 0
        while True:
            level = self._levels(source)
            if level[sink] < 0:
                return total
            pointer = [0] * len(self.graph)
            while pushed := self._push(source, sink, 10**30, level, pointer):
                total += pushed

    def _levels(self, source: int) -> list[int]:
        level = [-1] * len(self.graph)
        level[source] = 0
        queue = deque([source])
        while queue:
            node = queue.popleft()
            for to, cap, _ in self.graph[node]:
                if cap > 0 and level[to] < 0:
                    level[to] = level[node] + 1
                    queue.append(to)
        return level

    def _push(self, node: int, sink: int, limit: int, level: list[int], ptr: list[int]) -> int:
        if node == sink:
            return limit
        edges = self.graph[node]
        while ptr[node] < len(edges):
            edge = edges[ptr[node]]
            to, cap, rev = edge
            if cap > 0 and level[to] == level[node] + 1:
                pushed = self._push(to, sink, min(limit, cap), level, ptr)
                if pushed:
                    edge[1] -= pushed
                    self.graph[to][rev][1] += pushed
                    return pushed
            ptr[node] += 1
        return 0


def allocate(scenario: Scenario, costs: dict[int, int]) -> dict[tuple[int, int], int] | None:
    """Payments {(fund index, offer index): cents} paying every order in `costs` (offer
    index -> cents) in full within the funds' amounts and eligibility; None if impossible."""
    funds = scenario.funds
    classes: dict[tuple[int, ...], list[int]] = {}
    for o in sorted(costs):
        if costs[o] > 0:
            payers = tuple(f for f, fund in enumerate(funds) if fund.may_pay(scenario.offers[o]))
            classes.setdefault(payers, []).append(o)
    keys = list(classes)
    source, sink = 0, 1 + len(funds) + len(keys)
    flow = _Flow(sink + 1)
    for f, fund in enumerate(funds):
        flow.edge(source, 1 + f, fund.amount_cents)
    edges: dict[tuple[int, int], list[int]] = {}
    for k, payers in enumerate(keys):
        demand = sum(costs[o] for o in classes[payers])
        for f in payers:
            edges[f, k] = flow.edge(1 + f, 1 + len(funds) + k, demand)
        flow.edge(1 + len(funds) + k, sink, demand)
    if flow.max_flow(source, sink) != sum(c for c in costs.values() if c > 0):
        return None
    payments: dict[tuple[int, int], int] = {}
    for k, payers in enumerate(keys):
        # The flow on fund -> class edges is the edge's used capacity (the reverse residual).
        paid = [(f, flow.graph[edges[f, k][0]][edges[f, k][2]][1]) for f in payers]
        payments.update(_split(paid, [(o, costs[o]) for o in classes[payers]]))
    return payments


def _split(
    supplies: Sequence[tuple[int, int]], demands: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    """Spread what each fund pays into a class over the class's orders (north-west corner:
    any split works, since every fund of the class may pay every order of it)."""
    result: dict[tuple[int, int], int] = {}
    supply = [[f, amount] for f, amount in supplies if amount > 0]
    i = 0
    for o, cost in demands:
        while cost > 0:
            f, left = supply[i]
            take = min(left, cost)
            result[f, o] = result.get((f, o), 0) + take
            cost -= take
            supply[i][1] -= take
            if supply[i][1] == 0:
                i += 1
    return result
