# kata: adv-shout
# verdict: runtime-error
# attack: exit with status 0 while being imported, before any case runs
import sys

sys.exit(0)
