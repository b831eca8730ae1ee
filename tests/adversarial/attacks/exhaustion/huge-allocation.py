# kata: adv-shout
# verdict: memory-limit-exceeded
# checks: fast
# attack: ask for 100 GB at once
def shout(text):
    return bytearray(100 * 10**9)
