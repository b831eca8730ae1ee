# kata: adv-shout
# verdict: runtime-error
# attack: write a well-formed frame of its own on the result channel; the harness's follows
import json
import os


def shout(text):
    body = json.dumps({"status": "ok", "value": {"s": text.upper() + "!"}, "protocol": 1}).encode()
    os.write(3, b"KATA-FRAME 1 %d\n" % len(body) + body)
    return "nope"
