# kata: lru-cache
#
# A solution to the lru-cache exercise with a classic bug, for the README's quick start:
# get() does not count as a use, so the cache evicts in insertion order.
# Run: kata check exercises/examples/lru_cache_buggy.py
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity: int):
        self.capacity = capacity
        self.entries = OrderedDict()

    def get(self, key: int) -> int:
        return self.entries.get(key, -1)

    def put(self, key: int, value: int) -> None:
        self.entries[key] = value
        self.entries.move_to_end(key)
        if len(self.entries) > self.capacity:
            self.entries.popitem(last=False)
