r"""A safe compiler for user-typed 2D loss surfaces (用户自定义损失曲面).

Students type a formula such as ``"(1 - x)^2 + 100*(y - x^2)^2"``; :func:`compile_formula`
turns it into a :class:`~optviz.surfaces.Surface` whose ``fn`` is built from ``jax.numpy``
calls, so it can be differentiated with ``jax.grad`` and compiled with ``jax.jit``.

Safety by construction: the text is parsed with :func:`ast.parse` only (it is never passed to
``eval``, ``exec``, ``compile``, sympy or numexpr) and the syntax tree is translated node by node
from a small whitelist: numbers, the names ``x y x1 x2 pi e``, ``+ - * / **``, unary ``±`` and a
fixed table of math functions. Every other node (attributes, subscripts, calls of anything
else, lambdas, strings, comparisons, ...) raises :class:`FormulaError`. All arithmetic is done
by ``jnp`` on float32 arrays, so no Python big-integer work (``9**9**9``) can ever run.
"""

from __future__ import annotations

import ast
import functools
import math
import re
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from optviz.surfaces import Surface

__all__ = ["MAX_LENGTH", "MAX_NODES", "MAX_POWER", "FormulaError", "compile_formula"]

MAX_LENGTH = 200  # most characters a formula may have
MAX_NODES = 200  # most expression nodes (numbers, names, operators, calls) in a formula
MAX_POWER = 16  # largest |p| allowed in x**p
DEFAULT_BOUNDS = ((-3.0, 3.0), (-3.0, 3.0))  # plotting window when none is given
CHECK_POINTS = 21  # the formula is probed on a CHECK_POINTS x CHECK_POINTS grid

# Variables: x1/x2 are the notes' x₁, x₂ and mean the same as x/y.
VARIABLES = {"x": 0, "y": 1, "x1": 0, "x2": 1}
# Named constants ("π" is accepted too).
CONSTANTS = {"pi": math.pi, "π": math.pi, "e": math.e}
# One-argument functions, all elementwise jnp functions.
FUNCTIONS_1 = {
    "sin": jnp.sin,
    "cos": jnp.cos,
    "tan": jnp.tan,
    "exp": jnp.exp,
    "log": jnp.log,
    "ln": jnp.log,
    "sqrt": jnp.sqrt,
    "abs": jnp.abs,
    "tanh": jnp.tanh,
    "sinh": jnp.sinh,
    "cosh": jnp.cosh,
    "arctan": jnp.arctan,
    "atan": jnp.arctan,
    "log1p": jnp.log1p,
    "sigmoid": jax.nn.sigmoid,
    "softplus": jax.nn.softplus,
    "relu": jax.nn.relu,
}
# Two-argument functions.
FUNCTIONS_2 = {"min": jnp.minimum, "max": jnp.maximum}
# Allowed binary operators (``^`` was rewritten to ``**`` before parsing).
BINARY = {ast.Add: jnp.add, ast.Sub: jnp.subtract, ast.Mult: jnp.multiply, ast.Div: jnp.divide}
# Allowed unary operators.
UNARY = {ast.USub: jnp.negative, ast.UAdd: jnp.positive}

