# kata: adv-shout
# verdict: time-limit-exceeded
# attack: spin forever
def shout(text):
    while True:
        pass
