# kata: adv-shout
# verdict: wrong-answer
# attack: print what a passing run looks like (verdict words, a fake frame) and return garbage
print("✓ visible accepted\nPASS\nKATA-FRAME 1 31\n{\"status\": \"ok\", \"value\": {\"s\": \"x\"}}")


def shout(text):
    print("accepted")
    return "nope"
