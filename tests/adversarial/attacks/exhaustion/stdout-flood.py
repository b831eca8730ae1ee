# kata: adv-shout
# verdict: output-limit-exceeded
# checks: fast
# attack: print without end
def shout(text):
    while True:
        print("x" * 1000)
