# kata: adv-secret
# verdict: wrong-answer
# attack: look for the grader's variables (tokens, paths) in the inherited environment
import os

ALLOWED = {
    "PYTHONHASHSEED", "PYTHONDONTWRITEBYTECODE", "PYTHONSAFEPATH", "PYTHONNOUSERSITE",
    "PYTHONUTF8", "PYTHONIOENCODING", "MALLOC_ARENA_MAX", "LC_ALL", "HOME", "TMPDIR", "PATH",
    "LC_CTYPE",
}


def answer(kind):
    extra = {k: v for k, v in os.environ.items() if k not in ALLOWED}
    if extra:
        raise RuntimeError("inherited the grader's environment: %r" % extra)
    return "nothing found"
