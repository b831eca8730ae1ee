# kata: adv-subprocess
# verdict: wrong-answer
# attack: run a shell and other programs: only the interpreter may be executed
import subprocess


def shout(text):
    ran = []
    for command in (["/bin/sh", "-c", "true"], ["/usr/bin/env", "true"], ["/bin/true"]):
        try:
            subprocess.run(command, check=False)
            ran.append(command[0])
        except OSError:
            pass
    if ran:
        raise RuntimeError("executed %r" % ran)
    return "nope"
