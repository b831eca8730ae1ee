# kata: adv-shout
# verdict: wrong-answer
# verdict[landlock]: runtime-error | time-limit-exceeded
# gap[landlock]: without a mount namespace the working directory is on the host's disk, whose
#   inodes are not capped per box (the attack notices, unless the host's disk is so slow that
#   the clock stops it first)
# verdict[wasm]: runtime-error | output-limit-exceeded
# gap[wasm]: WASI has no inode limit: kata counts the working directory's entries every 10 ms
#   and stops the case past 1024, so the attack may notice a few more first
# attack: create empty files until no more can be made
import os


def shout(text):
    created = 0
    try:
        while created < 1100:
            open("f%d" % created, "w").close()
            created += 1
    except OSError:
        pass
    if created >= 1100:  # a box's tmpfs has 1024 inodes
        raise RuntimeError("created %d files" % created)
    return "nope"
