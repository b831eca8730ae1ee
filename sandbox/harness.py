"""kata's driver inside the sandbox: runs one case of one submission and reports one frame.

Usage: python -S -s -B harness.py REQUEST_JSON FRAME_FD

FRAME_FD is 3 in the subprocess sandbox (a pipe of its own) and 1 in the wasm sandbox (WASI
has no extra descriptors, so the real stdout carries the frame; the candidate's prints go to
the captured sys.stdout either way).

The host writes REQUEST_JSON (the case's input and the code to load; never an expected value)
and reads exactly one result frame from FRAME_FD:

    b"KATA-FRAME 1 <length>\\n" + <length bytes of UTF-8 JSON>

The frame is an observation, never a verdict: a returned value in kata's exact-type encoding,
or the exception that was raised, plus what the candidate printed. The host decides.

What this file needs to run a case is imported before the candidate's code runs, and the
candidate is loaded from a file path that is not on sys.path, so a submission named json.py
shadows nothing. Start-up is kept to built-in modules (`_json` rather than `json`, no `ast`):
in the wasm sandbox every imported module costs milliseconds, and `json` and `ast` pull in
`re` and `enum`. Only reporting an exception imports more (`traceback`, for its text).
"""

import builtins
import io
import sys

try:
    import posix as _os  # what `os` wraps; importing `os` itself costs more
except ImportError:  # pragma: no cover - not a POSIX system
    import os as _os

try:
    import _json
except ImportError:  # pragma: no cover - every CPython has it, but it is an accelerator
    _json = None

# Private references: the candidate runs in this interpreter and may patch modules.
_write = _os.write
_exit = _os._exit
_type = type
_len = len
_isinstance = isinstance
_ModuleType = type(sys)


def _no_default(value):
    raise TypeError("cannot encode %s" % _type(value).__name__)


if _json is not None:
    _encode_json = _json.make_encoder(
        None, _no_default, _json.encode_basestring, None, ":", ",", False, False, True
    )

    def _dumps(value):
        return "".join(_encode_json(value, 0))

    class _JsonContext:
        strict = True
        object_hook = None
        object_pairs_hook = None
        array_hook = None  # read by CPython 3.15 (the wasm runtime), ignored before
        parse_float = float
        parse_int = int
        parse_constant = float
        memo = None

    _scan_json = _json.make_scanner(_JsonContext())

    def _loads(text):
        text = text.strip()
        try:
            value, end = _scan_json(text, 0)
        except StopIteration:
            raise ValueError("not JSON") from None
        if end != _len(text):
            raise ValueError("extra data after the JSON value")
        return value

else:  # pragma: no cover
    import json

    def _dumps(value):
        return json.dumps(value, ensure_ascii=False)

    _loads = json.loads

PROTOCOL = 1
MAX_DEPTH = 60  # nested containers in a returned value (the host's JSON depth limit is 128)
MAX_NODES = 1_000_000  # values in one returned value

# Sent when memory is exhausted, so reporting it needs no allocation.
_MEMORY_FRAME = _dumps(
    {
        "status": "exception",
        "phase": "case",
        "exception": {"types": ["MemoryError", "Exception", "BaseException"], "message": ""},
        "protocol": PROTOCOL,
    }
).encode()
_MEMORY_FRAME = b"KATA-FRAME 1 %d\n" % _len(_MEMORY_FRAME) + _MEMORY_FRAME

FRAME_FD = 1
DISPLAY_NAME = "<submission>"
SOURCE = None  # the candidate's source, for quoting its lines in tracebacks


def write_all(data):
    view = memoryview(data)
    while view:
        view = view[_write(FRAME_FD, view):]


def send(frame):
    """Writes the one frame and ends the process at once: nothing the candidate registered
    (atexit hooks, threads, finalizers) runs after the result is known."""
    frame["protocol"] = PROTOCOL
    data = _dumps(frame).encode("utf-8", "surrogatepass")
    write_all(b"KATA-FRAME 1 %d\n" % _len(data) + data)
    _exit(0)


def hand_over():
    """Marks the channel the moment before the candidate's code first runs: from here on the
    host believes no report of the harness's or the exercise's own failure (runner/protocol/frame.rs)."""
    write_all(b"KATA-HANDOVER 1\n")
    watch_cpu_limit()


