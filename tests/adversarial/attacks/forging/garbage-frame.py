# kata: adv-shout
# verdict: runtime-error
# attack: write half a frame and garbage on the result channel
import os


def shout(text):
    os.write(3, b"KATA-FRAME 1 9999\n{\"status\": \"ok\"")
    return "nope"
