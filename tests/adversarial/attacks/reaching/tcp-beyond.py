# kata: adv-sockets
# verdict: wrong-answer
# verdict[landlock]: internal-error
# gap[landlock]: kata refuses exercises that require sockets when it cannot give the box its own
#   network namespace (a socket would reach the host's loopback and beyond)
# attack: connect to hosts on the internet; with no route out this fails at once
import socket
import time


def shout(text):
    outcomes = []
    for address in (("1.1.1.1", 80), ("8.8.8.8", 53), ("2001:4860:4860::8888", 53)):
        started = time.monotonic()
        try:
            socket.create_connection(address, timeout=0.4).close()
            outcomes.append((address, "connected"))
        except socket.timeout:
            outcomes.append((address, "timed out: packets left the box"))
        except OSError as error:
            if time.monotonic() - started > 0.3:
                outcomes.append((address, "slow failure: %s" % error))
    if outcomes:
        raise RuntimeError("reached out: %r" % outcomes)
    return "nope"
