# kata: adv-shout
# verdict: runtime-error
# checks: fast
# attack: start a thread where the exercise did not ask for threads
import threading


def shout(text):
    worker = threading.Thread(target=lambda: None)
    worker.start()
    worker.join()
    return text.upper() + "!"