def watch_cpu_limit():
    """At the CPU limit's soft value the kernel sends SIGXCPU (and SIGKILL a second later):
    report the line the candidate's code was running, so the learner sees where it was stuck,
    then die of the signal so the host sees the limit. Only the subprocess sandbox has it."""
    global _SIGNAL
    try:
        import _signal

        _signal.signal(_signal.SIGXCPU, _on_cpu_limit)
        _SIGNAL = _signal
    except (ImportError, AttributeError, ValueError, OSError):
        pass


_SIGNAL = None  # the `_signal` module once the handler is in place (the candidate may patch it)


def _on_cpu_limit(signum, frame):
    # The innermost frame of the candidate's own file: never a value, only a line and a name.
    while frame is not None and frame.f_code.co_filename != DISPLAY_NAME:
        frame = frame.f_back
    if frame is not None:
        body = {"status": "stopped", "line": frame.f_lineno, "function": frame.f_code.co_name}
        body["protocol"] = PROTOCOL
        data = _dumps(body).encode("utf-8", "surrogatepass")
        write_all(b"KATA-FRAME 1 %d\n" % _len(data) + data)
    _SIGNAL.signal(signum, _SIGNAL.SIG_DFL)
    _os.kill(_os.getpid(), signum)
    _exit(70)  # not reached: the signal ends the process


def send_out_of_memory():
    write_all(_MEMORY_FRAME)
    _exit(0)


def clean(text):
    """Text that is safe to put in the frame (no lone surrogates)."""
    if text is None:
        return None
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class CappedSink(io.RawIOBase):
    """Collects a stream's bytes; past the cap, the case ends as an output-limit frame."""

    def __init__(self, name, cap):
        self.name = name
        self.cap = cap
        self.size = 0
        self.chunks = []

    def writable(self):
        return True

    def write(self, data):
        n = _len(data)
        if self.size + n > self.cap:
            send({"status": "output-limit", "stream": self.name})
        self.chunks.append(bytes(data))
        self.size += n
        return n

    def take(self):
        """The bytes collected since the last take, as text."""
        text = b"".join(self.chunks).decode("utf-8", "replace")
        self.chunks.clear()
        return text


class Capture:
    """sys.stdout or sys.stderr replaced by a capped in-memory stream."""

    def __init__(self, name, cap):
        self.sink = CappedSink(name, cap)
        self.stream = io.TextIOWrapper(
            io.BufferedWriter(self.sink), encoding="utf-8", errors="backslashreplace"
        )

    def take(self):
        try:
            self.stream.flush()
        except (ValueError, OSError):  # the candidate closed or broke the stream
            pass
        return self.sink.take()


# ---------------------------------------------------------------- value encoding


class BadValue(Exception):
    def __init__(self, type_name, path):
        super().__init__(type_name, path)
        self.type_name = type_name
        self.path = path


class TooLarge(Exception):
    pass


class RaisedStep:
    """One ops step that raised: recorded in the results instead of a return value."""

    def __init__(self, exc):
        self.exc = exc


_TAGS = {list: "l", tuple: "t", set: "set", frozenset: "fs"}


def encode(value, path, depth, budget):
    """kata's exact-type encoding: only built-in types, checked with `type(v) is T`, so a
    subclass with a rigged __eq__ or __repr__ cannot pass itself off as a plain value."""
    budget[0] -= 1
    if budget[0] < 0:
        raise TooLarge()
    if depth > MAX_DEPTH:
        raise BadValue("a value nested more than %d levels deep" % MAX_DEPTH, path)
    t = _type(value)
    if value is None or t is bool:
        return value
    if t is int:
        return {"i": str(value)}
    if t is float:
        return {"f": repr(value)}
    if t is str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadValue("str with unpaired surrogates", path) from None
        return {"s": value}
    if t is bytes:
        return {"b": value.hex()}
    if t in _TAGS:
        return {
            _TAGS[t]: [
                encode(item, "%s[%d]" % (path, i), depth + 1, budget)
                for i, item in enumerate(value)
            ]
        }
    if t is dict:
        pairs = []
        for i, (key, item) in enumerate(value.items()):
            key = encode(key, "%s key %d" % (path, i), depth + 1, budget)
            pairs.append([key, encode(item, "%s[%d]" % (path, i), depth + 1, budget)])
        return {"d": pairs}
    if t is RaisedStep:
        return {"raised": exception_info(value.exc)}
    raise BadValue(t.__qualname__, path)


