# kata: adv-subprocess
# verdict: accepted
# attack: none: an exercise that requires subprocesses can run the interpreter
import subprocess
import sys


def shout(text):
    result = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.argv[1].upper() + '!')", text],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()
