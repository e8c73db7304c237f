"""The one cache of the web process: values by key, the least recently used dropped first
once they weigh more than a budget, and each value made once however many requests ask for
it at the same time.

Everything cached here is read from one published generation and keyed by it (a query's
result, a node's labels, a graph view, the session list, the dump's catalogue), so a new
generation needs no invalidation: its keys are new, and the old entries, no longer asked
for, are the first to go.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _one(_value: object) -> int:
    return 1


class Cache(Generic[K, V]):
    """``budget``: how much the values may weigh together, by ``weigh`` (one per value
    unless told otherwise); a value weighing more than ``largest`` is not kept at all."""

    def __init__(
        self, budget: int, *, weigh: Callable[[V], int] = _one, largest: int | None = None
    ):
        self.budget = budget
        self.weigh = weigh
        self.largest = budget if largest is None else largest
        self._data: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()
        self._making: dict[K, threading.Lock] = {}

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._data.get(key)
            if found is None:
                return None
            self._data.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V) -> None:
        weight = self.weigh(value)
        if weight > self.largest:
            return
        with self._lock:
            old = self._data.pop(key, None)
            self._weight -= old[1] if old else 0
            self._data[key] = (value, weight)
            self._weight += weight
            while self._weight > self.budget:
                _, (_, dropped) = self._data.popitem(last=False)
                self._weight -= dropped

    def get_or_make(self, key: K, make: Callable[[], V]) -> tuple[V, bool]:
        """The value, and whether it was cached; made by ``make`` when it was not. Requests
        for the same key wait for the one making it instead of making it again."""
        found = self.get(key)
        if found is not None:
            return found, True
        with self._lock:
            gate = self._making.setdefault(key, threading.Lock())
        with gate:
            found = self.get(key)
            if found is not None:
                return found, True
            try:
                value = make()
                self.put(key, value)
            finally:
                with self._lock:
                    self._making.pop(key, None)
            return value, False

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._weight = 0

    def __len__(self) -> int:
        return len(self._data)
