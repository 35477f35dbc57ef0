"""Positions for the pages, computed once in Python so the browser has no layout to do.

vis-network's own layout and physics are what make big pages stall (MEASURED.md: a 2,000
node pyvis page never settles); with positions given and physics off, a page draws at
once.  Everything here is deterministic: sorted inputs, fixed seeds, no clock.

- :func:`network_positions`: a force layout (networkx ``spring_layout``) up to
  :data:`SPRING_MAX` actors; above that, a *grouped* layout that is linear in the size of
  the graph: each actor joins the group of the party it has most facts with (or of its
  type), groups are placed by a force layout of the much smaller group graph and pushed
  apart until they do not overlap, and each group's members sit on a sunflower spiral
  around its centre, the most connected ones in the middle.
- :func:`lineage_positions`: parties left to right by the year of their first dated
  fact, one lane per line of succession (a renamed party continues its predecessor's
  lane), key people in a column under their party, courts and bodies in a bottom lane.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx

Pos = dict[str, tuple[float, float]]

SPRING_MAX = 400
KAMADA_MAX = 250
#: Pixels between linked actors in the force layout.
NODE_GAP = 170.0
#: Pixels between neighbouring actors in a group's spiral.
SPACING = 34.0
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
COLUMN_WIDTH = 260.0
LANE_HEIGHT = 100.0
PERSON_STEP = 44.0


def _simple(g: nx.MultiDiGraph) -> nx.Graph:
    ug = nx.Graph()
    ug.add_nodes_from(sorted(g))
    ug.add_edges_from(sorted((u, v) if u <= v else (v, u) for u, v in g.edges() if u != v))
    return ug


def _component(ug: nx.Graph, seed: int = 7) -> Pos:
    """One connected component, centred on the origin, about NODE_GAP between neighbours."""
    n = ug.number_of_nodes()
    nodes = sorted(ug)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    if n == 2:
        return {nodes[0]: (-NODE_GAP / 2, 0.0), nodes[1]: (NODE_GAP / 2, 0.0)}
    if n <= KAMADA_MAX:
        raw = nx.kamada_kawai_layout(ug)
    else:
        raw = nx.spring_layout(ug, seed=seed, iterations=120)
    # scale so that the median edge is NODE_GAP long
    lengths = sorted(math.dist(raw[u], raw[v]) for u, v in ug.edges() if u != v)
    median = lengths[len(lengths) // 2] if lengths else 1.0
    factor = NODE_GAP / (median or 1.0)
    cx = sum(float(raw[k][0]) for k in nodes) / n
    cy = sum(float(raw[k][1]) for k in nodes) / n
    return {k: ((float(raw[k][0]) - cx) * factor, (float(raw[k][1]) - cy) * factor) for k in nodes}


def _spring(ug: nx.Graph, seed: int = 7) -> Pos:
    """Each connected component laid out on its own, then packed in rows, biggest first
    (one force layout of everything flings lone actors to the edges and crushes the rest)."""
    comps = sorted((sorted(c) for c in nx.connected_components(ug)), key=lambda c: (-len(c), c[0]))
    placed: list[tuple[Pos, float, float, float, float]] = []
    for comp in comps:
        pos = _component(ug.subgraph(comp).copy(), seed)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        placed.append((pos, min(xs), max(xs), min(ys), max(ys)))
    if not placed:
        return {}
    area = sum((x1 - x0 + NODE_GAP) * (y1 - y0 + NODE_GAP) for _p, x0, x1, y0, y1 in placed)
    width = max(placed[0][2] - placed[0][1] + NODE_GAP, math.sqrt(area) * 1.4)
    out: Pos = {}
    x = y = row_h = 0.0
    for pos, x0, x1, y0, y1 in placed:
        w, h = x1 - x0 + NODE_GAP, y1 - y0 + NODE_GAP
        if x > 0 and x + w > width:
            x, y, row_h = 0.0, y + row_h, 0.0
        for k, (px, py) in pos.items():
            out[k] = (round(x + px - x0, 1), round(y + py - y0, 1))
        x += w
        row_h = max(row_h, h)
    return out


def sunflower(count: int, spacing: float = SPACING) -> list[tuple[float, float]]:
    """``count`` evenly spread points in a disc, the first ones in the middle."""
    out = []
    for i in range(count):
        r = spacing * math.sqrt(i + 0.5) * 0.9
        t = i * GOLDEN_ANGLE
        out.append((r * math.cos(t), r * math.sin(t)))
    return out


def _separate(centres: list[tuple[float, float]], radii: list[float], rounds: int = 60) -> list[tuple[float, float]]:
    """Push overlapping discs apart (vectorised; fine for a few thousand groups)."""
    import numpy as np

    if len(centres) < 2:
        return centres
    p = np.array(centres, dtype=float)
    r = np.array(radii, dtype=float)
    need = r[:, None] + r[None, :] + SPACING
    np.fill_diagonal(need, 0)
    for _ in range(rounds):
        dx = p[:, 0, None] - p[None, :, 0]
        dy = p[:, 1, None] - p[None, :, 1]
        dist = np.hypot(dx, dy)
        over = need - dist
        np.clip(over, 0, None, out=over)
        if not over.any():
            break
        # identical centres would not part: treat them as a hair apart along x
        np.maximum(dist, 1e-6, out=dist)
        over /= 2 * dist
        p[:, 0] += (dx * over).sum(1)
        p[:, 1] += (dy * over).sum(1)
    return [(float(x), float(y)) for x, y in p]


def grouped_positions(g: nx.MultiDiGraph, types: dict[str, str]) -> Pos:
    """The linear-time layout for big graphs (see the module doc)."""
    ties: dict[str, Counter[str]] = defaultdict(Counter)
    for u, v in g.edges():
        if types.get(v) == "PoliticalParty" and types.get(u) != "PoliticalParty":
            ties[u][v] += 1
        if types.get(u) == "PoliticalParty" and types.get(v) != "PoliticalParty":
            ties[v][u] += 1
    groups: dict[str, list[str]] = defaultdict(list)
    member_of: dict[str, str] = {}
    for n in sorted(g):
        if types.get(n) == "PoliticalParty":
            key = n
        elif ties.get(n):
            counts = ties[n]
            key = min(counts, key=lambda k: (-counts[k], k))
        else:
            key = "type:" + types.get(n, "")
        groups[key].append(n)
        member_of[n] = key
    degree = dict(g.degree())
    keys = sorted(groups)
    gg = nx.Graph()
    gg.add_nodes_from(keys)
    weights: Counter[tuple[str, str]] = Counter()
    for u, v in g.edges():
        a, b = member_of[u], member_of[v]
        if a != b:
            weights[(a, b) if a < b else (b, a)] += 1
    gg.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    if len(keys) <= 1500:
        raw = nx.spring_layout(gg, seed=7, iterations=40, weight=None)
        centres = [(float(raw[k][0]), float(raw[k][1])) for k in keys]
    else:
        centres = [(x / SPACING, y / SPACING) for x, y in sunflower(len(keys))]
    radii = [SPACING * math.sqrt(len(groups[k]) + 0.5) * 0.9 + SPACING for k in keys]
    spread = math.sqrt(sum(r * r for r in radii)) * 1.2
    centres = _separate([(x * spread, y * spread) for x, y in centres], radii)
    pos: Pos = {}
    for k, (cx, cy) in zip(keys, centres, strict=True):
        members = sorted(groups[k], key=lambda n: (n != k, -degree.get(n, 0), n))
        for n, (dx, dy) in zip(members, sunflower(len(members)), strict=True):
            pos[n] = (round(cx + dx, 1), round(cy + dy, 1))
    return pos


def network_positions(g: nx.MultiDiGraph, types: dict[str, str] | None = None) -> Pos:
    """Positions of every actor of ``g`` (see the module doc)."""
    types = types or {n: str(g.nodes[n].get("type", "")) for n in g}
    if g.number_of_nodes() <= SPRING_MAX:
        return _spring(_simple(g))
    return grouped_positions(g, types)


def radial_positions(centre: str, rings: list[list[str]]) -> Pos:
    """The centre at the origin, each further ring of neighbours on a wider circle."""
    pos: Pos = {centre: (0.0, 0.0)}
    radius = 0.0
    for ring in rings:
        if not ring:
            continue
        radius = max(radius + 170.0, len(ring) * 40.0 / (2 * math.pi))
        for i, n in enumerate(ring):
            t = 2 * math.pi * i / len(ring) - math.pi / 2
            pos[n] = (round(radius * math.cos(t), 1), round(radius * math.sin(t), 1))
    return pos


def successors_of(party: str, successors: dict[str, list[str]]) -> bool:
    """True when some party continues ``party``'s line (its lane is not free then)."""
    return any(party in olds for olds in successors.values())