def decode(wire):
    """The host's encoding of the ops arguments (the same tags as `encode`), as values."""
    if wire is None or wire is True or wire is False:
        return wire
    ((tag, body),) = wire.items()
    if tag == "i":
        return int(body)
    if tag == "f":
        return float(body)
    if tag == "s":
        return body
    if tag == "b":
        return bytes.fromhex(body)
    if tag == "l":
        return [decode(item) for item in body]
    if tag == "t":
        return tuple(decode(item) for item in body)
    if tag == "set":
        return {decode(item) for item in body}
    if tag == "fs":
        return frozenset(decode(item) for item in body)
    if tag == "d":
        return {decode(key): decode(item) for key, item in body}
    raise ValueError("unknown tag %r" % tag)


def encode_result(value):
    try:
        return {"value": encode(value, "$", 0, [MAX_NODES])}
    except BadValue as bad:
        return {"status": "bad-value", "type": clean(bad.type_name), "path": bad.path}
    except TooLarge:
        return {"status": "output-limit", "stream": "value"}
    except MemoryError:
        raise
    except Exception as exc:  # e.g. another thread of the candidate's mutating the value
        return {"status": "bad-value", "type": "unreadable (%s)" % _type(exc).__name__, "path": "$"}


# ---------------------------------------------------------------- exceptions


def exception_info(exc):
    return {
        "types": [cls.__name__ for cls in _type(exc).__mro__ if cls is not object],
        "message": clean(safe_str(exc)),
        "traceback": clean(candidate_traceback(exc)),
    }


def safe_str(exc):
    try:
        return str(exc)
    except BaseException:  # a candidate's exception may break str() itself
        return "<unprintable %s>" % _type(exc).__name__


def candidate_traceback(exc):
    """The traceback cut down to the candidate's own frames (the harness's are noise)."""
    try:
        import linecache
        import traceback

        if SOURCE is not None:
            # Lets tracebacks quote the candidate's lines although the file has another name.
            linecache.cache[DISPLAY_NAME] = (_len(SOURCE), None, SOURCE.splitlines(True), DISPLAY_NAME)
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == DISPLAY_NAME]
        lines = traceback.format_list(frames) + traceback.format_exception_only(_type(exc), exc)
        return "".join(lines).rstrip("\n")
    except BaseException:
        return "%s: %s" % (_type(exc).__name__, safe_str(exc))


# ---------------------------------------------------------------- one case


