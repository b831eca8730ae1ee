# kata: adv-shout
# verdict: runtime-error
# checks: fast, host
# attack: write kata's handover mark again and then a harness-error frame, hoping the second
#   mark hides the first one and the harness's failure is believed
import os
import sys


def harness():
    """The harness module: __main__ natively, kata_harness in the wasm sandbox."""
    for module in list(sys.modules.values()):
        if hasattr(module, "send") and hasattr(module, "FRAME_FD"):
            return module
    raise RuntimeError("no harness found")


def shout(text):
    module = harness()
    module.write_all(b"KATA-HANDOVER 1\n")
    module.send({"status": "harness-error", "message": "kata broke, not me"})
