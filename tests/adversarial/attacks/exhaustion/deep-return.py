# kata: adv-shout
# verdict: wrong-answer
# checks: fast
# attack: return a value nested deeper than any decoder should follow
def shout(text):
    value = []
    for _ in range(100_000):
        value = [value]
    return value