class Case:
    def __init__(self, request):
        self.request = request
        self.kind = request["kind"]
        self.out = Capture("stdout", request["output_bytes"])
        self.err = Capture("stderr", request["output_bytes"])
        self.setup_stdout = None
        self.leetcode = request.get("leetcode")
        self.via = None  # LeetCode's entry point, when the case is graded through it
        self.shadowed = []  # support names the candidate defined for itself

    def finish(self, frame):
        frame["stdout"] = self.out.take()
        frame["stderr"] = self.err.take()
        if self.setup_stdout:
            frame["setup_stdout"] = self.setup_stdout
        if self.via:
            frame["via"] = self.via
        if self.shadowed:
            frame["shadowed"] = self.shadowed
        send(frame)

    def fail(self, exc, phase):
        if _isinstance(exc, MemoryError):
            send_out_of_memory()
        self.finish({"status": "exception", "phase": phase, "exception": exception_info(exc)})

    def setup_error(self, what, exc):
        message = "%s: %s: %s" % (what, _type(exc).__name__, safe_str(exc))
        self.finish({"status": "setup-error", "message": clean(message)})

    def run(self):
        sys.stdout, sys.stderr = self.out.stream, self.err.stream
        try:
            support = self.load_support()
        except BaseException as exc:
            self.setup_error("the exercise's support code failed", exc)
        code = self.compile_submission()
        if self.kind == "stdin":
            hand_over()
            self.run_main(code, support)
        case_code = self.compile_case()
        hand_over()
        namespace = self.import_candidate(code, support, case_code)
        try:
            result = self.run_case(namespace, case_code[1])
        except BaseException as exc:
            missing = missing_entry(exc, namespace)
            if missing is not None:
                self.explain_missing(missing, namespace)
            self.fail(exc, "case")
        frame = {"status": "ok"}
        if self.kind in ("call", "ops"):
            frame.update(encode_result(result))
        self.finish(frame)

    def load_support(self):
        """Stock modules and the exercise's support code, as one namespace of helpers."""
        namespace = {"__name__": "kata_support", "__builtins__": builtins}
        for name, code in self.request["support_modules"]:
            exec(compile(code, "<kata support: %s>" % name, "exec"), namespace)
        if self.request["support_code"]:
            exec(compile(self.request["support_code"], "<exercise support>", "exec"), namespace)
        return {k: v for k, v in namespace.items() if not k.startswith("__")}

    def compile_submission(self):
        global SOURCE
        with open(self.request["submission_path"], "rb") as handle:
            source = handle.read().decode("utf-8", "replace")
        SOURCE = source
        try:
            return compile(source, DISPLAY_NAME, "exec", dont_inherit=True)
        except SyntaxError as exc:
            import traceback  # only now: importing it costs every case milliseconds

            self.finish(
                {
                    "status": "syntax-error",
                    "type": _type(exc).__name__,
                    "message": clean(exc.msg),
                    "line": exc.lineno,
                    "column": exc.offset,
                    "text": clean((exc.text or "").rstrip("\n")),
                    # Python's own rendering: the file, the line and carets under the problem.
                    "traceback": clean("".join(traceback.format_exception_only(_type(exc), exc)).rstrip("\n")),
                }
            )
        except ValueError as exc:  # e.g. NUL bytes in the source
            self.finish({"status": "syntax-error", "type": "ValueError", "message": clean(str(exc))})

    def run_main(self, code, support):
        """A stdin case: the candidate is the main program; its whole stdout is the result."""
        namespace = {
            "__name__": "__main__",
            "__builtins__": builtins,
            "__file__": self.request["submission_path"],
        }
        namespace.update(support)
        try:
            exec(code, namespace)
        except SystemExit as exc:
            status = exc.code
            if status is not None and status != 0:
                message = None if _type(status) is int else clean(safe_str(status))
                code = status if _type(status) is int else 1
                self.finish({"status": "exit", "exit_code": code, "message": message})
        except BaseException as exc:
            self.fail(exc, "main")
        self.finish({"status": "ok"})

    def import_candidate(self, code, support, case_code):
        module = _ModuleType("solution")
        module.__file__ = self.request["submission_path"]
        if self.leetcode is not None:
            # LeetCode's environment defines these without an import; the candidate's own
            # definitions and imports replace them, as they would there.
            module.__dict__.update(leetcode_names(SOURCE))
        module.__dict__.update(support)
        sys.modules["solution"] = module
        try:
            exec(code, module.__dict__)
        except BaseException as exc:
            self.fail(exc, "import")
        self.setup_stdout = self.out.take()
        if self.leetcode is not None:
            self.via = leetcode_entry(module.__dict__, self.leetcode)
        # The case's helpers build inputs and read outputs with kata's own classes, whatever
        # the candidate named its own: kata's support code wins in the case's namespace.
        self.shadowed = sorted(
            name for name, value in support.items() if module.__dict__.get(name) is not value
        )
        namespace = dict(module.__dict__)
        namespace.update(support)
        if case_code[0] is not None:
            # After the handover: a failure here may be the candidate's doing, so it counts as
            # the submission's (the exercise's own checks run these helpers on the reference).
            try:
                exec(case_code[0], namespace)
            except BaseException as exc:
                self.fail(exc, "case")
        return namespace

    def explain_missing(self, name, namespace):
        """Ends the case with one explanation of the missing entry point, reported as the
        submission's failure to load (it is the same for every case)."""
        info = {
            "types": ["NameError", "Exception", "BaseException"],
            "message": clean(describe_missing(name, namespace, self.leetcode)),
        }
        frame = {"status": "exception", "phase": "import", "exception": info}
        self.finish(dict(frame, missing_entry=name))

    def compile_case(self):
        """Compiles the case's helpers and code while only kata's code has run, so that their
        failing to compile is still believed to be the exercise's fault."""
        helpers = compiled = None
        try:
            if self.request["case_support"]:
                helpers = compile(self.request["case_support"], "<case support>", "exec")
        except BaseException as exc:
            self.setup_error("the exercise's case helpers do not compile", exc)
        if self.kind in ("call", "script"):
            mode = "eval" if self.kind == "call" else "exec"
            source = self.request["expr"] if self.kind == "call" else self.request["script"]
            try:
                compiled = compile(source, "<case>", mode)
            except BaseException as exc:
                self.setup_error("the case's %s does not compile" % self.kind, exc)
        return helpers, compiled

    def run_case(self, namespace, compiled):
        if self.kind == "ops":
            return run_ops(self.request["ops"], decode(self.request["args"]), namespace)
        if self.kind == "call":
            return eval(compiled, namespace)
        exec(compiled, namespace)
        return None


