"""A small deterministic force-directed layout for the correspondence network.

Fruchterman–Reingold in plain Python, kept cheap enough to run on every uncached page (10 to
16 steps over at most a few hundred nodes, a few milliseconds): linked nodes attract, every
node repels the nodes within a few ideal distances (found through a grid, each pair once, so
a step costs about n · neighbours rather than n²), and a weak pull to the centre keeps
separate groups of correspondents on one canvas. The steps start from a constructed picture,
so few are needed: nodes are placed busiest first, each on a small sunflower spiral around
its strongest already-placed correspondent (a new group starts on a wide spiral of its own).
Nothing is random, so the same graph always gets the same picture; the result is scaled into
the canvas, each circle moved (if need be) just clear of the circles drawn before it. Names
are then placed beside their circles, checking only the circles and names near each one
(again through a grid).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

Point = tuple[float, float]
Edge = tuple[str, str, float]  # source, target, weight (documents)
Spring = tuple[int, int, float]  # two node indexes (the first smaller) and the pull between them

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
STEPS = (10, 16)  # the fewest and the most layout steps after the constructed start
STEP_BUDGET = 1500  # node-steps: small graphs get more steps, large ones fewer
REACH = 2.0  # repulsion acts within this many ideal distances
GRAVITY = 0.03
PULL = 0.1  # the strength of a link of one document
WEIGHT = 0.3  # how much more each further document pulls (logarithmically)
SPACING = 0.7  # ideal distances between a node and the first node placed around it
ROOTS = 2.0  # ideal distances between the starting points of unlinked groups
HEAT = 0.1  # the longest first step, per square root of the number of nodes
MIN_GAP = 0.5  # the least distance (in canvas units) between two laid-out nodes
CLEAR = 1.0  # canvas units at least between two circles, when their radii are given
CROWDED = 10  # circles with no clear place after which the others only keep MIN_GAP
FARTHEST = 4000  # spiral steps at most in search of a free point (about 63 · MIN_GAP away)
MAX_SCALE = 110.0  # canvas units per ideal distance at most: a small graph is not stretched
_OFFSET = 1 << 20  # keeps grid cells positive, so int() rounds down
_ROW = 1 << 22  # a grid cell's key is column · _ROW + row


def layout(nodes: Sequence[str], edges: Sequence[Edge], width: float = 800,
           height: float = 600, margin: float = 40, iterations: int | None = None,
           radii: Mapping[str, float] | None = None) -> dict[str, Point]:
    """Positions inside [margin, width - margin] × [margin, height - margin] for `nodes`,
    drawn closer the more documents link them; the same input gives the same output.
    `iterations` defaults to `steps(len(nodes))`. With `radii` (each node's circle, drawn
    in the order of `nodes`, each over those before it) each circle is kept CLEAR of the
    circles before it where the canvas has room, so none hides another's centre."""
    key = tuple(dict.fromkeys(nodes))
    known = set(key)
    pairs = tuple((a, b, float(w)) for a, b, w in edges if a in known and b in known)
    count = steps(len(key)) if iterations is None else iterations
    sizes = tuple(_radius((radii or {}).get(n, 0.0)) for n in key)
    spots = _cached(key, pairs, float(width), float(height), float(margin), count, sizes)
    return dict(zip(key, spots, strict=True))


def _radius(value: float) -> float:
    """A usable radius: `value`, or 0 when it is negative or not a finite number."""
    r = float(value)
    return r if math.isfinite(r) and r > 0 else 0.0


