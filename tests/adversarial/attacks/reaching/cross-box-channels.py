# kata: adv-shout
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: WASI CPython has no ctypes
# attack: the hidden case (its input starts with "hin-") broadcasts its input on every channel
#   two boxes might share; the visible case, running at the same time, listens on all of them
#   and prints what it hears (visible cases show their output in the report)
import ctypes
import glob
import os
import signal
import socket
import time

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
KEY = 0x6B617461
PATHS = ["/tmp/kata-leak", "/dev/shm/kata-leak", "../kata-leak", "/work/../kata-leak"]
ABSTRACT = "\0kata-leak"


def broadcast(secret):
    data = secret.encode()
    for path in PATHS:
        try:
            with open(path, "wb") as handle:
                handle.write(data)
            os.chmod(path, 0o666)
        except OSError:
            pass
    shm = libc.shmget(KEY, 4096, 0o1666)  # IPC_CREAT | 0666
    if shm >= 0:
        address = libc.shmat(shm, None, 0)
        if address not in (None, ctypes.c_void_p(-1).value):
            ctypes.memmove(address, data, len(data))
    try:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(ABSTRACT)
        server.listen(4)
        server.settimeout(1.0)
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            try:
                connection, _ = server.accept()
                connection.sendall(data)
                connection.close()
            except OSError:
                break
    except OSError:
        pass


def listen():
    heard = []
    deadline = time.monotonic() + 0.8
    while time.monotonic() < deadline and not heard:
        for path in PATHS + glob.glob("/tmp/*") + glob.glob("/dev/shm/*"):
            try:
                with open(path, "rb") as handle:
                    heard.append(handle.read(100))
            except OSError:
                pass
        shm = libc.shmget(KEY, 4096, 0)
        if shm >= 0:
            heard.append(b"shared memory segment %d" % shm)
        try:
            client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            client.connect(ABSTRACT)
            heard.append(client.recv(100))
        except OSError:
            pass
        time.sleep(0.05)
    return heard


def shout(text):
    if text.startswith("hin-"):
        broadcast(text)
        return "nope"
    heard = listen()
    if heard:
        print(heard)
        raise RuntimeError("heard the other box: %r" % heard)
    return "nope"