# ---------------------------------------------------------------- LeetCode's conventions

# What LeetCode's Python 3 environment provides without an import (docs/exercise-format.md
# lists them): typing's generics, the modules answers use most, and their common names.
_LEETCODE_IMPORTS = (
    ("typing", ("List", "Dict", "Set", "FrozenSet", "Tuple", "Optional", "Union", "Any",
                "Callable", "Iterable", "Iterator", "Generator", "Deque", "DefaultDict")),
    ("collections", ("deque", "defaultdict", "Counter", "OrderedDict", "namedtuple")),
    ("heapq", ("heappush", "heappop", "heapify", "heappushpop", "heapreplace", "nlargest",
               "nsmallest")),
    ("bisect", ("bisect", "bisect_left", "bisect_right", "insort", "insort_left",
                "insort_right")),
    ("functools", ("lru_cache", "cache", "reduce", "cmp_to_key")),
    ("itertools", ("accumulate", "chain", "combinations", "permutations", "product",
                   "groupby", "zip_longest", "islice", "pairwise")),
    ("math", ("inf", "gcd", "sqrt", "isqrt", "floor", "ceil", "log2", "comb")),
)
_LEETCODE_MODULES = ("sys", "collections", "heapq", "bisect", "functools", "itertools", "math",
                     "operator", "string")


# Punctuation to spaces: what is left splits into the source's words.
_NOT_A_NAME = {ord(c): " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~"}


def leetcode_names(source):
    """LeetCode's implicit names that `source` mentions. Only the modules they come from are
    imported: in the wasm sandbox, importing `typing` alone costs about as much as starting
    Python, so an answer that never says `List` should not pay for it."""
    words = set(source.translate(_NOT_A_NAME).split())
    names = {}
    for module_name in _LEETCODE_MODULES:
        if module_name in words:
            names[module_name] = __import__(module_name)
    for module_name, attributes in _LEETCODE_IMPORTS:
        wanted = [attribute for attribute in attributes if attribute in words]
        if wanted:
            module = __import__(module_name)
            for attribute in wanted:
                names[attribute] = getattr(module, attribute)
    return names


def _solution_call(cls, method):
    def call(*args, **kwargs):
        return getattr(cls(), method)(*args, **kwargs)  # a fresh Solution per call, as LeetCode

    return call


def _renamed(method):
    def call(self, *args, **kwargs):
        return getattr(self, method)(*args, **kwargs)

    return call


def leetcode_entry(namespace, leetcode):
    """Points kata's entry points at LeetCode's where the module defines LeetCode's and not
    kata's. Returns how the case is called then (for the report), or None."""
    via = []
    cls = namespace.get("Solution")
    for kata_name, method in leetcode.get("functions", ()):
        if kata_name not in namespace and _isinstance(cls, _type) and hasattr(cls, method):
            namespace[kata_name] = _solution_call(cls, method)
            via.append("Solution().%s" % method)
    design = leetcode.get("design")
    if design:
        kata_name, leetcode_name = design
        cls = namespace.get(leetcode_name)
        if kata_name not in namespace and _isinstance(cls, _type):
            renamed = {
                ours: _renamed(theirs)
                for ours, theirs in leetcode.get("methods", ())
                if not hasattr(cls, ours) and hasattr(cls, theirs)
            }
            # Named as the candidate named it, so its errors speak of its own class.
            namespace[kata_name] = _type(leetcode_name, (cls,), renamed) if renamed else cls
            via.append(leetcode_name)
    return ", ".join(via) or None


