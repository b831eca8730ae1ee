# kata: adv-secret
# verdict: wrong-answer
# verdict[wasm]: runtime-error
# gap[wasm]: the descriptors it finds are the sandbox's own preopened directories (box, standard library, working directory)
# attack: look for descriptors the grader forgot to close (pipes to the keeper, files)
import os
import stat


def answer(kind):
    open_fds = []
    for fd in range(4, 1024):
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            continue
        open_fds.append((fd, stat.filemode(mode)))
    if open_fds:
        raise RuntimeError("inherited descriptors: %r" % open_fds)
    return "nothing found"