def lineage_positions(parties: dict[str, str | None], successions: Iterable[tuple[str, str]],
                      people: dict[str, list[str]], others: dict[str, str | None],
                      ends: dict[str, str] | None = None) -> tuple[Pos, dict[str, Any]]:
    """Lay out the lineage page.

    ``parties``: party id -> its first year (``"2012"``) or None when nothing about it is
    dated; ``successions``: (old, new) pairs along which a lane continues (renames,
    mergers, formed-out-of); ``people``: party id -> its key people, most important first
    (each person once); ``others``: courts and bodies -> the year they act, or None;
    ``ends``: party id -> the year it ended (renamed, dissolved), after which its lane
    may take a party that begins later.

    Each year that has something in it is one column, left to right (a linear time axis
    would leave a screen of empty years between 1998 and 2012 and shrink every label).
    Returns positions and the axis (columns with their labels, vertical extent).
    """
    years = sorted({int(y) for y in list(parties.values()) + list(others.values()) if y})
    column = {y: i * COLUMN_WIDTH for i, y in enumerate(years)}
    undated = any(v is None for v in list(parties.values()) + list(others.values()))
    undated_x = -COLUMN_WIDTH

    def x_of(year: str | None) -> float:
        return column[int(year)] if year else undated_x

    successors: dict[str, list[str]] = defaultdict(list)
    for old, new in sorted(set(successions)):
        if old in parties and new in parties and old != new:
            successors[new].append(old)
    ends = ends or {}
    order = sorted(parties, key=lambda p: (int(parties[p] or -1), p))
    lane_of: dict[str, int] = {}
    lane_last: list[str] = []
    for p in order:
        lane = None
        for old in sorted(successors.get(p, []), key=lambda o: lane_of.get(o, 10 ** 9)):
            if old in lane_of and lane_last[lane_of[old]] == old:
                lane = lane_of[old]
                break
        if lane is None and parties[p]:
            start = int(parties[p] or 0)
            lane = next((i for i, last in enumerate(lane_last)
                         if last in ends and int(ends[last]) < start and column.get(start, 0) > x_of(parties[last])
                         and not successors_of(last, successors)), None)
        if lane is None:
            lane = len(lane_last)
            lane_last.append(p)
        lane_last[lane] = p
        lane_of[p] = lane
    heights = [LANE_HEIGHT] * len(lane_last)
    for p, lane in lane_of.items():
        heights[lane] = max(heights[lane], LANE_HEIGHT + PERSON_STEP * len(people.get(p, [])))
    tops = [0.0]
    for h in heights:
        tops.append(tops[-1] + h)
    pos: Pos = {}
    for p, lane in lane_of.items():
        x, y = x_of(parties[p]), tops[lane] + 20.0
        pos[p] = (x, y)
        for i, person in enumerate(people.get(p, [])):
            pos[person] = (x + 50.0, y + 66.0 + PERSON_STEP * i)
    bottom = tops[-1] + 40.0
    stack: Counter[float] = Counter()
    for o in sorted(others, key=lambda k: (int(others[k] or -1), k)):
        x = x_of(others[o])
        pos[o] = (x, bottom + 60.0 * stack[x])
        stack[x] += 1
    extent = bottom + 60.0 * max(stack.values(), default=0)
    cols = [{"x": column[y], "label": str(y)} for y in years]
    if undated:
        cols.insert(0, {"x": undated_x, "label": "undated"})
    return pos, {"columns": cols, "top": -70.0, "bottom": extent + 20.0}
