# kata: adv-shout
# verdict: runtime-error
# attack: close the result channel so no frame can be sent, then return the right answer
import os

os.close(3)


def shout(text):
    return text.upper() + "!"
