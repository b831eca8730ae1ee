#!/usr/bin/env bash
# Where the start-up of one case goes, counted in instructions.
#
# valgrind's callgrind counts the instructions a process executes, which (with PYTHONHASHSEED
# fixed) is the same on every run however busy the machine is: a way to compare variants of the
# harness on a shared machine where timings are noise. It runs one passing `call` case of the
# three-sum exercise the way kata's subprocess sandbox does (same flags, frame on fd 3) and
# compares it with bare interpreter start-up and with variants of the harness.
#
# Usage, from the repository's root (needs valgrind):
#     benches/harness_startup.sh [PYTHON]
# PYTHON defaults to the real interpreter behind `python3` (not a pyenv shim).
# Results are in docs/performance.md, under "Grading a class".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python=${1:-$(python3 -I -S -c 'import sys; print(sys.executable)')}
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
export PYTHONHASHSEED=0

box=$(mktemp -d)
trap 'rm -rf "$box"' EXIT
cp sandbox/harness.py "$box/harness.py"
cat >"$box/submission.py" <<'PY'
def three_sum(nums):
    nums = sorted(nums)
    found = []
    for i in range(len(nums) - 2):
        if i and nums[i] == nums[i - 1]:
            continue
        low, high = i + 1, len(nums) - 1
        while low < high:
            total = nums[i] + nums[low] + nums[high]
            if total == 0:
                found.append([nums[i], nums[low], nums[high]])
                low += 1
                while low < high and nums[low] == nums[low - 1]:
                    low += 1
                high -= 1
            elif total < 0:
                low += 1
            else:
                high -= 1
    return found
PY
# The request kata's host writes (src/runner/protocol.rs, HarnessRequest).
cat >"$box/request.json" <<JSON
{"kind":"call","submission_path":"$box/submission.py","display_name":"three_sum.py",
 "support_modules":[],"support_code":"","case_support":"","output_bytes":1048576,
 "expr":"three_sum([-1, 0, 1, 2, -1, -4])"}
JSON

# Variants of the harness.
"$python" -c "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)" \
    "$box/harness.py" "$box/harness.pyc"
sed '/^import ast$/d' "$box/harness.py" >"$box/harness_without_ast.py"
imports=$(sed -n 's/^import \([a-z_]*\)$/\1/p' "$box/harness.py" | paste -sd, -)
echo "import $imports; import os; os._exit(0)" >"$box/imports.py"
"$python" -c "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)" \
    "$box/imports.py" "$box/imports.pyc"

# Checks that a harness variant still answers the case.
"$python" -S -s -B -P "$box/harness_without_ast.py" "$box/request.json" 3 3>&1 >/dev/null |
    grep -q '"status": "ok"' || { echo "the harness without ast does not run the case" >&2; exit 1; }

instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 3>/dev/null 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

bare=$(instructions "$python" -I -S -c pass)
row() {
    local name=$1
    shift
    awk -v name="$name" -v count="$(instructions "$@")" -v bare="$bare" \
        'BEGIN { printf "%-50s %8.1f M  %5.2fx\n", name, count / 1e6, count / bare }'
}

echo "interpreter: $python"
echo "the harness imports: $imports"
printf '%-50s %10s  %6s\n' "" "instructions" "vs bare"
row "bare start-up: python3 -I -S -c pass" "$python" -I -S -c pass
row "the harness's imports, then os._exit" "$python" -S -s -B -P "$box/imports.pyc"
row "one case, as kata runs it (harness.py)" "$python" -S -s -B -P "$box/harness.py" "$box/request.json" 3
row "one case, harness compiled ahead (harness.pyc)" "$python" -S -s -B -P "$box/harness.pyc" "$box/request.json" 3
row "one case, harness not importing ast" "$python" -S -s -B -P "$box/harness_without_ast.py" "$box/request.json" 3
