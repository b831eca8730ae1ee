# kata: adv-secret
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: WASI has no parent process to look up: os.getppid does not exist
# attack: read the kata binary (it embeds the catalogue, hidden cases included)
import os
import shutil


def answer(kind):
    candidates = ["/proc/1/exe", "/proc/%d/exe" % os.getppid()]
    for directory in ("/usr/local/bin", "/usr/bin", "/root/.cargo/bin", "/bin", "/opt"):
        candidates.append(os.path.join(directory, "kata"))
    found = shutil.which("kata")
    if found:
        candidates.append(found)
    for path in candidates:
        try:
            with open(path, "rb") as handle:
                data = handle.read(64 << 20)
        except OSError:
            continue
        if b"KATA-FRAME" in data:
            raise RuntimeError("read the grader's binary at %s" % path)
    return "nothing found"