def missing_entry(exc, namespace):
    """The name the case called that the submission does not define, if that is why `exc`
    was raised: a NameError raised in kata's case code, not in the candidate's."""
    if _type(exc) is not NameError:
        return None
    name = getattr(exc, "name", None)
    if not name or name in namespace:
        return None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == DISPLAY_NAME:
            return None  # the candidate's own code looked the name up
        tb = tb.tb_next
    return name


def _squash(name):
    return name.replace("_", "").lower()


def describe_missing(name, namespace, leetcode):
    """What kata calls, what the file defines instead, and how to fix it."""
    import difflib

    defined = {}  # what the candidate defined: top-level names and the methods of its classes
    for key, value in namespace.items():
        if key.startswith("__") or _isinstance(value, _ModuleType):
            continue
        if getattr(value, "__module__", None) == "solution":
            defined[key] = key
            if _isinstance(value, _type):
                for attribute in vars(value):
                    if not attribute.startswith("__"):
                        defined.setdefault(attribute, "%s.%s" % (key, attribute))
    parts = [
        "kata calls `%s`, but the submission defines no `%s` at the top level of the file."
        % (name, name)
    ]
    solution = namespace.get("Solution")
    if _isinstance(solution, _type) and getattr(solution, "__module__", None) == "solution":
        methods = [m for m in vars(solution) if not m.startswith("__")]
        if leetcode is None:
            parts.append(
                "It defines a LeetCode-style `class Solution` (%s); this exercise is not a "
                "LeetCode problem, so kata does not call it." % ", ".join(methods or ["no methods"])
            )
        else:
            wanted = [theirs for ours, theirs in leetcode.get("functions", ()) if ours == name]
            if wanted:
                parts.append(
                    "It defines a `class Solution`, but with no method `%s`, which is what kata "
                    "calls on LeetCode's class (it has: %s)."
                    % (wanted[0], ", ".join(methods or ["no methods"]))
                )
    squashed = {_squash(key): key for key in defined}
    guess = squashed.get(_squash(name))
    if guess is None:
        close = difflib.get_close_matches(name, list(defined), 1, 0.75)
        guess = close[0] if close else None
    if guess is not None:
        parts.append("Did you mean `%s`?" % defined[guess])
    parts.append(
        "Define `%s` at the top level, with the name and parameters the prompt gives." % name
    )
    if leetcode is not None:
        design = leetcode.get("design")
        if design and design[0] == name:
            parts.append("LeetCode's class `%s` works too." % design[1])
        for ours, theirs in leetcode.get("functions", ()):
            if ours == name:
                parts.append("LeetCode's `class Solution` with a method `%s` works too." % theirs)
    return " ".join(parts)


def run_ops(ops, args, namespace):
    """LeetCode's convention: ops[0] names the class, the rest are method calls. The results
    hold None for the constructor, then each method's return value or the exception it raised."""
    if ops[0] not in namespace:
        raise NameError("name %r is not defined" % ops[0], name=ops[0])
    instance = namespace[ops[0]](*args[0])
    results = [None]
    for name, arguments in zip(ops[1:], args[1:]):
        method = getattr(instance, name)
        try:
            results.append(method(*arguments))
        except Exception as exc:
            if _isinstance(exc, MemoryError):
                raise
            results.append(RaisedStep(exc))
    return results


def main():
    global FRAME_FD, DISPLAY_NAME
    FRAME_FD = int(sys.argv[2])
    if FRAME_FD > 2:
        _os.set_inheritable(FRAME_FD, False)
    with open(sys.argv[1], "rb") as handle:
        request = _loads(handle.read().decode("utf-8"))
    if request.get("cwd"):  # the wasm sandbox cannot start a process in a directory
        _os.chdir(request["cwd"])
    DISPLAY_NAME = request["display_name"]
    Case(request).run()


def run():
    """The entry point: `python harness.py ...`, or `import kata_harness; kata_harness.run()`
    where the wasm sandbox has it precompiled."""
    try:
        main()
    except MemoryError:
        send_out_of_memory()
    except BaseException as exc:  # a bug in the harness itself: say so, never a verdict
        try:
            send({"status": "harness-error", "message": clean("%s: %s" % (_type(exc).__name__, exc))})
        except BaseException:
            _exit(70)


if __name__ == "__main__":
    run()
