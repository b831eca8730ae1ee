"""Singly linked lists, as LeetCode writes them: `ListNode(val, next)`."""


class ListNode:
    __slots__ = ("val", "next")

    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next

    def __repr__(self):
        return "ListNode(%r)" % (self.val,)


def build_list(values, pos=-1):
    """Links `values` into ListNodes and returns (head, nodes). With pos >= 0 the tail links
    back to nodes[pos], making a cycle (LeetCode 141/142's convention)."""
    nodes = [ListNode(value) for value in values]
    for node, following in zip(nodes, nodes[1:]):
        node.next = following
    if nodes and pos >= 0:
        nodes[-1].next = nodes[pos]
    return (nodes[0] if nodes else None), nodes


def list_values(head, limit=1_000_000):
    """The values from head to the end, as a Python list. Stops with an error on a cycle, or
    on a list longer than `limit`, instead of looping forever."""
    values = []
    seen = set()
    node = head
    while node is not None:
        if id(node) in seen:
            raise ValueError("the list has a cycle after %d nodes" % len(values))
        if len(values) >= limit:
            raise ValueError("the list is longer than %d nodes" % limit)
        seen.add(id(node))
        values.append(node.val)
        node = node.next
    return values
