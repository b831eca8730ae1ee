# kata: adv-shout
# verdict: memory-limit-exceeded
# verdict[wasm]: runtime-error | memory-limit-exceeded
# gap[wasm]: wasm32 cannot even express 100 GB: an OverflowError before any allocation
# checks: fast
# attack: ask for 100 GB at once
def shout(text):
    return bytearray(100 * 10**9)
