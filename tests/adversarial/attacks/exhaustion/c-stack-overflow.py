# kata: adv-shout
# verdict: runtime-error
# checks: fast
# attack: lift Python's recursion limit and overflow the C stack (json's C encoder recurses
#   once per level of nesting)
import json
import sys

sys.setrecursionlimit(10**8)


def shout(text):
    value = []
    for _ in range(300_000):
        value = [value]
    return json.dumps(value)
