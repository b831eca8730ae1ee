"""kata's mutant generator: small deliberate bugs in an exercise's reference solution.

It runs inside the sandbox, loaded by harness.py like a submission and called by a `call` case:

    generate("reference.py")  ->  (mutants, dropped)

`mutants` is a list of `(operator, line, start, end, replacement)` tuples: replace the bytes
`start:end` of the UTF-8 source with `replacement` to get the mutant; `line` is where the edit
starts. `dropped` counts candidate edits thrown away because they did not parse to the tree they
were meant to produce. The host applies the edits, grades each mutant like a submission, and
alone decides what a mutant's fate is.

Edits are made on the text, so a mutant differs from the reference in one place and keeps its
comments and layout. Each edit is checked against the tree: the mutated source must parse, must
compile, and must parse to exactly the reference's tree with the one intended change (made on a
copy of the tree). A text edit that does anything else is dropped, never guessed at. Mutants that
parse to the same tree as the reference or as an earlier mutant are dropped as duplicates.

Works on Python 3.8 and newer (no ast.unparse).
"""

import ast
import copy
import re

# ---------------------------------------------------------------- operator tables

COMPARE_TEXT = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}
# `<` and `<=` swapped: the classic off-by-one at a boundary.
COMPARE_BOUNDARY = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt}
COMPARE_NEGATE = {
    ast.Lt: ast.GtE, ast.LtE: ast.Gt, ast.Gt: ast.LtE, ast.GtE: ast.Lt, ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In,
}
ARITHMETIC_TEXT = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&",
    ast.BitXor: "^", ast.MatMult: "@",
}
ARITHMETIC_SWAP = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult, ast.LShift: ast.RShift,
    ast.RShift: ast.LShift, ast.BitOr: ast.BitAnd, ast.BitAnd: ast.BitOr, ast.BitXor: ast.BitAnd,
}
BOOL_TEXT = {ast.And: "and", ast.Or: "or"}
BOOL_SWAP = {ast.And: ast.Or, ast.Or: ast.And}
UNARY_TEXT = {ast.Not: "not", ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}

# Statements whose removal says nothing about the test set (the module would not even load,
# or nothing changes).
NEVER_DROPPED = (
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom,
    ast.Global, ast.Nonlocal, ast.Pass,
)
BODY_FIELDS = ("body", "orelse", "finalbody")
# Subtrees never mutated: annotations do nothing at run time, and positions inside f-strings
# are unreliable before Python 3.12.
SKIPPED_FIELDS = ("annotation", "returns", "type_comment")
ATOMIC = (ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.Constant)

# What may surround an operator between its operands: spaces, brackets, line continuations.
FILLER = re.compile(r"^[\s()\\]*$")


