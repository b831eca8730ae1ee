# kata: adv-shout
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: descriptor 3 does not exist in the wasm sandbox: the forgery fails with EBADF
# attack: send the only frame itself and exit 0 before the harness can (the value is a guess)
import json
import os


def shout(text):
    body = json.dumps(
        {"status": "ok", "value": {"s": "FORGED!"}, "stdout": "", "stderr": "", "protocol": 1}
    ).encode()
    os.write(3, b"KATA-FRAME 1 %d\n" % len(body) + body)
    os._exit(0)
