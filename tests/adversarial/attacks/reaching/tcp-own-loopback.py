# kata: adv-sockets
# verdict: wrong-answer
# verdict[landlock]: internal-error
# gap[landlock]: kata refuses exercises that require sockets when it cannot give the box its own
#   network namespace (a socket would reach the host's loopback and beyond)
# attack: with sockets granted, the box's own loopback must work, and the host's stay out of reach
import socket

PORTS = (47811, 47821, 47831)


def shout(text):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    # One thread is all this exercise may have: the kernel completes the handshake for the
    # listening socket's backlog, so connect, then accept.
    with socket.create_connection(server.getsockname(), timeout=2) as client:
        connection, _ = server.accept()
        client.sendall(b"ping")
        connection.sendall(connection.recv(100))
        if client.recv(100) != b"ping":
            raise RuntimeError("the box's own loopback does not work")
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
