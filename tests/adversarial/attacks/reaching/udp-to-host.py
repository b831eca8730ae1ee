# kata: adv-shout
# verdict: wrong-answer
# attack: send datagrams to the host's loopback, where the suite listens on UDP
import socket


def shout(text):
    try:
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    except OSError:
        return "nope"
    sent = []
    for port in (47812, 47822, 47832):
        try:
            sender.sendto(b"box was here", ("127.0.0.1", port))
            sent.append(port)
        except OSError:
            pass
    if sent:
        raise RuntimeError("sent datagrams to %r" % sent)
    return "nope"