def steps(count: int) -> int:
    """How many layout steps a graph of `count` nodes gets: STEP_BUDGET node-steps, within
    STEPS (so the cost grows no faster than the graph)."""
    return min(STEPS[1], max(STEPS[0], STEP_BUDGET // max(count, 1)))


@lru_cache(maxsize=64)
def _cached(nodes: tuple[str, ...], edges: tuple[Edge, ...], width: float, height: float,
            margin: float, iterations: int, radii: tuple[float, ...]) -> tuple[Point, ...]:
    """The layout of one graph (kept: a page asked twice is laid out once)."""
    if not nodes:
        return ()
    springs = _springs({n: i for i, n in enumerate(nodes)}, edges)
    xs, ys = _start(len(nodes), springs)
    hottest = HEAT * math.sqrt(len(nodes))
    for step in range(iterations):
        fx, fy = _repulsion(xs, ys)
        _attract(xs, ys, springs, fx, fy)
        _move(xs, ys, fx, fy, hottest * (1 - step / iterations) + 0.005)
    return _fit(xs, ys, radii, width, height, margin)


def _springs(index: dict[str, int], edges: Sequence[Edge]) -> list[Spring]:
    """Each linked pair once (direction and edge kind merged), with the pull of its summed
    weight."""
    weights: dict[tuple[int, int], float] = {}
    for a, b, w in edges:
        i, j = sorted((index[a], index[b]))
        if i != j:
            weights[(i, j)] = weights.get((i, j), 0.0) + max(w, 0.0)
    return [(i, j, PULL * (1 + WEIGHT * math.log1p(w))) for (i, j), w in weights.items()]


def _start(count: int, springs: Sequence[Spring]) -> tuple[list[float], list[float]]:
    """Starting points: in order, each node on a sunflower spiral around its strongest
    correspondent placed before it; a node with none starts a group further out."""
    anchor = [-1] * count
    best = [-1.0] * count
    for i, j, pull in springs:  # i < j: i is placed before j
        if pull > best[j]:
            anchor[j], best[j] = i, pull
    xs, ys = [0.0] * count, [0.0] * count
    around = [0] * count  # nodes placed so far around each node
    groups = 0
    for v in range(count):
        a = anchor[v]
        if a < 0:
            radius, angle, cx, cy = ROOTS * math.sqrt(groups), groups * GOLDEN_ANGLE, 0.0, 0.0
            groups += 1
        else:
            k = around[a]
            around[a] += 1
            radius, angle, cx, cy = SPACING * math.sqrt(k + 1), k * GOLDEN_ANGLE + a, xs[a], ys[a]
        xs[v], ys[v] = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
    return xs, ys


def _cells(xs: Sequence[float], ys: Sequence[float]) -> dict[int, list[int]]:
    """The nodes in each grid cell one reach wide, keyed column · _ROW + row."""
    inverse = 1.0 / REACH
    grid: dict[int, list[int]] = {}
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        key = int(x * inverse + _OFFSET) * _ROW + int(y * inverse + _OFFSET)
        cell = grid.get(key)
        if cell is None:
            grid[key] = [i]
        else:
            cell.append(i)
    return grid


def _repulsion(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """Every node pushed away from the nodes within the reach (ideal distance 1): the force
    k²/d fading to 0 at the reach, each pair met once, through its own and the next cells."""
    reach2 = REACH * REACH
    fade = 1.0 / reach2
    fx, fy = [0.0] * len(xs), [0.0] * len(xs)
    grid = _cells(xs, ys)
    for key, members in grid.items():
        near = members
        for other in (key + 1, key + _ROW - 1, key + _ROW, key + _ROW + 1):
            cell = grid.get(other)
            if cell is not None:
                near = near + cell
        for a, i in enumerate(members):
            xi, yi = xs[i], ys[i]
            sx = sy = 0.0
            for j in near[a + 1:]:
                dx, dy = xi - xs[j], yi - ys[j]
                d2 = dx * dx + dy * dy
                if d2 >= reach2:
                    continue
                if d2 < 1e-18:  # coincident: part in a fixed direction, opposite for j
                    angle = (i - j) * GOLDEN_ANGLE
                    dx, dy, d2 = math.cos(angle) * 1e-3, math.sin(angle) * 1e-3, 1e-6
                force = 1.0 / d2 - fade  # (1/d - d/reach²) along the unit vector (dx, dy)/d
                dx, dy = dx * force, dy * force
                sx, sy = sx + dx, sy + dy
                fx[j] -= dx
                fy[j] -= dy
            fx[i] += sx
            fy[i] += sy
    return fx, fy


def _attract(xs: list[float], ys: list[float], springs: Sequence[Spring],
             fx: list[float], fy: list[float]) -> None:
    """Linked nodes pulled together (∝ d²/k, stronger for more documents)."""
    for i, j, pull in springs:
        dx, dy = xs[i] - xs[j], ys[i] - ys[j]
        scale = math.sqrt(dx * dx + dy * dy) * pull
        dx, dy = dx * scale, dy * scale
        fx[i] -= dx
        fy[i] -= dy
        fx[j] += dx
        fy[j] += dy


def _move(xs: list[float], ys: list[float], fx: list[float], fy: list[float],
          heat: float) -> None:
    """Each node moved along its force plus the pull to the middle, at most `heat` (never to
    a non-finite place)."""
    heat2 = heat * heat
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        mx, my = fx[i] - GRAVITY * x, fy[i] - GRAVITY * y
        length2 = mx * mx + my * my
        if not length2 <= heat2:  # too far, or not a number
            if not math.isfinite(length2):
                continue
            scale = heat / math.sqrt(length2)
            mx, my = mx * scale, my * scale
        xs[i], ys[i] = x + mx, y + my


def _fit(xs: list[float], ys: list[float], radii: Sequence[float], width: float,
         height: float, margin: float) -> tuple[Point, ...]:
    """Scale and centre the points into the canvas (aspect kept), one decimal, each circle
    clear of those placed before it (and every point at least MIN_GAP from the others)."""
    left, top = margin, margin
    inner_w, inner_h = max(width - 2 * margin, 1.0), max(height - 2 * margin, 1.0)
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    scale = min(inner_w / span_x if span_x else math.inf,
                inner_h / span_y if span_y else math.inf, MAX_SCALE)
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    bounds = (left, top, left + inner_w, top + inner_h)
    taken = _Spots(max(MIN_GAP, 2 * max(radii) + CLEAR))
    placed: list[Point] = []
    misses = 0  # circles that found no clear place: past CROWDED, the canvas is too full
    for x, y, r in zip(xs, ys, radii, strict=True):
        spot = (round(left + inner_w / 2 + (x - mid_x) * scale, 1),
                round(top + inner_h / 2 + (y - mid_y) * scale, 1))
        spot, clear = _free(spot, r, taken, bounds, misses < CROWDED)
        misses += not clear
        taken.add(spot, r)
        placed.append(spot)
    return tuple(placed)


class _Spots:
    """Placed circles filed in a grid of cells at least as wide as any two need apart."""

    def __init__(self, cell: float) -> None:
        """An empty grid of `cell`-wide cells."""
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple[float, float, float]]] = {}

    def _key(self, spot: Point) -> tuple[int, int]:
        """The cell that holds `spot`."""
        return math.floor(spot[0] / self.cell), math.floor(spot[1] / self.cell)

    def add(self, spot: Point, r: float) -> None:
        """File a circle of radius `r` at `spot`."""
        self.cells.setdefault(self._key(spot), []).append((spot[0], spot[1], r))

    def clear(self, spot: Point, r: float, circles: bool = True) -> bool:
        """Whether a circle of radius `r` at `spot` keeps CLEAR from every filed circle (or,
        with `circles` false or no radii, whether the point keeps MIN_GAP from every other)."""
        x, y = spot
        cx, cy = self._key(spot)
        for gx in (cx - 1, cx, cx + 1):
            for gy in (cy - 1, cy, cy + 1):
                for a, b, other in self.cells.get((gx, gy), ()):
                    need = r + other + CLEAR if circles and (r or other) else 0.0
                    need = max(need, MIN_GAP)
                    if (x - a) * (x - a) + (y - b) * (y - b) < need * need:
                        return False
        return True


def _free(spot: Point, r: float, taken: _Spots, bounds: tuple[float, float, float, float],
          circles: bool) -> tuple[Point, bool]:
    """`spot`, or the nearest point on a spiral around it (kept inside `bounds`) where a
    circle of radius `r` is clear of the others, no further than two of its own widths
    away; and whether it is. Where there is no such point (or `circles` is false), the
    nearest point that keeps MIN_GAP from the others (within FARTHEST spiral steps)."""
    if circles and r:
        unit = r / 4
        for step in range(1 + math.ceil((2 * (2 * r + CLEAR) / unit) ** 2)):
            found = _spiral_point(spot, step, unit, bounds)
            if taken.clear(found, r):
                return found, True
    for step in range(FARTHEST):  # (a canvas too small for every node ends the search)
        found = _spiral_point(spot, step, MIN_GAP, bounds)
        if taken.clear(found, r, False):
            break
    return found, not r


def _spiral_point(spot: Point, step: int, unit: float,
                  bounds: tuple[float, float, float, float]) -> Point:
    """The `step`th point of a sunflower spiral around `spot` (`spot` itself first), `unit`
    apart, one decimal, inside `bounds`."""
    if not step:
        return spot
    angle, radius = step * GOLDEN_ANGLE, unit * math.sqrt(step)
    return (round(min(max(spot[0] + radius * math.cos(angle), bounds[0]), bounds[2]), 1),
            round(min(max(spot[1] + radius * math.sin(angle), bounds[1]), bounds[3]), 1))


Box = tuple[float, float, float, float]  # left, top, right, bottom
CHAR_WIDTH, TEXT_HEIGHT, GAP = 6.6, 12.0, 3.0  # for 12-unit sans-serif labels
# Where a label may go, in order of preference: right, left, above, below its circle.
SIDES = ("start", "end", "above", "below")
BUCKET = 64.0  # canvas units: the cell of the grid that finds the boxes near a label


class _Boxes:
    """Boxes filed in a grid, to find those that may overlap a given box."""

    def __init__(self) -> None:
        """An empty grid."""
        self.boxes: list[Box] = []
        self.cells: dict[tuple[int, int], list[int]] = {}

    def _spanned(self, box: Box) -> list[tuple[int, int]]:
        """The cells a box touches."""
        x0, y0 = math.floor(box[0] / BUCKET), math.floor(box[1] / BUCKET)
        x1, y1 = math.floor(box[2] / BUCKET), math.floor(box[3] / BUCKET)
        return [(gx, gy) for gx in range(x0, x1 + 1) for gy in range(y0, y1 + 1)]

    def add(self, box: Box) -> None:
        """File `box` (its number is the count of boxes filed before it)."""
        for cell in self._spanned(box):
            self.cells.setdefault(cell, []).append(len(self.boxes))
        self.boxes.append(box)

    def near(self, box: Box, skip: int = -1) -> list[Box]:
        """The filed boxes that overlap `box` (each once, in filing order), but number
        `skip`."""
        found = {n for cell in self._spanned(box) for n in self.cells.get(cell, ())}
        found.discard(skip)
        left, top, right, bottom = box
        return [b for b in (self.boxes[n] for n in sorted(found))
                if b[0] < right and b[2] > left and b[1] < bottom and b[3] > top]


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
    obstacles, labels = _Boxes(), _Boxes()
    for x, y, r in circles:
        obstacles.add((x - r, y - r, x + r, y + r))
    result = []
    for i, ((x, y, r), name) in enumerate(zip(circles, names, strict=True)):
        w = len(name) * CHAR_WIDTH
        options = [_label_at(x, y, r, w, side) for side in SIDES]
        # The box around all four options: beside the circle, or above or below it.
        reach = (x - r - GAP - w, y - r - GAP - TEXT_HEIGHT, x + r + GAP + w,
                 y + r + GAP + TEXT_HEIGHT)
        others = obstacles.near(reach, skip=i)
        placed = labels.near(reach) if i < shown else []
        best = min(options, key=lambda o: _cost(o[3], placed, others, width, height))
        if i < shown:
            labels.add(best[3])
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
    outside = (box[2] - box[0]) * (box[3] - box[1]) - _shared(box, ((0, 0, width, height),))
    return _shared(box, labels) + _shared(box, circles) + 10 * outside


def _shared(box: Box, others: Sequence[Box]) -> float:
    """The area `box` shares with each of `others`, summed (written out: it runs often)."""
    left, top, right, bottom = box
    total = 0.0
    for x0, y0, x1, y1 in others:
        w = (right if right < x1 else x1) - (left if left > x0 else x0)
        if w > 0:
            h = (bottom if bottom < y1 else y1) - (top if top > y0 else y0)
            if h > 0:
                total += w * h
    return total

