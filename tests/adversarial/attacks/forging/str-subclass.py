# kata: adv-shout
# verdict: wrong-answer
# attack: a str subclass that equals everything: only exact built-in types are accepted
class Chameleon(str):
    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0


def shout(text):
    return Chameleon("anything")
