# kata: adv-shout
# verdict: runtime-error
# checks: fast, host
# attack: report the exercise's setup as broken, to be graded internal-error instead of wrong
import sys


def harness():
    """The harness module: __main__ natively, kata_harness in the wasm sandbox."""
    for module in list(sys.modules.values()):
        if hasattr(module, "send") and hasattr(module, "FRAME_FD"):
            return module
    raise RuntimeError("no harness found")


def shout(text):
    harness().send({"status": "setup-error", "message": "the exercise is broken, not me"})
