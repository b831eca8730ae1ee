# kata: adv-shout
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: WASI CPython has no getaddrinfo and kata grants no sockets
# attack: connect to the host's loopback, where the suite listens on TCP
import socket

PORTS = (47811, 47821, 47831)


def shout(text):
    reached = []
    for port in PORTS:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
                connection.sendall(b"box was here")
                reached.append(port)
        except OSError:
            pass
    if reached:
        raise RuntimeError("reached the host's loopback on %r" % reached)
    return "nope"
