# kata: adv-shout
# verdict: output-limit-exceeded
# checks: fast
# attack: return a value far larger than any result channel should carry
def shout(text):
    return "x" * (10 << 20)
