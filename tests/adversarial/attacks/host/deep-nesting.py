# kata: adv-roomy
# verdict: wrong-answer
# checks: host
# attack: return lists nested 58 deep holding 550,000 Nones, to blow up the grader's pretty
#   printer, its memory and the size of its report
def shout(text):
    value = []
    for _ in range(58):
        value = [None] * 9_480 + [value]
    return value
