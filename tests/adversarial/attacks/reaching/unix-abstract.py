# kata: adv-shout
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: WASI has no Unix sockets
# attack: connect to an abstract Unix socket the suite listens on in the host's namespace
import socket


def shout(text):
    try:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    except OSError:
        return "nope"
    try:
        client.connect("\0kata-adversarial-canary")
    except OSError:
        return "nope"
    client.sendall(b"box was here")
    raise RuntimeError("connected to the host's abstract socket")
