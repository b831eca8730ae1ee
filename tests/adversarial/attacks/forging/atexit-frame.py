# kata: adv-shout
# verdict: wrong-answer
# attack: register exit hooks that write a forged frame after the real one
import atexit
import json
import os


def forge():
    body = json.dumps({"status": "ok", "value": {"s": "FORGED!"}, "protocol": 1}).encode()
    os.write(3, b"KATA-FRAME 1 %d\n" % len(body) + body)


atexit.register(forge)


def shout(text):
    return "nope"
