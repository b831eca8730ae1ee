# kata: adv-secret
# verdict: wrong-answer
# attack: read other processes' memory, descriptors and maps (the keeper, PID 1, the grader)
import os


def answer(kind):
    opened = []
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        pids = []
    for pid in pids:
        if int(pid) == os.getpid():
            continue
        for name in ("mem", "environ", "maps", "fd", "root", "cwd"):
            path = "/proc/%s/%s" % (pid, name)
            try:
                if name == "fd":
                    opened.append((path, os.listdir(path)))
                elif name in ("root", "cwd"):
                    opened.append((path, os.listdir(path)))
                else:
                    with open(path, "rb") as handle:
                        handle.read(64)
                    opened.append((path, "read"))
            except OSError:
                pass
    if opened:
        raise RuntimeError("reached into other processes: %r" % opened)
    return "nothing found"
