# kata: adv-shout
# verdict: wrong-answer
# attack: patch the builtins and json the harness might use to encode the result (it holds
#   private references to what it uses, so the real return value is still reported: never a pass)
import builtins
import json

builtins.type = lambda *args: str
builtins.isinstance = lambda *args: True
builtins.len = lambda *args: 0
json.dumps = lambda *args, **kwargs: '{"status": "ok", "value": {"s": "HEY!"}}'


def shout(text):
    return 42
