# kata: adv-sockets
# verdict: wrong-answer
# verdict[landlock]: internal-error
# gap[landlock]: kata refuses exercises that require sockets when it cannot give the box its own
#   network namespace (a socket would reach the host's loopback and beyond)
# attack: with sockets granted, send datagrams to the host's loopback and to a DNS server
import socket


def shout(text):
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for port in (47812, 47822, 47832):
        try:
            sender.sendto(b"box was here", ("127.0.0.1", port))
        except OSError:
            pass
    try:
        sender.sendto(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", ("8.8.8.8", 53))
    except OSError:
        return "nope"
    raise RuntimeError("a datagram left for 8.8.8.8")
