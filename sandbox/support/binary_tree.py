"""Binary trees, as LeetCode writes them: `TreeNode(val, left, right)` and level-order lists
with None for a missing child."""

from collections import deque

null = None


class TreeNode:
    __slots__ = ("val", "left", "right")

    def __init__(self, val=0, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right

    def __repr__(self):
        return "TreeNode(%r)" % (self.val,)


def build_tree(level_order):
    """Builds a tree from LeetCode's level order: children of each present node in turn,
    None where a child is missing, trailing Nones optional. Returns the root (None if empty)."""
    if not level_order or level_order[0] is None:
        return None
    values = iter(level_order)
    root = TreeNode(next(values))
    waiting = deque([root])
    for parent in iter(waiting.popleft, None):
        for side in ("left", "right"):
            value = next(values, None)
            if value is not None:
                child = TreeNode(value)
                setattr(parent, side, child)
                waiting.append(child)
        if not waiting:
            break
    return root


def tree_values(root):
    """The inverse of build_tree: level order with None for gaps, trailing Nones dropped."""
    values = []
    queue = deque([root])
    while queue:
        node = queue.popleft()
        if node is None:
            values.append(None)
            continue
        values.append(node.val)
        queue.append(node.left)
        queue.append(node.right)
    while values and values[-1] is None:
        values.pop()
    return values
