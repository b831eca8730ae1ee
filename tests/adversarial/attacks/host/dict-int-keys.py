# kata: adv-roomy
# verdict: wrong-answer
# checks: host
# attack: return a plain dict with 130,000 int keys, inside every cap, to make the grader's
#   own decoding and comparison quadratic
def shout(text):
    return {i: None for i in range(130_000)}
