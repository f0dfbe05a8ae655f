"""Results of the archive-wide aggregations (network, timeline, record pages), kept until
the index's next commit: each costs time in proportion to the documents it counts, and the
same page is asked for again and again between two ingests. Like a search engine's request
cache, an entry is valid for one generation of the index (the `meta.json` a commit
replaces) and the oldest entries go first once RESULTS_KEPT are held."""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

RESULTS_KEPT = 256  # entries kept (each a page's worth of counts: a few KB to ~100 KB)

T = TypeVar("T")


class ResultCache:
    """Computed results by key, for one generation of the index at a time."""

    def __init__(self, size: int = RESULTS_KEPT) -> None:
        """An empty cache holding at most `size` results."""
        self.size = size
        self.generation: Hashable = None
        self.results: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, generation: Hashable, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for `key` in this generation, computed (and kept) when missing; each
        caller gets its own copy, free to change it."""
        if generation != self.generation or not generation:
            self.results.clear()
            self.generation = generation
        if key in self.results:
            self.results.move_to_end(key)
        else:
            self.results[key] = compute()
            if len(self.results) > self.size:
                self.results.popitem(last=False)
        return copy.deepcopy(self.results[key])

    def clear(self) -> None:
        """Forget every result (the next request of each computes it again)."""
        self.results.clear()
