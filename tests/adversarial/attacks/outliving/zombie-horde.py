# kata: adv-processes
# verdict: wrong-answer
# verdict[landlock]: wrong-answer | runtime-error
# gap[landlock]: without a user namespace RLIMIT_NPROC counts every process of the grader's uid,
#   so the two cases' boxes, running at once, share one process cap: the second may be refused
#   a fork (BlockingIOError) while the first holds its 20 children
# checks: fast
# attack: make children that exit at once and never reap them
import os


def shout(text):
    for _ in range(20):
        if os.fork() == 0:
            os._exit(0)
    return "nope"
