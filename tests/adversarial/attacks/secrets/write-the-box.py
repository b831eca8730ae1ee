# kata: adv-secret
# verdict: wrong-answer
# attack: overwrite the harness, the request and the submission (read-only), and the root
import os


def answer(kind):
    written = []
    for path in ("/box/harness.py", "/box/request.json", "/box/submission.py", "/etc/passwd",
                 "/usr/lib/os-release", "/new-file", "/box/new-file"):
        try:
            with open(path, "a") as handle:
                handle.write("# pwned\n")
            written.append(path)
        except OSError:
            pass
    harness = os.path.join(os.path.dirname(os.path.abspath(__file__)), "harness.py")
    try:
        with open(harness, "a") as handle:
            handle.write("# pwned\n")
        written.append(harness)
    except OSError:
        pass
    if written:
        raise RuntimeError("wrote outside the working directory: %r" % written)
    return "nothing found"
