# kata: adv-shout
# verdict: wrong-answer
# verdict[landlock]: runtime-error | time-limit-exceeded
# gap[landlock]: without a mount namespace the working directory is on the host's disk: each
#   file is capped by RLIMIT_FSIZE, but not their total (the attack notices, unless the host's
#   disk is so slow that the clock stops it first)
# verdict[wasm]: output-limit-exceeded
# gap[wasm]: WASI has no tmpfs; kata measures the working directory every 10 ms and stops the case past 16 MiB
# attack: write files in /tmp and the working directory until the disk is full
import os
import tempfile

LIMIT = 48 << 20  # more than any box may write


def shout(text):
    written = 0
    chunk = b"\0" * (1 << 20)
    for directory in (tempfile.gettempdir(), os.getcwd()):
        for index in range(64):
            try:
                with open(os.path.join(directory, "fill-%d" % index), "wb") as handle:
                    for _ in range(8):
                        handle.write(chunk)
                        handle.flush()
                        written += len(chunk)
            except OSError:
                break
            if written > LIMIT:
                raise RuntimeError("wrote %d MiB" % (written >> 20))
    return "nope"
