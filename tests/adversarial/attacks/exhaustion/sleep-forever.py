# kata: adv-shout
# verdict: time-limit-exceeded
# attack: sleep without using CPU (only the wall clock can stop it)
import time


def shout(text):
    time.sleep(3600)
