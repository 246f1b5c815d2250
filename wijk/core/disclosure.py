"""Small numbers kept from the municipality: primary and secondary cell suppression, once.

The rules (docs/adr/0011-monitoring-small-numbers.md):

- A count from 1 to the threshold - 1 (the setting SMALL_NUMBER_THRESHOLD, 5) is never shown
  (primary suppression). An inner cell reads
  "< 5" (SMALL); a total reads "verborgen" (HIDDEN), since "< 5" on a total would tell an upper
  bound that can pin its parts down (four "< 5" under a "< 5" are four ones).
- Zero is shown as 0: a zero counts nobody (see the ADR for why it is not hidden).
- A table also hides other counts (HIDDEN, "verborgen"; secondary suppression) until no hidden
  count can be worked out from the shown counts and the totals. What the reader may assume is
  taken into account: a table adds up along its rows and columns, "< 5" means 1 to 4, a hidden
  inner cell is at least 5 (a smaller one would read "< 5"), a hidden total is at least 1
  (zeros are shown), and no count is negative. A 0 next to two hidden 1s in a row of 2 would
  give both away; the check below sees that.

How the check works: a table with its row and column totals is a network (a circulation).
Each count is an edge between two nodes, and each node says "what comes in goes out": the
row's cells add up to the row total, the column's to the column total, the totals to the grand
total. Another table that fits the shown counts differs from the true one by a flow around a
cycle of hidden cells, each able to move by one within what the reader knows of it. So a hidden
count can take another value exactly when its edge lies on a cycle of the residual graph:
hidden edges only, forward when the count may still go up, backward when it may still go down.
That is one strongly-connected-components pass per round. An unprotected cell gets the
cheapest such cycle through shown cells (small inner cells first, totals only when needed, the
grand total last), and those cells are hidden too, until every hidden cell lies on a cycle.

Counts of unique residents do not always add up (a resident in two parts counts once in the
total). They are protected as if they did: that is how a reader would treat them.

Figures that add up several protected tables (twelve months into a year) are built with
`derived`: shown only when every part is shown, so that they tell nothing the parts do not.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext


def current_threshold() -> int:
    """The smallest count shown: the setting SMALL_NUMBER_THRESHOLD (environment variable
    WIJK_SMALL_NUMBER_THRESHOLD, 5 unless agreed otherwise with the municipality)."""
    return int(settings.SMALL_NUMBER_THRESHOLD)


# The price of hiding one more count: an inner cell before a total, a smaller count before a
# larger one, the grand total (shown on more than one page) only as the last way out.
_CELL_COST = 1_000
_MARGIN_COST = 1_000_000
_GRAND_TOTAL_COST = 1_000_000_000


class Status(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # 1 .. threshold - 1, shown as "< 5"
    HIDDEN = "hidden"  # hidden so that a small count cannot be worked out ("verborgen")


@dataclass(frozen=True, slots=True)
class Figure:
    """A count as the reader sees it. A hidden count does not carry its value: what is not
    shown cannot leak through a template either."""

    value: int | None
    status: Status = Status.SHOWN

    @property
    def shown(self) -> bool:
        return self.status is Status.SHOWN

    @property
    def small(self) -> bool:
        return self.status is Status.SMALL

    @property
    def hidden(self) -> bool:
        return self.status is Status.HIDDEN

    def __str__(self) -> str:
        if self.status is Status.SHOWN:
            return str(self.value)
        if self.status is Status.SMALL:
            return gettext("< %(threshold)d") % {"threshold": current_threshold()}
        return gettext("verborgen")


SMALL = Figure(None, Status.SMALL)
HIDDEN = Figure(None, Status.HIDDEN)


def exact(value: int) -> Figure:
    return Figure(value)


def _figure(value: int, status: Status) -> Figure:
    if status is Status.SHOWN:
        return Figure(value)
    return SMALL if status is Status.SMALL else HIDDEN


def single(value: int, *, suppress: bool = True, threshold: int | None = None) -> Figure:
    """A count that no shown total or other count relates to: primary suppression only."""
    if suppress and 0 < value < (threshold or current_threshold()):
        return SMALL
    return Figure(value)


def derived(parts: Iterable[Figure], value: int | None = None) -> Figure:
    """A figure computed from figures of protected tables: their sum, or `value` (a count of
    unique residents over the same period, which is not a sum). Shown only when every part is
    shown, so that it reveals nothing the parts do not; hidden otherwise, whatever its size.
    A sum of one part is that part."""
    parts = list(parts)
    if value is None and len(parts) == 1:
        return parts[0]
    total = 0
    for part in parts:
        if part.value is None or not part.shown:
            return HIDDEN
        total += part.value
    return Figure(total if value is None else value)


@dataclass(frozen=True, slots=True)
class Share:
    """The share met of a deadline in whole percents (rounded half up), hidden when met or not
    met is: with the judged count a percentage gives them away. None: nothing judged yet."""

    percent: int | None = None
    hidden: bool = False


def share(met: Figure, not_met: Figure) -> Share:
    if met.value is None or not_met.value is None or not (met.shown and not_met.shown):
        return Share(hidden=True)
    judged = met.value + not_met.value
    if not judged:
        return Share()
    return Share(percent=(200 * met.value + judged) // (2 * judged))


# ---------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True, slots=True)
class ProtectedTable:
    """A table as the reader may see it: its cells row by row, the row totals, the column
    totals and the grand total."""

    cells: list[list[Figure]]
    row_totals: list[Figure]
    column_totals: list[Figure]
    total: Figure


@dataclass(frozen=True, slots=True)
class ProtectedList:
    """Counts that add up to one total (a column of wijken, or the parts of one row)."""

    cells: list[Figure]
    total: Figure


def protect_table(
    cells: Sequence[Sequence[int]],
    *,
    row_totals: Sequence[int] | None = None,
    groups: Sequence[Sequence[int]] | None = None,
    suppress: bool = True,
    threshold: int | None = None,
) -> ProtectedTable:
    """Protect a table of counts with its row totals, column totals and grand total.

    `cells` are the inner counts, row by row. `row_totals` defaults to the sums of the rows (of
    the first group);
    give them for counts of unique residents, where a resident in two columns counts once in
    the row total. `groups` splits the columns in one or two groups that each add up to the
    row total (the deadlines table: first contact met / not met / not judged, and the same for
    support, each adding up to the requests received). Column totals and the grand total are
    the sums over the rows. `suppress=False` shows everything (the consortium's own view)."""
    row_count = len(cells)
    column_count = len(cells[0]) if cells else 0
    if any(len(row) != column_count for row in cells):
        raise ValueError("every row needs the same number of cells")
    groups = [list(group) for group in groups] if groups else [list(range(column_count))]
    if len(groups) > 2 or sorted(c for group in groups for c in group) != list(range(column_count)):
        raise ValueError("one or two groups that together hold every column once")
    if row_totals is not None:
        totals = list(row_totals)
    else:
        totals = [sum(row[c] for c in groups[0]) for row in cells]
    if len(totals) != row_count:
        raise ValueError("one row total per row")
    if len(groups) == 2:
        for row, total in zip(cells, totals, strict=True):
            if any(sum(row[c] for c in group) != total for group in groups):
                raise ValueError("each group of a row adds up to the row total")
    column_totals = [sum(row[c] for row in cells) for c in range(column_count)]
    grand_total = sum(totals)

    network = _Network(threshold, suppress=suppress)
    if len(groups) == 1:
        # S -> row -> column -> T -> S
        source, sink = network.node(), network.node()
        rows = [network.node() for _row in range(row_count)]
        columns = [network.node() for _column in range(column_count)]
        cell_edges = [
            [network.edge(rows[r], columns[c], value, _CELL_COST) for c, value in enumerate(row)]
            for r, row in enumerate(cells)
        ]
        row_edges = [
            network.edge(source, rows[r], total, _MARGIN_COST) for r, total in enumerate(totals)
        ]
        column_edges = [
            network.edge(columns[c], sink, column_totals[c], _MARGIN_COST)
            for c in range(column_count)
        ]
        total_edge = network.edge(sink, source, grand_total, _GRAND_TOTAL_COST)
    else:
        # X -> column of group A -> row in -> (row total) -> row out -> column of group B -> Y -> X
        first = groups[0]
        start, end = network.node(), network.node()
        row_in = [network.node() for _row in range(row_count)]
        row_out = [network.node() for _row in range(row_count)]
        columns = [network.node() for _column in range(column_count)]
        in_first = set(first)
        cell_edges = [
            [
                network.edge(columns[c], row_in[r], cells[r][c], _CELL_COST)
                if c in in_first
                else network.edge(row_out[r], columns[c], cells[r][c], _CELL_COST)
                for c in range(column_count)
            ]
            for r in range(row_count)
        ]
        row_edges = [
            network.edge(row_in[r], row_out[r], totals[r], _MARGIN_COST) for r in range(row_count)
        ]
        column_edges = [
            network.edge(start, columns[c], column_totals[c], _MARGIN_COST)
            if c in in_first
            else network.edge(columns[c], end, column_totals[c], _MARGIN_COST)
            for c in range(column_count)
        ]
        total_edge = network.edge(end, start, grand_total, _GRAND_TOTAL_COST)
    if suppress:
        network.protect()
    return ProtectedTable(
        cells=[[network.figure(edge) for edge in row] for row in cell_edges],
        row_totals=[network.figure(edge) for edge in row_edges],
        column_totals=[network.figure(edge) for edge in column_edges],
        total=network.figure(total_edge),
    )


def protect_list(
    values: Sequence[int],
    *,
    total: int | None = None,
    suppress: bool = True,
    threshold: int | None = None,
    wholes: Sequence[int] | None = None,
) -> ProtectedList:
    """Protect counts that add up to one total: the sum, or `total` for unique residents.

    `wholes`: the counts of which `values` are a part, shown elsewhere (the youth among all
    residents reached, per wijk; ADR 0051). The rest (whole less part) has no figure of its
    own, but a shown part and a shown whole tell it: a part whose rest is small is hidden
    whatever its size (primary suppression), and so is the total when the rest of the sum of
    the wholes is small; and the secondary suppression takes no count to rise above its
    whole (the reader knows a part is no larger)."""
    network = _Network(threshold, suppress=suppress)
    source, sink = network.node(), network.node()
    listed = sum(values) if total is None else total
    if wholes is not None and len(wholes) != len(values):
        raise ValueError("one whole per value")
    tops = list(wholes) if wholes is not None else [None] * len(values)
    top = sum(wholes) if wholes is not None else None
    edges = [
        network.edge(source, sink, value, _CELL_COST, whole=whole)
        for value, whole in zip(values, tops, strict=True)
    ]
    total_edge = network.edge(sink, source, listed, _GRAND_TOTAL_COST, whole=top)
    if suppress:
        network.protect()
    return ProtectedList(
        cells=[network.figure(edge) for edge in edges], total=network.figure(total_edge)
    )


# ---------------------------------------------------------------------------------------------
# The network


@dataclass(slots=True)
class _Edge:
    tail: int
    head: int
    value: int
    cost: int
    status: Status
    margin: bool
    ceiling: int | None = None  # the whole this count is a part of: it cannot rise above


class _Network:
    def __init__(self, threshold: int | None, *, suppress: bool = True) -> None:
        threshold = threshold or current_threshold()
        if threshold < 3:
            raise ValueError("a threshold below 3 leaves '< threshold' a single value")
        self.threshold = threshold
        self.suppress = suppress
        self.nodes = 0
        self.edges: list[_Edge] = []
        self.protected: set[int] = set()

    def node(self) -> int:
        self.nodes += 1
        return self.nodes - 1

    def edge(self, tail: int, head: int, value: int, cost: int, *, whole: int | None = None) -> int:
        """An edge for one count; a cost above an inner cell's marks a total (a margin).
        `whole`: the count this one is a part of: a small rest hides it."""
        if value < 0:
            raise ValueError(f"a count is never negative, not {value}")
        margin = cost > _CELL_COST
        status = Status.SHOWN
        if self.suppress and 0 < value < self.threshold:
            # "< 5" on a total would tell the reader an upper bound that can pin its parts
            # down (four cells of "< 5" under a total of "< 5" are four ones): a small total
            # is "verborgen", which says no more than "not 0".
            status = Status.HIDDEN if margin else Status.SMALL
        elif self.suppress and value and whole is not None and 0 < whole - value < self.threshold:
            status = Status.HIDDEN
        ceiling = None if whole is None else max(whole, value)
        self.edges.append(_Edge(tail, head, value, cost + value, status, margin, ceiling))
        return len(self.edges) - 1

    def figure(self, index: int) -> Figure:
        edge = self.edges[index]
        return _figure(edge.value, edge.status)

    # What the reader knows of a hidden count: "< 5" is 1..4; a hidden inner cell is at least
    # 5 (a smaller one would read "< 5"); a hidden total is at least 1 (zeros are shown).
    def _floor(self, edge: _Edge) -> int:
        return 1 if edge.status is Status.SMALL or edge.margin else self.threshold

    def _can_rise(self, edge: _Edge) -> bool:
        if edge.ceiling is not None and edge.value >= edge.ceiling:
            return False
        return edge.status is Status.HIDDEN or edge.value < self.threshold - 1

    def _can_fall(self, edge: _Edge) -> bool:
        return edge.value > self._floor(edge)

    def _arcs(self, edge: _Edge) -> list[tuple[int, int]]:
        """The residual arcs of a hidden edge: forward if its count may rise, backward if it
        may fall."""
        arcs = []
        if self._can_rise(edge):
            arcs.append((edge.tail, edge.head))
        if self._can_fall(edge):
            arcs.append((edge.head, edge.tail))
        return arcs

    def _components(self) -> list[int]:
        """Strongly connected components of the residual graph of the hidden edges (Kosaraju,
        iteratively)."""
        forward: list[list[int]] = [[] for _node in range(self.nodes)]
        backward: list[list[int]] = [[] for _node in range(self.nodes)]
        for edge in self.edges:
            if edge.status is not Status.SHOWN:
                for tail, head in self._arcs(edge):
                    forward[tail].append(head)
                    backward[head].append(tail)
        order: list[int] = []
        seen = [False] * self.nodes
        for root in range(self.nodes):
            if seen[root]:
                continue
            seen[root] = True
            stack = [(root, 0)]
            while stack:
                node, position = stack.pop()
                if position < len(forward[node]):
                    stack.append((node, position + 1))
                    nxt = forward[node][position]
                    if not seen[nxt]:
                        seen[nxt] = True
                        stack.append((nxt, 0))
                else:
                    order.append(node)
        component = [-1] * self.nodes
        for root in reversed(order):
            if component[root] != -1:
                continue
            component[root] = root
            todo = [root]
            while todo:
                node = todo.pop()
                for nxt in backward[node]:
                    if component[nxt] == -1:
                        component[nxt] = root
                        todo.append(nxt)
        return component

    def _reaches(self, skip: int, start: int, goal: int) -> bool:
        """Whether a residual path leads from start to goal without edge `skip`."""
        arcs: list[list[int]] = [[] for _node in range(self.nodes)]
        for index, edge in enumerate(self.edges):
            if index != skip and edge.status is not Status.SHOWN:
                for tail, head in self._arcs(edge):
                    arcs[tail].append(head)
        seen, todo = {start}, [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            for nxt in arcs[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    def unprotected(self) -> list[int]:
        """Hidden edges that lie on no residual cycle: their count can be worked out.

        Different components: no cycle. One arc and one component: the path back closes a
        cycle. Both arcs (the count may rise and fall) and one component: the edge's own two
        arcs make a cycle of no change, so a path back that avoids the edge is looked for.
        Protection only grows as counts are hidden, so a protected edge is not checked again."""
        component = self._components()
        todo = []
        for index, edge in enumerate(self.edges):
            if edge.status is Status.SHOWN or index in self.protected:
                continue
            rises, falls = self._can_rise(edge), self._can_fall(edge)
            if component[edge.tail] == component[edge.head] and (
                (rises != falls)
                or self._reaches(index, edge.head, edge.tail)
                or self._reaches(index, edge.tail, edge.head)
            ):
                self.protected.add(index)
            else:
                todo.append(index)
        return todo

    def _cheapest_path(self, skip: int, start: int, goal: int) -> tuple[int, list[int]] | None:
        """The cheapest residual path from start to goal, through hidden edges (free) and shown
        non-zero edges (at their cost, as if hidden), never through edge `skip`. Returns the
        cost and the shown edges on the path."""
        arcs: list[list[tuple[int, int, int]]] = [[] for _node in range(self.nodes)]
        for index, edge in enumerate(self.edges):
            if index == skip or edge.value == 0:
                continue
            if edge.status is Status.SHOWN:
                # as if hidden ("verborgen"): it may rise (up to its whole), and fall down
                # to its floor
                if edge.ceiling is None or edge.value < edge.ceiling:
                    arcs[edge.tail].append((edge.head, edge.cost, index))
                if edge.value > (1 if edge.margin else self.threshold):
                    arcs[edge.head].append((edge.tail, edge.cost, index))
            else:
                for tail, head in self._arcs(edge):
                    arcs[tail].append((head, 0, index))
        best = {start: 0}
        via: dict[int, tuple[int, int]] = {}
        queue = [(0, start)]
        while queue:
            cost, node = heapq.heappop(queue)
            if node == goal:
                break
            if cost > best[node]:
                continue
            for nxt, price, index in arcs[node]:
                if cost + price < best.get(nxt, cost + price + 1):
                    best[nxt] = cost + price
                    via[nxt] = (node, index)
                    heapq.heappush(queue, (cost + price, nxt))
        if goal not in best:
            return None
        shown, node = [], goal
        while node != start:
            node, index = via[node]
            if self.edges[index].status is Status.SHOWN:
                shown.append(index)
        return best[goal], shown

    def protect(self) -> None:
        """Hide shown counts until every hidden count lies on a residual cycle."""
        while True:
            todo = self.unprotected()
            if not todo:
                return
            edge = self.edges[todo[0]]
            options = []
            if self._can_rise(edge):  # rise along the edge, come back from head to tail
                options.append(self._cheapest_path(todo[0], edge.head, edge.tail))
            if self._can_fall(edge):  # fall along the edge, come back from tail to head
                options.append(self._cheapest_path(todo[0], edge.tail, edge.head))
            found = [option for option in options if option is not None and option[1]]
            if not found:
                # No way left through shown counts: hide every non-zero count and stop.
                for other in self.edges:
                    if other.value and other.status is Status.SHOWN:
                        other.status = Status.HIDDEN
                return
            _cost, path = min(found)
            for index in path:
                self.edges[index].status = Status.HIDDEN


def protect_people_split(
    cells: Sequence[Sequence[int]],
    *,
    row_totals: Sequence[int],
    groups: Sequence[Sequence[int]],
    suppress: bool = True,
    threshold: int | None = None,
) -> ProtectedTable:
    """Protect rows of people (the requests a wijk received in a month: each is one resident
    who asked for help) that are split by what happened to them, not by who they are (the
    deadline was met, missed or cannot be judged yet: the team's work, not the resident's).
    docs/adr/0028-small-numbers-count-people.md.

    Only the row totals count people: they are one protected list (primary and secondary
    suppression) with their grand total. A row whose total is shown shows its split exactly; a
    row whose total is hidden hides its whole split, zeros too, so that the split cannot give
    its total away. The column totals (the whole city's split) are shown when the grand total
    is. They tell the reader only the split of the hidden rows taken together, whose sum the
    list already gives away: for any row totals that fit the list, a split of the hidden rows
    with those row and column sums exists (a table of counts with given row and column sums
    exists whenever both add up to the same total), so no hidden row total can be worked out.
    `groups` are the groups of columns that each add up to the row total."""
    row_count = len(cells)
    column_count = len(cells[0]) if cells else 0
    if len(row_totals) != row_count or any(len(row) != column_count for row in cells):
        raise ValueError("every row needs the same number of cells and one row total")
    if sorted(c for group in groups for c in group) != list(range(column_count)):
        raise ValueError("groups that together hold every column once")
    for row, total in zip(cells, row_totals, strict=True):
        if any(sum(row[c] for c in group) != total for group in groups):
            raise ValueError("each group of a row adds up to the row total")
    people = protect_list(row_totals, suppress=suppress, threshold=threshold)
    shown_rows = [total.shown for total in people.cells]
    column_sums = [sum(row[c] for row in cells) for c in range(column_count)]
    return ProtectedTable(
        cells=[
            [Figure(value) if shown else HIDDEN for value in row]
            for row, shown in zip(cells, shown_rows, strict=True)
        ],
        row_totals=people.cells,
        column_totals=[Figure(value) if people.total.shown else HIDDEN for value in column_sums],
        total=people.total,
    )


def protect_breakdown(
    values: Sequence[int], *, suppress: bool = True, threshold: int | None = None
) -> ProtectedList:
    """Counts that break down a total that another table already shows or hides (contacts of
    a month per channel beside the same month per wijk). The total is hidden only when it is
    itself small, never as a secondary suppression: the other table would give it away. Where
    the cells cannot be protected with the total shown, every cell is hidden (zeros too), so
    that the reader knows no more than their sum."""
    protected = protect_list(values, suppress=suppress, threshold=threshold)
    total = sum(values)
    if not suppress or protected.total.shown or total < (threshold or current_threshold()):
        return protected
    return ProtectedList(cells=[HIDDEN for _value in values], total=Figure(total))
