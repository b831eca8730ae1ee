# kata: adv-shout
# verdict: runtime-error
# attack: die by SIGKILL in the middle of the case
import os
import signal


def shout(text):
    os.kill(os.getpid(), signal.SIGKILL)
