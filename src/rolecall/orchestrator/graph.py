"""The dependency graph of a scenario: tasks plus a start and an end node per phase.

Phase ordering is expressed through the phase nodes (``start(P)`` waits for
``end(Q)`` of every phase Q it comes after; ``end(P)`` waits for every task of
P) so the graph stays linear in size however many tasks a phase holds.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Graph", "find_cycle", "longest_paths", "topological_order", "trace_path"]


@dataclass(frozen=True, slots=True)
class Graph:
    """Nodes ``0..n-1``; ``preds[v]`` lists the nodes ``v`` waits for."""

    preds: tuple[tuple[int, ...], ...]

    @property
    def size(self) -> int:
        return len(self.preds)

    def successors(self) -> list[list[int]]:
        succs: list[list[int]] = [[] for _ in self.preds]
        for node, before in enumerate(self.preds):
            for p in before:
                succs[p].append(node)
        return succs


def topological_order(graph: Graph) -> tuple[list[int], list[int]]:
    """Kahn's algorithm, ties by node number. Returns (order, nodes left on a cycle)."""
    indegree = [len(p) for p in graph.preds]
    succs = graph.successors()
    ready = deque(v for v in range(graph.size) if indegree[v] == 0)
    order: list[int] = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for nxt in succs[node]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    left = [v for v in range(graph.size) if indegree[v] > 0]
    return order, left


def find_cycle(graph: Graph, among: Sequence[int]) -> list[int]:
    """One cycle through the nodes ``among`` (all of which lie on or behind a cycle)."""
    inside = set(among)
    node = among[0]
    seen: dict[int, int] = {}
    path: list[int] = []
    # Walking backwards along predecessors inside the leftover set must revisit a node.
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next(p for p in graph.preds[node] if p in inside)
    cycle = path[seen[node] :]
    cycle.reverse()
    return cycle


def longest_paths(graph: Graph, order: Sequence[int], weight: Sequence[int]) -> tuple[list[int], list[int]]:
    """Finish value of each node (its weight plus the max over predecessors) and the argmax."""
    finish = [0] * graph.size
    via = [-1] * graph.size
    for node in order:
        best, best_pred = 0, -1
        for p in graph.preds[node]:
            if finish[p] > best:
                best, best_pred = finish[p], p
        finish[node] = best + weight[node]
        via[node] = best_pred
    return finish, via


def trace_path(finish: Sequence[int], via: Sequence[int], n: int) -> tuple[int, ...]:
    """The longest path ending among nodes ``0..n-1`` (ties: the earliest node), in order."""
    if n == 0:
        return ()
    node = max(range(n), key=lambda i: (finish[i], -i))
    path: list[int] = []
    while node != -1:
        if node < n:
            path.append(node)
        node = via[node]
    path.reverse()
    return tuple(path)
