# kata: adv-threads
# verdict: time-limit-exceeded
# attack: burn CPU on several threads at once (the CPU limit counts them all)
import threading


def spin():
    while True:
        pass


def shout(text):
    for _ in range(4):
        threading.Thread(target=spin, daemon=True).start()
    spin()
