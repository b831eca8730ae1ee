# The class behind docs/images/class-report.png: 12 students x 4 exercises, made from each
# exercise's reference, its known-wrong solutions and (rarely) a syntax error, and a file missing
# (Python 3.11 or newer, for tomllib). From the root of a kata clone:
#   python3 docs/images/class-report.py . && kata grade class --sandbox subprocess --html class.html
#   chromium --headless --no-sandbox --hide-scrollbars --force-device-scale-factor=0.85 \
#     --window-size=1000,1398 --screenshot=docs/images/class-report.png "file://$PWD/class.html"
import random, tomllib, pathlib, sys
repo = pathlib.Path(sys.argv[1])
exercises = ["three-sum", "lru-cache", "reverse-words", "flatten-nested"]
students = ["amara", "bruno", "chen", "dalia", "emeka", "farah", "goran", "hana", "ines", "jonas", "kiri", "leon"]
rng = random.Random(14)
for student in students:
    skill = rng.random()
    for ex in exercises:
        data = tomllib.loads((repo / "exercises" / f"{ex}.toml").read_text())
        roll = rng.random()
        if roll < 0.06:
            continue  # not handed in
        if roll < skill * 0.9 + 0.1:
            code = data["reference"]
        elif roll < 0.97:
            code = rng.choice(data["wrong"])["code"]
        else:
            code = data["reference"].replace("):", ")", 1)  # a syntax error
        path = pathlib.Path("class") / student / (ex.replace("-", "_") + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code)
