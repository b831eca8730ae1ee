# kata: adv-files
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: WASI has no permissions: os.chmod succeeds without doing anything (the host canaries check confirms nothing changed)
# attack: tamper with host files where the grader would look (the suite's canaries), by path,
#   symlink and hard link, and leave links and locked directories for the cleanup to trip on
import os

CANARY = "/tmp/kata-adversarial/canary.txt"
CANARY_DIR = "/tmp/kata-adversarial/canary.d"


def shout_file():
    damage = []
    for action in (
        lambda: open(CANARY, "a").write("pwned"),
        lambda: os.chmod(CANARY, 0o777),
        lambda: os.unlink(os.path.join(CANARY_DIR, "keep.txt")),
        lambda: open(os.path.join(CANARY_DIR, "planted"), "w").write("x"),
        lambda: os.link(CANARY, "hardlink"),
        lambda: os.write(os.open("hardlink", os.O_WRONLY | os.O_APPEND), b"pwned"),
    ):
        try:
            action()
            damage.append(action.__code__.co_firstlineno)
        except OSError:
            pass
    # For the cleanup: links to the canaries, and a directory nobody may enter.
    for name, target in (("data/words.txt.link", CANARY), ("out/dir", CANARY_DIR), ("up", "..")):
        try:
            os.symlink(target, name)
        except OSError:
            pass
    try:
        os.makedirs("locked/inner", exist_ok=True)
        os.symlink(CANARY, "locked/inner/link")
        os.chmod("locked/inner", 0)
        os.chmod("locked", 0)
    except OSError:
        pass
    if damage:
        raise RuntimeError("reached the host's canaries (steps on lines %r)" % damage)
    return "nope"
