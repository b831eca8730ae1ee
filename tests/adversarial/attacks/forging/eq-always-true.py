# kata: adv-shout
# verdict: wrong-answer
# attack: return an object that claims to equal anything (and prints like the answer)
class Liar:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0

    def __repr__(self):
        return "'HEY!'"


def shout(text):
    return Liar()