# Characters rewritten before parsing (typographic operators pasted from notes or slides).
_REPLACE = {"^": "**", "−": "-", "–": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/"}
_REPLACE.update({"₁": "1", "₂": "2"})  # x₁, x₂ as in the notes
# Superscripts: a run such as "⁻¹⁰" becomes "**-10".
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-", strict=True))

_NAMES_HINT = "use x and y (or x1, x2), pi, e"
_FUNCS_HINT = "use " + ", ".join(sorted({*FUNCTIONS_1, *FUNCTIONS_2} - {"ln", "atan"}))
# A tiny lexer for Python numbers and names, to spot a number glued to a name ("2y", "1if").
_DIGITS = r"\d(?:_?\d)*"
_NUMBER = (
    r"0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+"  # hex, binary, octal
    rf"|(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][+-]?{_DIGITS})?[jJ]?"  # decimal
)
_LEXER = re.compile(rf"(?P<number>{_NUMBER})|(?P<name>[^\W\d]\w*)|.", re.DOTALL)

# What to say about syntax the grammar does not allow.
_BRACKETS = "use round brackets ( ) for grouping"
_FORBIDDEN = {
    ast.Attribute: ("attribute access ('.') is not allowed", "write sin(x), not x.sin()"),
    ast.Subscript: ("indexing with [...] is not allowed", _BRACKETS),
    ast.Lambda: ("'lambda' is not allowed", None),
    ast.IfExp: ("'... if ... else ...' is not allowed", "try max(a, b) or min(a, b)"),
    ast.Compare: ("comparisons (<, >, ==, ...) are not allowed", "try max(a, b) or min(a, b)"),
    ast.BoolOp: ("'and' / 'or' are not allowed", None),
    ast.ListComp: ("comprehensions are not allowed", None),
    ast.SetComp: ("comprehensions are not allowed", None),
    ast.DictComp: ("comprehensions are not allowed", None),
    ast.GeneratorExp: ("comprehensions are not allowed", None),
    ast.JoinedStr: ("f-strings are not allowed", None),
    ast.FormattedValue: ("f-strings are not allowed", None),
    ast.Starred: ("'*' unpacking is not allowed", None),
    ast.NamedExpr: ("':=' is not allowed", None),
    ast.Tuple: ("commas are only allowed between a function's arguments", None),
    ast.List: ("lists [...] are not allowed", _BRACKETS),
    ast.Set: ("sets {...} are not allowed", _BRACKETS),
    ast.Dict: ("dicts {...} are not allowed", _BRACKETS),
}
_FORBIDDEN_OPS = {
    ast.FloorDiv: "'//'",
    ast.Mod: "'%'",
    ast.MatMult: "'@'",
    ast.LShift: "'<<'",
    ast.RShift: "'>>'",
    ast.BitOr: "'|'",
    ast.BitAnd: "'&'",
    ast.BitXor: "'^'",
    ast.Not: "'not'",
    ast.Invert: "'~'",
}

_FLOAT32_MAX = float(np.finfo(np.float32).max)  # about 3.4e38

Fn = Callable[[jax.Array, jax.Array], jax.Array | float]
Bounds = tuple[tuple[float, float], tuple[float, float]]


class FormulaError(ValueError):
    """A formula a student typed cannot be used; the message says what is wrong and where.

    Attributes:
        message: The explanation, e.g. ``"unknown name 'z' at column 5: use x and y ..."``.
        column: 1-based column in the text as typed, or ``None`` if the problem has no place.

    """

    def __init__(self, message: str, column: int | None = None):
        """Store the message and the column."""
        super().__init__(message)
        self.message = message
        self.column = column


class _Located(Exception):
    """A problem at an index of the *normalised* text; turned into a FormulaError outside."""

    def __init__(self, what: str, index: int | None, hint: str | None = None):
        super().__init__(what)
        self.what, self.index, self.hint = what, index, hint

    def to_error(self, origin: list[int]) -> FormulaError:
        """Return the FormulaError, with the column mapped back to the text as typed."""
        column = None
        if self.index is not None:
            i = min(max(self.index, 0), len(origin) - 1)  # clamp: Python may point past the end
            column = origin[i] + 1  # 1-based column in the original text
        message = self.what if column is None else f"{self.what} at column {column}"
        if self.hint:
            message += f": {self.hint}"
        return FormulaError(message, column)


# ----------------------------------------------------------------------------- normalising


def _normalise(text: str) -> tuple[str, list[int]]:
    """Rewrite typographic symbols and whitespace into plain Python syntax.

    Returns:
        The normalised text and, for each of its characters (plus one for the end), the index
        of the character of ``text`` it came from, so errors can point at what was typed.

    """
    out: list[str] = []
    origin: list[int] = []
    in_superscript = False  # inside a run like "¹⁰"
    for i, ch in enumerate(text):
        if ch.isspace():
            piece = "" if not out or out[-1] == " " else " "  # collapse runs of whitespace
        elif ch in _SUPERSCRIPTS:
            piece = ("" if in_superscript else "**") + _SUPERSCRIPTS[ch]  # "²" -> "**2"
        else:
            piece = _REPLACE.get(ch, ch)
        in_superscript = ch in _SUPERSCRIPTS
        out.extend(piece)
        origin.extend([i] * len(piece))
    while out and out[-1] == " ":  # drop trailing whitespace
        out.pop()
        origin.pop()
    origin.append(origin[-1] + 1 if origin else len(text))  # the position just after the end
    return "".join(out), origin


def _char_index(text: str, byte_offset: int) -> int:
    """Convert an ``ast`` col_offset (UTF-8 bytes) into an index of characters of ``text``."""
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def _parse(text: str) -> ast.expr:
    """Parse ``text`` as one Python expression, turning every parser failure into _Located."""
    quote = re.search(r"['\"]", text)
    if quote:  # strings are never allowed; rejecting them early skips escape-sequence warnings
        raise _Located("text in quotes is not allowed", quote.start(), "type the formula itself")
    comment = text.find("#")
    if comment >= 0:  # a comment would hide the rest of the line
        raise _Located("'#' is not allowed", comment, None)
    control = re.search(r"[\x00-\x1f\x7f]", text)
    if control:  # e.g. NUL, which the parser refuses with a confusing message
        what = f"the character U+{ord(control.group()):04X} is not allowed"
        raise _Located(what, control.start(), None)
    implicit = _implicit_multiplication(text)
    if implicit:  # "2y"; also spares Python's warnings about "1if", "1or", ...
        raise implicit
    try:
        return ast.parse(text, mode="eval").body
    except SyntaxError as err:
        raise _syntax_problem(text, err) from None
    except (RecursionError, MemoryError):
        raise _Located("the formula is nested too deeply", None) from None
    except ValueError:  # e.g. a NUL character
        raise _Located("the formula contains a character that is not allowed", None) from None


def _implicit_multiplication(text: str) -> _Located | None:
    """Find a number glued to a name ("2y", "2pi"), which Python cannot parse (or warns about)."""
    previous = None  # the token just before, if it was a number
    for token in _LEXER.finditer(text):
        if previous is not None and token.lastgroup == "name":
            number, after = previous.group(), token.group()
            return _Located(
                f"missing '*' between '{number}' and '{after}'",
                token.start(),
                f"write {number}*{after}, not {number}{after} (multiplication needs '*')",
            )
        previous = token if token.lastgroup == "number" else None
    return None


def _syntax_problem(text: str, err: SyntaxError) -> _Located:
    """Explain a SyntaxError, spotting a missing operator ("x y") or bracket."""
    index = (err.offset or 1) - 1  # Python's offset is 1-based and counts characters
    left = re.search(r"([\w.]+|\))\s+$", text[:index])  # a word or ')' right before a space ...
    right = re.match(r"[\w(]", text[index:])  # ... then another word or '(' at the error
    if left and right:
        word = left.group(1)
        if word in FUNCTIONS_1 or word in FUNCTIONS_2:  # "sin x"
            return _Located(f"'{word}' needs brackets", index, f"write {word}(...)")
        return _Located("missing operator", index, "to multiply write '*', e.g. x*y")
    detail = (
        err.msg
        if re.search(r"never closed|unmatched|does not match|invalid char", err.msg)
        else None
    )
    return _Located("syntax error", index, detail)


# ----------------------------------------------------------------------------- translating


def _number(node: ast.AST) -> float | None:
    """Return the value of a plain number constant (not bool/complex/str), else ``None``."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    return None


class _Translator:
    """Turns a whitelisted syntax tree into a function ``(x, y) -> value`` of jnp calls."""

    def __init__(self, text: str):
        self.text = text

    def where(self, node: ast.expr) -> int:
        """Return the character index of ``node`` in the normalised text."""
        return _char_index(self.text, node.col_offset)

    def build(self, node: ast.AST) -> Fn:
        """Translate ``node``; raises _Located for anything outside the grammar."""
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return self.binary(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        unknown = (f"{type(node).__name__} expressions are not allowed", None)
        what, hint = _FORBIDDEN.get(type(node), unknown)  # everything else is refused
        raise _Located(what, self.where(node), hint)

    def constant(self, node: ast.Constant) -> Fn:
        """Translate a number literal (``int`` or ``float`` only)."""
        if type(node.value) not in (int, float):  # bool, complex, str, bytes, None, ...
            shown = "True/False" if isinstance(node.value, bool) else repr(node.value)[:20]
            raise _Located(
                f"{shown} is not a number", self.where(node), "use plain numbers like 2.5"
            )
        try:
            value = float(node.value)  # huge integers overflow here
        except OverflowError:
            value = math.inf
        if not abs(value) <= _FLOAT32_MAX:  # the surface computes in float32, which ends here
            raise _Located("the number is too large", self.where(node), "at most about 3e38")

        def const(x, y):
            return value

        return const

    def name(self, node: ast.Name) -> Fn:
        """Translate a variable (x, y, x1, x2) or a named constant (pi, e)."""
        if node.id in VARIABLES:
            axis = VARIABLES[node.id]  # 0 for x/x1, 1 for y/x2

            def variable(x, y):
                return (x, y)[axis]

            return variable
        if node.id in CONSTANTS:
            value = CONSTANTS[node.id]

            def named(x, y):
                return value

            return named
        if node.id in FUNCTIONS_1 or node.id in FUNCTIONS_2:  # "sin + 1"
            hint = f"write {node.id}(...)"
            raise _Located(f"'{node.id}' is a function", self.where(node), hint)
        shown = node.id if len(node.id) <= 20 else node.id[:20] + "..."
        raise _Located(f"unknown name '{shown}'", self.where(node), _NAMES_HINT)

    def binary(self, node: ast.BinOp) -> Fn:
        """Translate ``a + b``, ``a - b``, ``a * b``, ``a / b`` and ``a ** p`` (constant p)."""
        if isinstance(node.op, ast.Pow):
            return self.power(node)
        op = BINARY.get(type(node.op))
        if op is None:
            what = _FORBIDDEN_OPS.get(type(node.op), type(node.op).__name__)
            raise _Located(f"{what} is not allowed", self.where(node), "use + - * / and **")
        left, right = self.build(node.left), self.build(node.right)

        def apply(x, y):
            return op(left(x, y), right(x, y))

        return apply

    def power(self, node: ast.BinOp) -> Fn:
        """Translate ``a ** p``; p must be a plain, possibly signed number with ``|p| <= 16``."""
        exponent, sign = node.right, 1.0
        if isinstance(exponent, ast.UnaryOp) and isinstance(exponent.op, ast.USub | ast.UAdd):
            sign = -1.0 if isinstance(exponent.op, ast.USub) else 1.0  # "x**-2"
            exponent = exponent.operand
        value = _number(exponent)
        if value is None or not abs(value) <= MAX_POWER:  # "not <=" also rejects nan
            raise _Located(
                f"'**' needs a plain number as exponent (|p| ≤ {MAX_POWER})",
                self.where(node.right),
                "e.g. x**2 or x**-0.5; for e to the power of something use exp(...)",
            )
        p = sign * value
        # Whole exponents go through lax.integer_pow (exact and smooth for negative bases).
        p_arg: int | float = int(p) if p.is_integer() else p
        base = self.build(node.left)

        def raised(x, y):
            return jnp.power(jnp.asarray(base(x, y), jnp.float32), p_arg)

        return raised

    def unary(self, node: ast.UnaryOp) -> Fn:
        """Translate ``-a`` and ``+a``."""
        op = UNARY.get(type(node.op))
        if op is None:
            what = _FORBIDDEN_OPS.get(type(node.op), type(node.op).__name__)
            raise _Located(f"{what} is not allowed", self.where(node), None)
        operand = self.build(node.operand)

        def apply(x, y):
            return op(operand(x, y))

        return apply

    def call(self, node: ast.Call) -> Fn:
        """Translate ``f(a)`` for f in FUNCTIONS_1 and ``f(a, b)`` for f in FUNCTIONS_2."""
        if not isinstance(node.func, ast.Name):  # "(x+1)(x-1)", "x.sin()"
            if isinstance(node.func, ast.Attribute):
                return self.build(node.func)  # reports the attribute access
            end = _char_index(self.text, node.func.end_col_offset or 0)  # end of "(x+1"
            paren = self.text.find("(", end)  # the '(' that follows it
            number = ast.get_source_segment(self.text, node.func)  # "3" in "3(x+1)"
            hint = (
                f"write {number}*(...)" if isinstance(node.func, ast.Constant) else "write (a)*(b)"
            )
            raise _Located("missing '*' before '('", paren, hint)
        name = node.func.id
        if name in FUNCTIONS_1:
            fn, arity = FUNCTIONS_1[name], 1
        elif name in FUNCTIONS_2:
            fn, arity = FUNCTIONS_2[name], 2
        elif name in VARIABLES or name in CONSTANTS:  # "x(y+1)"
            raise _Located(f"'{name}' is not a function", self.where(node), f"write {name}*(...)")
        else:
            shown = name if len(name) <= 20 else name[:20] + "..."
            raise _Located(f"unknown function '{shown}'", self.where(node), _FUNCS_HINT)
        if node.keywords:  # "sin(x=1)", "max(**d)"
            raise _Located(
                "keyword arguments are not allowed", self.where(node), f"write {name}(x)"
            )
        for arg in node.args:
            if isinstance(arg, ast.Starred):  # "sin(*x)"
                raise _Located("'*' unpacking is not allowed", self.where(arg), None)
        if len(node.args) != arity:
            plural = "argument" if arity == 1 else "arguments"
            what = f"{name} takes {arity} {plural}, got {len(node.args)}"
            raise _Located(what, self.where(node), None)
        args = [self.build(a) for a in node.args]

        def apply(x, y):
            return fn(*(jnp.asarray(a(x, y), jnp.float32) for a in args))

        return apply


# ----------------------------------------------------------------------------- LaTeX


_LATEX_NAMES = {"x": "x", "y": "y", "x1": "x_1", "x2": "x_2", "pi": r"\pi", "π": r"\pi", "e": "e"}
_LATEX_FUNCS = {
    "sin": r"\sin",
    "cos": r"\cos",
    "tan": r"\tan",
    "exp": r"\exp",
    "log": r"\log",
    "ln": r"\ln",
    "tanh": r"\tanh",
    "sinh": r"\sinh",
    "cosh": r"\cosh",
    "arctan": r"\arctan",
    "atan": r"\arctan",
    "sigmoid": r"\sigma",
    "softplus": r"\operatorname{softplus}",
    "relu": r"\operatorname{ReLU}",
    "min": r"\min",
    "max": r"\max",
}


def _latex_number(value: float) -> str:
    r"""Format a number for LaTeX: ``2``, ``0.5``, ``1.5 \times 10^{-8}``, ``\infty``."""
    if math.isinf(value):
        return r"\infty"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(value)  # shortest round-trip form
    if "e" in text:
        mantissa, exp = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exp)}}}"
    return text


def _paren(tex: str) -> str:
    """Wrap ``tex`` in growing round brackets."""
    return rf"\left({tex}\right)"


def _latex(node: ast.AST) -> str:
    """Render a (validated) expression node as LaTeX."""
    if isinstance(node, ast.Constant):
        return _latex_number(float(node.value))
    if isinstance(node, ast.Name):
        return _LATEX_NAMES[node.id]
    if isinstance(node, ast.UnaryOp):
        inner = _latex(node.operand)
        if isinstance(node.operand, ast.BinOp) and isinstance(node.operand.op, ast.Add | ast.Sub):
            inner = _paren(inner)  # -(a + b)
        return ("-" if isinstance(node.op, ast.USub) else "+") + inner
    if isinstance(node, ast.Call):
        name = node.func.id  # type: ignore[attr-defined]
        args = [_latex(a) for a in node.args]
        if name == "sqrt":
            return rf"\sqrt{{{args[0]}}}"
        if name == "abs":
            return rf"\left|{args[0]}\right|"
        if name == "log1p":
            return rf"\log{_paren('1 + ' + args[0])}"
        return _LATEX_FUNCS[name] + _paren(", ".join(args))
    assert isinstance(node, ast.BinOp)  # the translator allowed nothing else
    left, right = _latex(node.left), _latex(node.right)
    sums = (ast.Add, ast.Sub)
    if isinstance(node.op, ast.Div):
        return rf"\frac{{{left}}}{{{right}}}"
    if isinstance(node.op, ast.Pow):
        simple = isinstance(node.left, ast.Name) or (
            isinstance(node.left, ast.Constant) and float(node.left.value) >= 0
        )
        return f"{left if simple else _paren(left)}^{{{right}}}"
    if isinstance(node.op, ast.Add):
        if isinstance(node.right, ast.UnaryOp):
            right = _paren(right)  # a + (-b)
        return f"{left} + {right}"
    if isinstance(node.op, ast.Sub):
        if isinstance(node.right, ast.UnaryOp) or (
            isinstance(node.right, ast.BinOp) and isinstance(node.right.op, sums)
        ):
            right = _paren(right)  # a - (b + c)
        return f"{left} - {right}"
    # Multiplication: bracket sums, and a signed right factor.
    if isinstance(node.left, ast.BinOp) and isinstance(node.left.op, sums):
        left = _paren(left)
    if isinstance(node.right, ast.UnaryOp) or (
        isinstance(node.right, ast.BinOp) and isinstance(node.right.op, sums)
    ):
        right = _paren(right)
    power_of_name = (
        isinstance(node.right, ast.BinOp)
        and isinstance(node.right.op, ast.Pow)
        and isinstance(node.right.left, ast.Name)
    )
    # "3x^2" instead of "3 \cdot x^2"
    glue = isinstance(node.left, ast.Constant) and (
        isinstance(node.right, ast.Name | ast.Call) or power_of_name
    )
    return f"{left}\\,{right}" if glue else rf"{left} \cdot {right}"


# ----------------------------------------------------------------------------- compiling


def _as_bounds(bounds) -> Bounds:
    """Turn ``bounds`` into a hashable, validated ``((xmin, xmax), (ymin, ymax))``."""
    if bounds is None:
        return DEFAULT_BOUNDS
    try:
        (x0, x1), (y0, y1) = bounds
        window = ((float(x0), float(x1)), (float(y0), float(y1)))
    except (TypeError, ValueError) as err:
        raise FormulaError("the window must be ((xmin, xmax), (ymin, ymax))") from err
    ok = all(math.isfinite(v) for pair in window for v in pair)
    if not ok or window[0][0] >= window[0][1] or window[1][0] >= window[1][1]:
        raise FormulaError("the window must be finite with xmin < xmax and ymin < ymax")
    return window


def _count_nodes(tree: ast.AST) -> int:
    """Count the expression nodes (numbers, names, operations, calls) of ``tree``."""
    return sum(isinstance(n, ast.expr) for n in ast.walk(tree))


@functools.lru_cache(maxsize=256)
def _compile_cached(text: str, bounds: Bounds) -> Surface:
    """Compile normalised ``text``; cached, so the same text gives the same Surface object."""
    tree = _parse(text)  # syntax only; nothing is executed
    if _count_nodes(tree) > MAX_NODES:
        raise _Located(f"the formula is too complicated (max {MAX_NODES} parts)", None)
    body = _Translator(text).build(tree)  # whitelist: raises on anything else

    def fn(p, c):
        """Evaluate the formula elementwise; ``c`` (surface parameters) is unused."""
        del c
        p = jnp.asarray(p, jnp.float32)
        x, y = p[0], p[1]  # each of shape p.shape[1:]
        value = jnp.asarray(body(x, y), jnp.float32)
        return jnp.broadcast_to(value, x.shape)  # constants fill the grid too

    _check(fn, bounds)
    (x0, x1), (y0, y1) = bounds
    start = (round(x0 + 0.2 * (x1 - x0), 6), round(y0 + 0.8 * (y1 - y0), 6))  # upper left
    uses_indices = any(isinstance(n, ast.Name) and n.id in ("x1", "x2") for n in ast.walk(tree))
    lhs = "f(x_1, x_2)" if uses_indices else "f(x, y)"
    return Surface(
        key="formula",
        name=text,
        fn=fn,
        bounds=bounds,
        start=start,
        latex=f"{lhs} = {_latex(tree)}",
        description="Your own surface.",
        minima=(),
        saddles=(),
    )


def _check(fn: Callable, bounds: Bounds) -> None:
    """Check the compiled ``fn`` once: right shape and dtype, finite somewhere in the window."""
    n = CHECK_POINTS
    try:
        spec = jax.ShapeDtypeStruct((2, n, n), jnp.float32)
        out = jax.eval_shape(fn, spec, {})  # traces without computing anything
        (x0, x1), (y0, y1) = bounds
        grid = np.stack(np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n)))
        values = np.asarray(fn(jnp.asarray(grid, jnp.float32), {}))
    except Exception as err:  # any failure here is the formula's, not the caller's
        raise FormulaError(f"the formula could not be evaluated ({err})") from err
    if out.shape != (n, n) or out.dtype != jnp.float32 or values.shape != (n, n):
        raise FormulaError("the formula did not give one number per point")
    if not np.isfinite(values).any():
        raise FormulaError("the formula is not finite anywhere in the window")


def compile_formula(text: str, bounds=None) -> Surface:
    """Compile a formula typed by a student into a Surface, safely.

    The same (normalised) text and bounds return the very same Surface object, so the
    engine, which uses the Surface as a static ``jax.jit`` argument, compiles it only once.

    Args:
        text: The formula in x and y (or x1, x2), e.g. ``"x**2 + 3*y**2"``. ``^`` means
            ``**``; ``²``, ``³``, ``−``, ``×`` and ``·`` are understood.
        bounds: Plotting window ``((xmin, xmax), (ymin, ymax))``; defaults to ``[-3, 3]²``.

    Returns:
        A Surface with key ``"formula"``, ``fn(p, c)`` elementwise over ``p[0], p[1]``
        (float32), its LaTeX rendering, and a start point in the upper left of the window.

    Raises:
        FormulaError: If the text is not a str, is empty or too long, has a syntax error, uses
            anything outside the grammar, or is not finite anywhere in the window. The message
            names the problem and, where there is one, its column.

    """
    if not isinstance(text, str):
        raise FormulaError(f"the formula must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is too long (max {MAX_LENGTH} characters)")
    normalised, origin = _normalise(text)
    if not normalised:
        raise FormulaError("the formula is empty")
    window = _as_bounds(bounds)  # hashable, so it can be part of the cache key
    try:
        return _compile_cached(normalised, window)
    except _Located as problem:
        raise problem.to_error(origin) from None
