# kata: adv-subprocess
# verdict: wrong-answer
# checks: fast
# attack: start a long-lived interpreter in a new session and return
import subprocess
import sys


def shout(text):
    subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(3600)"],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
    )
    return "nope"
