# kata: adv-sockets
# verdict: wrong-answer
# verdict[landlock]: internal-error
# gap[landlock]: kata refuses exercises that require sockets when it cannot give the box its own
#   network namespace (a socket would reach the host's loopback and beyond)
# attack: resolve names (there is no resolver configuration and no route to one)
import socket


def shout(text):
    for name in ("example.com", "pypi.org", "localhost.localdomain"):
        try:
            addresses = socket.getaddrinfo(name, 80)
        except OSError:
            continue
        if name != "localhost.localdomain":
            raise RuntimeError("resolved %s: %r" % (name, addresses[:2]))
    return "nope"
