"""Interpreter behaviour a submission can observe, one probe a line: `name<TAB>repr`, or the
exception's type when the probe raises. Run in both sandboxes by tests/wasm/interpreter_parity.rs."""

import math
import sys


def probes():
    def attempt(thunk):
        try:
            return repr(thunk())
        except Exception as exc:
            return type(exc).__name__

    table = {
        "sys.maxsize": lambda: sys.maxsize,
        "sys.hash_info.width": lambda: sys.hash_info.width,
        "sys.hash_info.modulus": lambda: sys.hash_info.modulus,
        "hash(2**61)": lambda: hash(2**61),
        "hash(-1)": lambda: hash(-1),
        "hash(1.5)": lambda: hash(1.5),
        "hash((1, 2))": lambda: hash((1, 2)),
        "sys.int_info": lambda: tuple(sys.int_info),
        "sys.float_info": lambda: tuple(sys.float_info),
        "sys.get_int_max_str_digits()": lambda: sys.get_int_max_str_digits(),
        "str(10**5000)": lambda: len(str(10**5000)),
        "sys.getrecursionlimit()": lambda: sys.getrecursionlimit(),
        "sys.flags.hash_randomization": lambda: sys.flags.hash_randomization,
        "sys.byteorder": lambda: sys.byteorder,
        "sys.platform": lambda: sys.platform,
        "sys.version_info[:2]": lambda: tuple(sys.version_info[:2]),
        "0.1 + 0.2": lambda: 0.1 + 0.2,
        "1 / 3": lambda: 1 / 3,
        "1e16, 1e-7": lambda: (1e16, 1e-7),
        "float('inf'), math.inf": lambda: (float("inf"), math.inf, -math.inf),
        "nan": lambda: (math.nan != math.nan, repr(float("nan"))),
        "round(2.5), round(0.125, 2)": lambda: (round(2.5), round(0.125, 2)),
        "-7 // 2, -7 % 2": lambda: (-7 // 2, -7 % 2),
        "2**100": lambda: 2**100,
        "math.sqrt(2), math.exp(1)": lambda: (math.sqrt(2), math.exp(1)),
        "math.log(10), math.log2(3), math.log10(7)": lambda: (math.log(10), math.log2(3), math.log10(7)),
        "math.sin(1), math.cos(1), math.tan(1)": lambda: (math.sin(1), math.cos(1), math.tan(1)),
        "math.sin(1e22)": lambda: math.sin(1e22),
        "2 ** 0.5, 10 ** -5, math.pow(7, 1/3)": lambda: (2 ** 0.5, 10 ** -5, math.pow(7, 1 / 3)),
        "math.atan2(1, 2), math.hypot(3, 4.5)": lambda: (math.atan2(1, 2), math.hypot(3, 4.5)),
        "math.erf(0.5), math.lgamma(0.5)": lambda: (math.erf(0.5), math.lgamma(0.5)),
        "math.exp(2), math.exp(-1), math.expm1(1e-10)": lambda: (math.exp(2), math.exp(-1), math.expm1(1e-10)),
        "math.fsum": lambda: math.fsum([0.1] * 10),
        "sorted stability": lambda: sorted([(1, "b"), (0, "z"), (1, "a")], key=lambda t: t[0]),
        "dict order": lambda: list({3: 0, 1: 0, 2: 0}),
        "set of small ints": lambda: list({5, 1, 3, 2}),
        "str.split()": lambda: "a\u00a0b\u2003c\td".split(),
        "int('١٢')": lambda: int("\u0661\u0662"),
        "(1).bit_length(), (2**64).bit_length()": lambda: (1 .bit_length(), (2**64).bit_length()),
        "len(range(2**40))": lambda: len(range(2**40)),
        "list index 2**31": lambda: [0][2**31],
        "bytearray(2**40)": lambda: len(bytearray(2**40)),
        "struct.calcsize('P')": lambda: __import__("struct").calcsize("P"),
        "sys.getsizeof(0)": lambda: sys.getsizeof(0),
    }
    for name, thunk in table.items():
        print(name + "\t" + attempt(thunk))
