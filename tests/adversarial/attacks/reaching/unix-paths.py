# kata: adv-shout
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: WASI has no Unix sockets
# attack: connect to well-known host sockets by path (the suite's canary, dbus, docker, systemd)
import socket

PATHS = (
    "/tmp/kata-adversarial/canary.sock",
    "/run/dbus/system_bus_socket",
    "/var/run/docker.sock",
    "/run/systemd/private",
    "/run/systemd/journal/stdout",
    "/dev/log",
)


def shout(text):
    reached = []
    for path in PATHS:
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            try:
                client = socket.socket(socket.AF_UNIX, kind)
            except OSError:
                continue
            try:
                client.connect(path)
                reached.append(path)
            except OSError:
                pass
            finally:
                client.close()
    if reached:
        raise RuntimeError("connected to %r" % reached)
    return "nope"