class Generator:
    def __init__(self, data):
        self.data = data
        self.tree = ast.parse(data.decode("utf-8"))
        self.original = ast.dump(self.tree)
        self.seen = {self.original}
        self.line_starts = [0]
        for index, byte in enumerate(data):
            if byte == 0x0A:
                self.line_starts.append(index + 1)
        self.mutants = []
        self.dropped = 0

    # ------------------------------------------------------------ positions

    def offset(self, line, column):
        return self.line_starts[line - 1] + column

    def start(self, node):
        return self.offset(node.lineno, node.col_offset)

    def end(self, node):
        return self.offset(node.end_lineno, node.end_col_offset)

    def line_of(self, offset):
        line = 1
        for index, start in enumerate(self.line_starts):
            if start <= offset:
                line = index + 1
        return line

    def token_between(self, low, high, pattern):
        """The one operator token in data[low:high], which must hold nothing else but filler."""
        gap = self.data[low:high].decode("utf-8")
        found = [m for m in re.finditer(pattern, gap)]
        if len(found) != 1:
            return None
        match = found[0]
        if not FILLER.match(gap[: match.start()] + gap[match.end():]):
            return None
        prefix = len(gap[: match.start()].encode("utf-8"))
        return low + prefix, low + prefix + len(match.group(0).encode("utf-8"))

    # ------------------------------------------------------------ walking

    def run(self):
        self.visit(self.tree, ())
        self.mutants.sort(key=lambda m: (m[2], m[3], m[0]))
        return self.mutants, self.dropped

    def visit(self, node, path):
        if isinstance(node, ast.JoinedStr):
            return
        self.propose(node, path)
        for field, value in ast.iter_fields(node):
            if field in SKIPPED_FIELDS:
                continue
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        self.visit(item, path + ((field, index),))
            elif isinstance(value, ast.AST):
                self.visit(value, path + ((field, None),))

    def propose(self, node, path):
        if isinstance(node, ast.Compare):
            self.compare(node, path)
        elif isinstance(node, ast.BinOp):
            self.binary(node, path)
        elif isinstance(node, ast.AugAssign):
            self.augmented(node, path)
        elif isinstance(node, ast.BoolOp):
            self.boolean(node, path)
        elif isinstance(node, ast.UnaryOp):
            self.unary(node, path)
        elif isinstance(node, ast.Constant):
            self.constant(node, path)
        elif isinstance(node, ast.Slice):
            self.slice_bounds(node, path)
        elif isinstance(node, ast.Return):
            self.return_value(node, path)
        if isinstance(node, (ast.Break, ast.Continue)):
            self.break_continue(node, path)
        if path and path[-1][0] in BODY_FIELDS and path[-1][1] is not None:
            self.drop(node, path)

    # ------------------------------------------------------------ operators

    def compare(self, node, path):
        operands = [node.left] + node.comparators
        for index, op in enumerate(node.ops):
            pattern = r"<=|>=|==|!=|<|>|\bis\s+not\b|\bnot\s+in\b|\bis\b|\bin\b"
            span = self.token_between(self.end(operands[index]), self.start(operands[index + 1]), pattern)
            if span is None:
                continue
            for operator, table in (("compare-boundary", COMPARE_BOUNDARY), ("compare-negate", COMPARE_NEGATE)):
                new = table.get(type(op))
                if new is None:
                    continue

                def change(copied, index=index, new=new):
                    copied.ops[index] = new()
                    return copied

                self.offer(operator, path, span, COMPARE_TEXT[new], change)

    def binary(self, node, path):
        new = ARITHMETIC_SWAP.get(type(node.op))
        if new is None:
            return
        pattern = re.escape(ARITHMETIC_TEXT[type(node.op)])
        span = self.token_between(self.end(node.left), self.start(node.right), pattern)
        if span is None:
            return

        def change(copied):
            copied.op = new()
            return copied

        self.offer("arithmetic", path, span, ARITHMETIC_TEXT[new], change)

    def augmented(self, node, path):
        new = ARITHMETIC_SWAP.get(type(node.op))
        if new is None:
            return
        pattern = re.escape(ARITHMETIC_TEXT[type(node.op)] + "=")
        span = self.token_between(self.end(node.target), self.start(node.value), pattern)
        if span is None:
            return

        def change(copied):
            copied.op = new()
            return copied

        self.offer("arithmetic", path, span, ARITHMETIC_TEXT[new] + "=", change)

    def boolean(self, node, path):
        new = BOOL_SWAP[type(node.op)]
        pattern = r"\b%s\b" % BOOL_TEXT[type(node.op)]
        spans = []
        for left, right in zip(node.values, node.values[1:]):
            span = self.token_between(self.end(left), self.start(right), pattern)
            if span is None:
                return
            spans.append(span)

        def change(copied):
            copied.op = new()
            return copied

        self.offer("and-or", path, spans, BOOL_TEXT[new], change)

    def unary(self, node, path):
        if not isinstance(node.op, (ast.Not, ast.USub)):
            return
        # `-1` is how a negative constant is written: the constant itself gets mutated instead.
        if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            return
        pattern = r"\bnot\b\s*" if isinstance(node.op, ast.Not) else r"-\s*"
        span = self.token_between(self.start(node), self.start(node.operand), pattern)
        if span is None:
            return
        name = "drop-not" if isinstance(node.op, ast.Not) else "drop-minus"
        self.offer(name, path, span, "", lambda copied: copied.operand)

    # ------------------------------------------------------------ values

    def constant(self, node, path):
        value = node.value
        span = (self.start(node), self.end(node))
        if isinstance(value, bool):
            self.offer("constant", path, span, repr(not value), lambda copied: constant_node(not value))
        elif isinstance(value, int):
            for new in (value + 1, value - 1):
                self.offer("constant", path, span, repr(new), lambda copied, new=new: constant_node(new))

    def slice_bounds(self, node, path):
        for field in ("lower", "upper"):
            bound = getattr(node, field)
            if bound is None or is_int(bound) or adds_constant(bound):
                continue  # constant bounds are mutated as constants
            text = self.data[self.start(bound):self.end(bound)].decode("utf-8")
            if not isinstance(bound, ATOMIC):
                text = "(%s)" % text
            for op, sign in ((ast.Add, "+"), (ast.Sub, "-")):

                def change(copied, field=field, op=op):
                    bound = getattr(copied, field)
                    setattr(copied, field, ast.BinOp(left=bound, op=op(), right=constant_node(1)))
                    return copied

                span = (self.start(bound), self.end(bound))
                self.offer("slice-bound", path, span, "%s %s 1" % (text, sign), change)

    def return_value(self, node, path):
        value = node.value
        if value is None or isinstance(value, ast.Constant):
            return

        def change(copied):
            copied.value = constant_node(None)
            return copied

        self.offer("return-none", path, (self.start(value), self.end(value)), "None", change)

    # ------------------------------------------------------------ statements

    def break_continue(self, node, path):
        new, text = (ast.Continue, "continue") if isinstance(node, ast.Break) else (ast.Break, "break")
        self.offer("break-continue", path, (self.start(node), self.end(node)), text, lambda copied: new())

    def drop(self, node, path):
        if isinstance(node, NEVER_DROPPED) or is_docstring(node):
            return
        if isinstance(node, ast.Return) and self.is_last_in_function(path):
            return  # "return None" already covers it
        self.offer("drop-statement", path, (self.start(node), self.end(node)), "pass", lambda copied: ast.Pass())

    def is_last_in_function(self, path):
        field, index = path[-1]
        parent = self.tree
        for step_field, step_index in path[:-1]:
            parent = getattr(parent, step_field)
            if step_index is not None:
                parent = parent[step_index]
        body = getattr(parent, field)
        return isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and index == len(body) - 1

    # ------------------------------------------------------------ checking an edit

    def offer(self, operator, path, spans, replacement, change):
        """Applies the text edit, and keeps it only if it parses to the intended tree."""
        if isinstance(spans, tuple):
            spans = [spans]
        mutated = self.data
        for low, high in sorted(spans, reverse=True):
            mutated = mutated[:low] + replacement.encode("utf-8") + mutated[high:]
        expected = copy.deepcopy(self.tree)
        replace_at(expected, path, change)
        try:
            text = mutated.decode("utf-8")
            tree = ast.parse(text)
            compile(text, "<mutant>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, UnicodeDecodeError):
            self.dropped += 1
            return
        dumped = ast.dump(tree)
        if dumped != ast.dump(expected):
            self.dropped += 1
            return
        if dumped in self.seen:
            return
        self.seen.add(dumped)
        low = min(span[0] for span in spans)
        high = max(span[1] for span in spans)
        # One edit: the whole range, with every operator token in it replaced.
        edit = mutated[low: high + len(mutated) - len(self.data)].decode("utf-8")
        self.mutants.append((operator, self.line_of(low), low, high, edit))


def replace_at(tree, path, change):
    """Replaces the node at `path` in `tree` with change(node)."""
    parent = tree
    for field, index in path[:-1]:
        parent = getattr(parent, field)
        if index is not None:
            parent = parent[index]
    field, index = path[-1]
    if index is None:
        setattr(parent, field, change(getattr(parent, field)))
    else:
        getattr(parent, field)[index] = change(getattr(parent, field)[index])


def constant_node(value):
    """A constant as the parser would produce it: negative numbers are a minus and a number."""
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=-value, kind=None))
    return ast.Constant(value=value, kind=None)


def is_int(node):
    """An int written as a constant, `-1` included (the parser makes that a minus and a 1)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int


def adds_constant(node):
    return isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) and is_int(node.right)


def is_docstring(node):
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def generate(path):
    with open(path, "rb") as handle:
        data = handle.read()
    return Generator(data).run()
