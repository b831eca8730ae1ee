# kata: adv-shout
# verdict: runtime-error
# checks: fast, host
# attack: finish a call case with no value at all, a frame that does not fit the kind of case
import sys


def harness():
    """The harness module: __main__ natively, kata_harness in the wasm sandbox."""
    for module in list(sys.modules.values()):
        if hasattr(module, "send") and hasattr(module, "FRAME_FD"):
            return module
    raise RuntimeError("no harness found")


def shout(text):
    harness().send({"status": "ok"})
