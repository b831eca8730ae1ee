# kata: adv-shout
# verdict: runtime-error
# attack: patch the builtins and json the harness might use to encode the result (the harness
#   breaks, and with it the result channel: a crash, never a pass)
import builtins
import json

builtins.type = lambda *args: str
builtins.isinstance = lambda *args: True
builtins.len = lambda *args: 0
json.dumps = lambda *args, **kwargs: '{"status": "ok", "value": {"s": "HEY!"}}'


def shout(text):
    return 42
