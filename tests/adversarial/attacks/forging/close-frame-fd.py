# kata: adv-shout
# verdict: runtime-error
# verdict[wasm]: accepted
# gap[wasm]: the frame travels on the real stdout in the wasm sandbox; descriptor 3 does not exist, so closing it changes nothing and the right answer is graded as such
# attack: close the result channel so no frame can be sent, then return the right answer
import os

os.close(3)


def shout(text):
    return text.upper() + "!"
