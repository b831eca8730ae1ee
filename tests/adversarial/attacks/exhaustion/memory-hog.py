# kata: adv-shout
# verdict: memory-limit-exceeded
# checks: fast
# attack: allocate until something gives
def shout(text):
    hoard = []
    while True:
        hoard.append(bytearray(1 << 20))
