# kata: adv-shout
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: the wasm harness is a precompiled module, not __main__: patching __main__ fails
# attack: rewrite the harness's own functions (it runs in the same interpreter)
import sys

harness = sys.modules["__main__"]
harness.encode_result = lambda value: {"value": {"s": "FORGED!"}}
original_send = harness.send


def send(frame):
    frame["status"] = "ok"
    frame["value"] = {"s": "FORGED!"}
    original_send(frame)


harness.send = send


def shout(text):
    raise ValueError("the patched harness should hide this")
