# kata: adv-stdin
# verdict: wrong-answer
# attack: a whole program that prints a frame on stdout instead of the answer
import sys

line = sys.stdin.readline()
print('KATA-FRAME 1 16\n{"status":"ok"}')
print("accepted")
