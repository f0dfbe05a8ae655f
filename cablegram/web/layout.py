"""A small deterministic force-directed layout for the correspondence network.

Fruchterman–Reingold in plain Python: linked nodes attract, every node repels its
neighbours (within a few ideal distances, found through a grid, so a step costs about
n · neighbours rather than n²), and a weak pull to the centre keeps separate groups of
correspondents on one canvas. Nodes start on a sunflower spiral in the order given
(strongest first, so the busiest correspondents start in the middle); nothing is random,
so the same graph always gets the same picture. The result is scaled into the canvas.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

Point = tuple[float, float]
Edge = tuple[str, str, float]  # source, target, weight (documents)

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
REACH = 2.5  # repulsion acts within this many ideal distances
GRAVITY = 0.08
PULL = 0.3  # the strength of a link of one document
WEIGHT = 0.3  # how much more each further document pulls (logarithmically)
MIN_GAP = 0.5  # the least distance (in canvas units) between two laid-out nodes
MAX_SCALE = 110.0  # canvas units per ideal distance at most: a small graph is not stretched


def layout(nodes: Sequence[str], edges: Sequence[Edge], width: float = 800,
           height: float = 600, margin: float = 40, iterations: int = 60) -> dict[str, Point]:
    """Positions inside [margin, width - margin] × [margin, height - margin] for `nodes`,
    drawn closer the more documents link them; the same input gives the same output."""
    key = tuple(dict.fromkeys(nodes))
    known = set(key)
    pairs = tuple((a, b, float(w)) for a, b, w in edges if a in known and b in known)
    spots = _cached(key, pairs, float(width), float(height), float(margin), iterations)
    return dict(zip(key, spots, strict=True))


@lru_cache(maxsize=64)
def _cached(nodes: tuple[str, ...], edges: tuple[Edge, ...], width: float, height: float,
            margin: float, iterations: int) -> tuple[Point, ...]:
    """The layout of one graph (kept: a page asked twice is laid out once)."""
    if not nodes:
        return ()
    index = {n: i for i, n in enumerate(nodes)}
    springs = _springs(index, edges)
    pos = _spiral(len(nodes))
    side = math.sqrt(len(nodes))
    for step in range(iterations):
        heat = 0.1 * side * (1 - step / iterations) + 0.005
        moves = _repulsion(pos)
        _attract(pos, springs, moves)
        pos = [_moved(p, move, heat) for p, move in zip(pos, moves, strict=True)]
    return _fit(pos, width, height, margin)


def _springs(index: dict[str, int], edges: Sequence[Edge]) -> dict[tuple[int, int], float]:
    """Each linked pair once (direction and edge kind merged), with its summed weight."""
    springs: dict[tuple[int, int], float] = {}
    for a, b, w in edges:
        i, j = sorted((index[a], index[b]))
        if i != j:
            springs[(i, j)] = springs.get((i, j), 0.0) + max(w, 0.0)
    return springs


def _spiral(count: int) -> list[Point]:
    """Starting points on a sunflower spiral, one ideal distance apart, first in the middle."""
    return [(math.sqrt(i + 0.5) * math.cos(i * GOLDEN_ANGLE),
             math.sqrt(i + 0.5) * math.sin(i * GOLDEN_ANGLE)) for i in range(count)]


def _repulsion(pos: list[Point]) -> list[list[float]]:
    """Every node pushed away from the nodes near it (ideal distance 1)."""
    grid: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(pos):
        grid.setdefault((math.floor(x / REACH), math.floor(y / REACH)), []).append(i)
    moves = [[0.0, 0.0] for _ in pos]
    for i, (x, y) in enumerate(pos):
        cx, cy = math.floor(x / REACH), math.floor(y / REACH)
        for gx in (cx - 1, cx, cx + 1):
            for gy in (cy - 1, cy, cy + 1):
                for j in grid.get((gx, gy), ()):
                    if j != i:
                        _push(moves[i], x - pos[j][0], y - pos[j][1], i, j)
    return moves


def _push(move: list[float], dx: float, dy: float, i: int, j: int) -> None:
    """Add the repulsion of one neighbour; coincident nodes part in a fixed direction."""
    dist = math.hypot(dx, dy)
    if dist < 1e-9:
        angle = (i - j) * GOLDEN_ANGLE  # deterministic, opposite for the other node
        dx, dy, dist = math.cos(angle) * 1e-3, math.sin(angle) * 1e-3, 1e-3
    if dist < REACH:
        force = 1.0 / dist - dist / (REACH * REACH)  # k²/d, fading to 0 at the reach
        move[0] += dx / dist * force
        move[1] += dy / dist * force


def _attract(pos: list[Point], springs: dict[tuple[int, int], float],
             moves: list[list[float]]) -> None:
    """Linked nodes pulled together (stronger for more documents); all pulled to the middle."""
    for (i, j), weight in springs.items():
        dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
        pull = math.hypot(dx, dy) * PULL * (1 + WEIGHT * math.log1p(weight))  # ∝ d²/k
        moves[i][0] -= dx * pull
        moves[i][1] -= dy * pull
        moves[j][0] += dx * pull
        moves[j][1] += dy * pull
    for (x, y), move in zip(pos, moves, strict=True):
        move[0] -= GRAVITY * x
        move[1] -= GRAVITY * y


def _moved(point: Point, move: list[float], heat: float) -> Point:
    """`point` moved along `move`, at most the current temperature (never to a non-finite
    place)."""
    length = math.hypot(move[0], move[1])
    if not math.isfinite(length) or length == 0:
        return point
    scale = min(length, heat) / length
    return point[0] + move[0] * scale, point[1] + move[1] * scale


def _fit(pos: list[Point], width: float, height: float, margin: float) -> tuple[Point, ...]:
    """Scale and centre the points into the canvas (aspect kept), one decimal, none equal."""
    left, top = margin, margin
    inner_w, inner_h = max(width - 2 * margin, 1.0), max(height - 2 * margin, 1.0)
    xs, ys = [p[0] for p in pos], [p[1] for p in pos]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    scale = min(inner_w / span_x if span_x else math.inf,
                inner_h / span_y if span_y else math.inf, MAX_SCALE)
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    placed: list[Point] = []
    taken: set[Point] = set()
    for x, y in pos:
        spot = (round(left + inner_w / 2 + (x - mid_x) * scale, 1),
                round(top + inner_h / 2 + (y - mid_y) * scale, 1))
        spot = _free(spot, taken, left, top, left + inner_w, top + inner_h)
        taken.add(spot)
        placed.append(spot)
    return tuple(placed)


def _free(spot: Point, taken: set[Point], x0: float, y0: float, x1: float,
          y1: float) -> Point:
    """`spot`, or the nearest point on a small spiral around it that no node holds yet."""
    step = 0
    x, y = spot
    while any(math.hypot(x - a, y - b) < MIN_GAP for a, b in taken):
        step += 1
        angle, radius = step * GOLDEN_ANGLE, MIN_GAP * math.sqrt(step)
        x = round(min(max(spot[0] + radius * math.cos(angle), x0), x1), 1)
        y = round(min(max(spot[1] + radius * math.sin(angle), y0), y1), 1)
    return x, y


Box = tuple[float, float, float, float]  # left, top, right, bottom
CHAR_WIDTH, TEXT_HEIGHT, GAP = 6.6, 12.0, 3.0  # for 12-unit sans-serif labels
# Where a label may go, in order of preference: right, left, above, below its circle.
SIDES = ("start", "end", "above", "below")


def place_labels(circles: Sequence[tuple[float, float, float]], names: Sequence[str],
                 shown: int, width: float, height: float) -> list[tuple[float, float, str]]:
    """For each circle (x, y, r) the position and text-anchor of its name: the first `shown`
    (the busiest) in turn take the side that covers the fewest other names and circles
    and stays on the canvas; the others get their best side among the circles alone."""
    return list(_labels(tuple(circles), tuple(names), shown, width, height))


@lru_cache(maxsize=64)
def _labels(circles: tuple[tuple[float, float, float], ...], names: tuple[str, ...],
            shown: int, width: float, height: float) -> tuple[tuple[float, float, str], ...]:
    """The label places of one picture (kept, like its layout)."""
    obstacles = [(x - r, y - r, x + r, y + r) for x, y, r in circles]
    placed: list[Box] = []
    result = []
    for i, ((x, y, r), name) in enumerate(zip(circles, names, strict=True)):
        options = [_label_at(x, y, r, len(name) * CHAR_WIDTH, side) for side in SIDES]
        reach = (min(o[3][0] for o in options), min(o[3][1] for o in options),
                 max(o[3][2] for o in options), max(o[3][3] for o in options))
        others = [c for j, c in enumerate(obstacles) if j != i and c[0] < reach[2]
                  and c[2] > reach[0] and c[1] < reach[3] and c[3] > reach[1]]
        best = min(options, key=lambda o: _cost(o[3], placed if i < shown else [], others,
                                                width, height))
        if i < shown:
            placed.append(best[3])
        result.append((round(best[0], 1), round(best[1], 1), best[2]))
    return tuple(result)


def _label_at(x: float, y: float, r: float, w: float,
              side: str) -> tuple[float, float, str, Box]:
    """A label's anchor point, SVG text-anchor and box on one side of a circle."""
    base = y + TEXT_HEIGHT / 3  # the baseline that centres the text on the circle
    if side == "start":
        return x + r + GAP, base, "start", (x + r + GAP, base - TEXT_HEIGHT, x + r + GAP + w, base)
    if side == "end":
        return x - r - GAP, base, "end", (x - r - GAP - w, base - TEXT_HEIGHT, x - r - GAP, base)
    top = y - r - GAP if side == "above" else y + r + GAP + TEXT_HEIGHT
    return x, top, "middle", (x - w / 2, top - TEXT_HEIGHT, x + w / 2, top)


def _cost(box: Box, labels: Sequence[Box], circles: Sequence[Box], width: float,
          height: float) -> float:
    """How bad a label box is: the area it shares with other labels and circles, and
    (much worse) the area it sticks out of the canvas."""
    inside = _overlap(box, (0, 0, width, height))
    outside = (box[2] - box[0]) * (box[3] - box[1]) - inside
    return (sum(_overlap(box, b) for b in labels) + sum(_overlap(box, c) for c in circles)
            + 10 * outside)


def _overlap(a: Box, b: Box) -> float:
    """The area two boxes share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
