# kata: adv-shout
# verdict: runtime-error
# checks: fast, host
# attack: send a well-formed bad-value frame whose path is empty, which the judge once sliced and panicked on
import sys


def harness():
    """The harness module: __main__ natively, kata_harness in the wasm sandbox."""
    for module in list(sys.modules.values()):
        if hasattr(module, "send") and hasattr(module, "FRAME_FD"):
            return module
    raise RuntimeError("no harness found")


def shout(text):
    harness().send({"status": "bad-value", "type": "x", "path": ""})
