"""Small-cell suppression of the donor statistics: no visible cell gives away a count of 1 or
2, directly or by subtraction from a row or column total.

The attacker here is written independently of ``services.donor_stats``: it sees only the
published table (numbers, "<3" meaning 1 or 2, "[c]" meaning any count of 1 or more), solves
every row and column against its total by enumeration, narrows what each hidden cell can be,
and repeats until nothing changes (so it also combines several rows and columns).
"""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from smartconf.services.donor_stats import HIDDEN, SMALL, grid_of, protect

SMALL_VALUES = st.sampled_from([0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 9, 14])


def _published(counts: list[list[int]], additive: bool) -> tuple[dict, list, int]:
    grid = grid_of(counts, additive=additive)
    protect(grid)
    shown = {pos: grid.shown(pos) for pos in grid.values}
    lines = _lines(len(counts), len(counts[0]), additive)
    return shown, lines, max(grid.values.values())


def _lines(rows: int, columns: int, additive: bool) -> list[tuple[list, tuple]]:
    """The equations a reader of the table sees: each row and column adds up to its total."""
    lines = []
    if columns > 1:
        lines += [([(i, j) for j in range(columns)], (i, "T")) for i in range(rows)]
    if additive:
        lines += [([(i, j) for i in range(rows)], ("T", j)) for j in range(columns)]
        if columns > 1:
            lines.append(([("T", j) for j in range(columns)], ("T", "T")))
            lines.append(([(i, "T") for i in range(rows)], ("T", "T")))
    return lines


def _domain(shown, bound: int) -> set[int]:
    if shown == SMALL:
        return {1, 2}
    if shown == HIDDEN:
        return set(range(1, bound + 1))
    return {shown}


def _solve(domains: dict, lines: list) -> dict:
    """Narrow every cell's possible values line by line until nothing changes."""
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            cells = [*members, total]
            terms = [{v for v in domains[c]} for c in members] + [{-v for v in domains[total]}]
            for k, cell in enumerate(cells):
                others = _sums(terms[:k] + terms[k + 1:])
                sign = 1 if k < len(members) else -1
                values = {v for v in domains[cell] if -sign * v in others}
                if values != domains[cell]:
                    domains[cell] = values
                    terms[k] = {sign * v for v in values}
                    changed = True
    return domains


def _sums(terms: list[set[int]]) -> set[int]:
    """Every sum of one value from each set."""
    reachable = {0}
    for options in terms:
        reachable = {r + v for r, v in product(reachable, options)}
    return reachable


def _tables(max_rows: int = 4, max_columns: int = 3):
    return st.integers(1, max_rows).flatmap(lambda rows: st.integers(1, max_columns).flatmap(
        lambda columns: st.lists(st.lists(SMALL_VALUES, min_size=columns, max_size=columns),
                                 min_size=rows, max_size=rows)))


@settings(max_examples=300, deadline=None)
@given(counts=_tables(), additive=st.booleans())
def test_no_count_under_three_is_visible_or_recoverable(counts, additive) -> None:
    shown, lines, _ = _published(counts, additive)
    truth = grid_of(counts, additive=additive).values
    for pos, value in shown.items():
        assert value not in (1, 2), f"{pos} shows {value}"
        if 1 <= truth[pos] <= 2:
            assert value in (SMALL, HIDDEN)
        if isinstance(value, int):
            assert value == truth[pos]
        elif value == HIDDEN:
            assert truth[pos] >= 1
    bound = 2 * sum(truth[pos] for pos in truth if "T" not in pos) + 3
    domains = _solve({pos: _domain(v, bound) for pos, v in shown.items()}, lines)
    for pos, value in shown.items():
        assert truth[pos] in domains[pos]
        if value == SMALL:
            assert domains[pos] == {1, 2}, f"{pos} is pinned to {domains[pos]} in {counts}"
        if value == HIDDEN:
            assert len(domains[pos]) >= 2, f"{pos} is pinned to {domains[pos]} in {counts}"


def test_a_lone_small_cell_gets_a_complementary_one() -> None:
    shown, _, _ = _published([[1], [7], [12]], additive=True)
    assert shown[(0, 0)] == SMALL
    assert shown[(1, 0)] == HIDDEN  # the next smallest: 20 - 12 = 8 is 1 + 7 or 2 + 6
    assert shown[(2, 0)] == 12 and shown[("T", 0)] == 20


def test_two_ones_are_not_enough_when_the_total_says_two() -> None:
    shown, _, _ = _published([[1], [1], [9]], additive=True)
    assert shown[(0, 0)] == shown[(1, 0)] == SMALL
    assert shown[(2, 0)] == HIDDEN  # 11 - 9 = 2 would make both ones


def test_one_and_one_across_two_conferences_hide_the_total() -> None:
    shown, _, _ = _published([[1, 1, 0]], additive=False)
    assert shown[(0, 0)] == shown[(0, 1)] == SMALL and shown[(0, 2)] == 0
    assert shown[(0, "T")] == HIDDEN  # "<3" there would say 1 + 1


def test_zero_stays_zero_and_big_counts_stay_exact() -> None:
    shown, _, _ = _published([[0], [5], [40]], additive=True)
    assert (shown[(0, 0)], shown[(1, 0)], shown[(2, 0)], shown[("T", 0)]) == (0, 5, 40, 45)


def test_row_totals_across_conferences_are_protected_too() -> None:
    shown, _, _ = _published([[2, 30, 40], [10, 20, 30]], additive=True)
    assert shown[(0, 0)] == SMALL
    hidden_in_row = [p for p in [(0, 1), (0, 2), (0, "T")] if shown[p] == HIDDEN]
    hidden_in_column = [p for p in [(1, 0), ("T", 0)] if shown[p] == HIDDEN]
    assert hidden_in_row and hidden_in_column
