# kata: adv-secret
# verdict: wrong-answer
# attack: plant symlinks to the host in the working directory and read through them
import os


def answer(kind):
    found = []
    for name, target in (("root", "/"), ("tmp", "/tmp"), ("up", "../../.."), ("etc", "/etc")):
        try:
            os.symlink(target, name)
        except OSError:
            continue
        for inner in ("", "tmp", "work", "root"):
            try:
                entries = os.listdir(os.path.join(name, inner))
            except OSError:
                continue
            found += [e for e in entries if e.startswith("kata-") or e.endswith(".toml")]
    if found:
        raise RuntimeError("saw host files through planted links: %r" % found)
    return "nothing found"
