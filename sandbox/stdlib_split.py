"""Runs once per runtime, inside the wasm sandbox, when kata prepares python.wasm.

python.wasm imports its standard library from one zip of ~460 modules, and the pure-Python
zipimport reads that zip's whole index the first time any module is imported from it: about
a third of every run's start-up. This script writes two small zips in the same format, with
the same bytes for each module, which kata puts first on sys.path:

    /out/boot.zip     what the interpreter imports on every run, and kata's harness compiled
                      (`kata_harness`, from /out/harness.py; compiling it costs as much again)
    /out/common.zip   what exercises and error reports commonly import (collections, re, ...)

Anything else still comes from the big zip. A package goes whole into the first small zip that
has any of it: its `__path__` points into that one zip, so a submodule left behind in the big
zip (`importlib._abc`, say) could not be imported at all. The files are written the same way every time
(sorted entries, fixed dates, no compression), so the fuel a run uses stays the same on every
machine.
"""

import sys

# Modules exercises and kata's error reports commonly import; their own imports come too.
COMMON = """
abc array ast bisect calendar collections collections.abc contextlib copy dataclasses datetime
decimal difflib enum fractions functools graphlib heapq inspect io itertools json keyword
linecache math numbers operator os pprint queue random re reprlib statistics string struct
textwrap time tokenize traceback types typing unicodedata warnings weakref
""".split()

ZIP = next((path for path in sys.path if path.endswith(".zip")), None)


def from_zip():
    """The zip entries of the modules imported so far."""
    entries = set()
    for module in list(sys.modules.values()):
        origin = getattr(getattr(module, "__spec__", None), "origin", None) or ""
        if ZIP and origin.startswith(ZIP + "/"):
            entries.add(origin[len(ZIP) + 1 :])
    return entries


def whole_packages(entries, names):
    """`entries` with every package among them completed from `names` (all the big zip's)."""
    prefixes = tuple(
        entry[: -len("__init__.pyc")] for entry in entries if entry.endswith("/__init__.pyc")
    ) + tuple(entry[: -len("__init__.py")] for entry in entries if entry.endswith("/__init__.py"))
    if not prefixes:
        return set(entries)
    return set(entries) | {name for name in names if name.startswith(prefixes)}


def write(path, entries):
    """A zip of `entries` (name -> bytes), the same bytes for the same entries."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as out:
        for name in sorted(entries):
            out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), entries[name])


def compiled_harness():
    """kata's harness as a .pyc: the magic number, no flags, no source date or size."""
    import importlib.util
    import marshal
    import os

    with open("/out/harness.py", "rb") as handle:
        code = compile(handle.read(), "<kata harness>", "exec", dont_inherit=True)
    os.remove("/out/harness.py")
    return importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(code)


def main():
    if ZIP is None:
        sys.exit(3)  # a runtime without a zipped standard library: nothing to split
    boot = from_zip()
    for name in COMMON:
        try:
            __import__(name)
        except Exception:
            pass
    common = from_zip() - boot
    import zipfile

    with zipfile.ZipFile(ZIP) as source:
        names = [name for name in source.namelist() if not name.endswith("/")]
        boot = whole_packages(boot, names)
        common = whole_packages(common, names) - boot
        boot = {name: source.read(name) for name in boot}
        common = {name: source.read(name) for name in common}
    boot["kata_harness.pyc"] = compiled_harness()
    write("/out/boot.zip", boot)
    write("/out/common.zip", common)


main()
