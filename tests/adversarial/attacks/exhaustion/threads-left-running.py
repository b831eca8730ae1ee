# kata: adv-threads
# verdict: wrong-answer
# checks: fast
# attack: leave busy non-daemon threads behind when the case returns
import threading


def spin():
    while True:
        pass


def shout(text):
    for _ in range(4):
        threading.Thread(target=spin).start()
    return "nope"
