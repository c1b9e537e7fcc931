"""Page state <-> URL query parameters: validate, clamp, and fall back to defaults.

Every page keeps its settings in the URL so a link reproduces exactly what a student saw. A
page describes its settings once as a list of :class:`Field` specs; :func:`encode` turns a
state dict into short query parameters and :func:`decode` turns whatever arrives in the URL
back into a *valid* state plus a list of human-readable problems. For example::

    ?surface=rosenbrock&opts=sgd,adam&adam.lr=0.02&start=-1.5,2

decodes (with :func:`playground_fields`) to the Rosenbrock surface, SGD and Adam, Adam's
learning rate 0.02, the start point (-1.5, 2) and every other setting at its default.

The scheme:

- One parameter per field, named like the field: plain names for page settings
  (``surface``, ``steps``), ``KEY.NAME`` for an optimizer's hyperparameters (``adam.lr``,
  ``adam.bias_correction``), ``surface.NAME`` for surface parameters (``surface.kappa``) and
  ``schedule.NAME`` for schedule parameters (``schedule.warmup``). When entries of one
  registry disagree about a parameter name (several schedules have a ``beta`` with different
  ranges) it is qualified by the entry's key: ``schedule.exponential.beta``. Use
  :func:`optimizer_hparams`, :func:`surface_params` and :func:`schedule_params` rather than
  building names by hand.
- Values are short text: floats with at most 6 significant digits when that is exact (else
  the shortest exact form; exponents without ``+`` or leading zeros: ``1e-8``), integers in
  decimal, booleans ``1`` / ``0``, several choices comma-joined (``sgd,adam``) and points as
  ``x,y``. A value equal to its default is left out, so the default page has an empty URL.
- :func:`decode` never raises. A value that is not of the field's type, NaN or infinite, an
  unknown choice, or longer than the field allows becomes the default; a number outside the
  slider range is clamped to it; a parameter given several times counts with its last value;
  unknown parameters are ignored. Each of these adds a short problem message
  (``"lr: 'abc' is not a number — using 0.1"``) for the page to show as one notice.
  Messages quote at most a few characters of the offending text, with everything other
  than letters, digits, spaces and ``.,+-`` replaced by ``?``, so they are safe to show as
  Markdown.
- ``decode(encode(s), fields) == (s, [])`` for every valid state ``s``.

This module is pure: it never imports streamlit. A page does roughly::

    state, problems = urlstate.decode(st.query_params, fields)
    ...
    st.query_params.from_dict(urlstate.encode(state, fields))
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from optviz.formula import MAX_LENGTH as FORMULA_MAX_LENGTH
from optviz.optimizers import OPTIMIZERS
from optviz.schedules import SCHEDULES, WARMUP
from optviz.surfaces import SURFACES, Param

__all__ = [
    "BoolField",
    "ChoiceField",
    "Field",
    "FloatField",
    "IntField",
    "MultiChoiceField",
    "PointField",
    "TextField",
    "decode",
    "encode",
    "optimizer_fields",
    "optimizer_hparams",
    "playground_fields",
    "schedule_fields",
    "schedule_params",
    "surface_fields",
    "surface_params",
]

MAX_CHARS = 256  # longest raw value a non-text field reads; longer ones are rejected unread
MAX_PROBLEMS = 10  # most problem messages returned; the rest are summarised in one line
QUOTE_CHARS = 24  # most characters of a user's value quoted back in a message
# Streamlit's own query parameters, and the app-wide language (read by optviz.ui.i18n)
IGNORED_KEYS = frozenset({"embed", "embed_options", "lang"})

DEFAULT_OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
MAX_OPTIMIZERS = 6
START_BOX = ((-10.0, 10.0), (-10.0, 10.0))  # generous; the page clamps to the surface's bounds
CLIP_KINDS = ("none", "value", "norm")
VIEWS = ("overlay", "side")
LANGS = ("en", "zh")

_FLOAT_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_INT_RE = re.compile(r"[+-]?\d+", re.ASCII)
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_NON_FINITE = frozenset({"nan", "inf", "infinity"})
_SAFE_PUNCTUATION = frozenset(" .,+-")


# ----------------------------------------------------------------------------- text helpers


def _quote(raw: str) -> str:
    """Quotes a user's value for a message: short, and without Markdown or HTML syntax."""
    text = raw if len(raw) <= QUOTE_CHARS else raw[: QUOTE_CHARS - 1] + "…"
    safe = "".join(c if c.isalnum() or c in _SAFE_PUNCTUATION or c == "…" else "?" for c in text)
    return f"'{safe}'"


def _format_float(value: float) -> str:
    """Formats ``value`` as short text that parses back to exactly the same float."""
    text = f"{value:.6g}"
    if float(text) != value:
        text = repr(value)  # the shortest exact form
    mantissa, sep, exponent = text.partition("e")
    if sep:  # "1e-08" -> "1e-8", "1.5e+20" -> "1.5e20": shorter, and no "+" to mangle in URLs
        sign = "-" if exponent.startswith("-") else ""
        text = f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return text


def _parse_float(text: str) -> float | None:
    """Parses a plain decimal float (ASCII digits) or ``nan`` / ``inf``; ``None`` if neither.

    The result may be NaN or infinite (``"1e999"`` too): callers check :func:`math.isfinite`.
    """
    text = text.strip().replace(" ", "+")  # a "+" that became a space in a hand-made URL
    if _FLOAT_RE.fullmatch(text) or text.lower().lstrip("+-") in _NON_FINITE:
        return float(text)
    return None


def _is_control(char: str) -> bool:
    """Whether ``char`` is a control, format or surrogate code point (categories C[cfs])."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs")


# ----------------------------------------------------------------------------- field specs


@dataclasses.dataclass(frozen=True)
class Field:
    """One setting of a page, stored in the URL as one query parameter.

    Subclasses implement :meth:`parse`, :meth:`format` and :meth:`normalize`.

    Attributes:
        name: Query-parameter name (``"adam.lr"``).
        default: Value used when the URL has none or has an invalid one.
    """

    name: str
    default: Any

    max_chars = MAX_CHARS  # longest raw text read; longer is rejected as too long

    def parse(self, text: str) -> tuple[Any, list[str]]:
        """Parses ``text`` into a valid value.

        Args:
            text: The raw query-parameter value.

        Returns:
            The value (the default or a clamped value when ``text`` is not valid) and the
            problems found, each a message without the field name.
        """
        raise NotImplementedError

    def format(self, value: Any) -> str:
        """Formats a valid ``value`` as query-parameter text."""
        raise NotImplementedError

    def normalize(self, value: Any) -> Any:
        """Converts ``value`` to the field's canonical Python type (no validation)."""
        return value

    def show(self, value: Any) -> str:
        """Shows a valid ``value`` to a person, in messages."""
        text = self.format(value)
        return text if text else "the default"

    def fallback(self, why: str) -> tuple[Any, list[str]]:
        """Returns the default with the message ``"<why> — using <default>"``."""
        return self.default, [f"{why} — using {self.show(self.default)}"]


def _clamp(value: float, low: float, high: float) -> tuple[float, str | None]:
    """Clamps ``value`` to ``[low, high]`` and says which side it left, if any."""
    if value < low:
        return low, "below"
    if value > high:
        return high, "above"
    return value, None


@dataclasses.dataclass(frozen=True)
class FloatField(Field):
    """A float slider: finite, clamped to ``[low, high]``.

    Attributes:
        low: Smallest value.
        high: Largest value.
        log: Whether the slider moves on a log scale (a hint for the UI).
    """

    default: float
    low: float
    high: float
    log: bool = False

    def __post_init__(self):
        if not self.low <= self.default <= self.high:
            raise ValueError(
                f"{self.name}: default {self.default} outside [{self.low}, {self.high}]"
            )

    def normalize(self, value: Any) -> float:
        """Returns ``float(value)``."""
        return float(value)

    def format(self, value: Any) -> str:
        """Formats the float in short exact form (``0.02``, ``1e-8``)."""
        return _format_float(float(value))

    def parse(self, text: str) -> tuple[float, list[str]]:
        """Parses a finite float and clamps it to ``[low, high]``."""
        value = _parse_float(text)
        if value is None:
            return self.fallback(f"{_quote(text)} is not a number")
        if not math.isfinite(value):
            return self.fallback(f"{_quote(text)} is not a finite number")
        clamped, side = _clamp(value, self.low, self.high)
        if side == "below":
            return clamped, [f"{_quote(text)} is below the minimum — using {self.show(clamped)}"]
        if side == "above":
            return clamped, [f"{_quote(text)} is above the maximum — using {self.show(clamped)}"]
        return value + 0.0, []  # + 0.0 turns -0.0 into 0.0


@dataclasses.dataclass(frozen=True)
class IntField(Field):
    """An integer setting clamped to ``[low, high]`` (a fractional number is rounded).

    Attributes:
        low: Smallest value.
        high: Largest value.
    """

    default: int
    low: int
    high: int

    def __post_init__(self):
        if not self.low <= self.default <= self.high:
            raise ValueError(
                f"{self.name}: default {self.default} outside [{self.low}, {self.high}]"
            )

    def normalize(self, value: Any) -> int:
        """Returns ``int(value)``."""
        return int(value)

    def format(self, value: Any) -> str:
        """Formats the integer in decimal."""
        return str(int(value))

    def parse(self, text: str) -> tuple[int, list[str]]:
        """Parses an integer (or rounds a finite float) and clamps it to ``[low, high]``."""
        stripped = text.strip()
        problems = []
        if _INT_RE.fullmatch(stripped):
            value = int(stripped)  # at most MAX_CHARS digits: cheap
        else:
            number = _parse_float(stripped)
            if number is None:
                return self.fallback(f"{_quote(text)} is not a whole number")
            if not math.isfinite(number):
                return self.fallback(f"{_quote(text)} is not a finite number")
            value = round(number)
            if value != number:
                problems.append(f"{_quote(text)} is not a whole number — using {value}")
        clamped, side = _clamp(value, self.low, self.high)
        if side is not None:
            limit = "minimum" if side == "below" else "maximum"
            return clamped, [f"{_quote(text)} is {side} the {limit} — using {clamped}"]
        return value, problems


@dataclasses.dataclass(frozen=True)
class BoolField(Field):
    """An on/off switch, ``1`` or ``0`` in the URL.

    ``true``/``false``, ``yes``/``no`` and ``on``/``off`` (any case) are read too.
    """

    default: bool

    def normalize(self, value: Any) -> bool:
        """Returns ``bool(value)``."""
        return bool(value)

    def format(self, value: Any) -> str:
        """Formats the switch as ``1`` or ``0``."""
        return "1" if value else "0"

    def show(self, value: Any) -> str:
        """Shows the switch as ``on`` or ``off``."""
        return "on" if value else "off"

    def parse(self, text: str) -> tuple[bool, list[str]]:
        """Parses ``1``/``0`` (and the other spellings, in any case)."""
        word = text.strip().lower()
        if word in _TRUE:
            return True, []
        if word in _FALSE:
            return False, []
        return self.fallback(f"{_quote(text)} is not on or off (1 or 0)")


def _check_choices(name: str, choices: Sequence[str]) -> None:
    """Rejects choice lists that could not round-trip through the URL."""
    if len(set(choices)) != len(choices):
        raise ValueError(f"{name}: duplicate choices in {choices!r}")
    for choice in choices:
        if "," in choice or choice != choice.strip() or any(_is_control(c) for c in choice):
            raise ValueError(f"{name}: choice {choice!r} cannot be stored in a URL")


def _match_choice(text: str, choices: Sequence[str]) -> str | None:
    """Returns the choice ``text`` names, exactly or else ignoring case; ``None`` if none."""
    text = text.strip()
    if text in choices:
        return text
    folded = [c for c in choices if c.casefold() == text.casefold()]
    return folded[0] if len(folded) == 1 else None


@dataclasses.dataclass(frozen=True)
class ChoiceField(Field):
    """One of a fixed list of names (a select box or radio).

    Attributes:
        choices: The allowed names, in display order (``""`` may be one of them).
    """

    default: str
    choices: tuple[str, ...]

    def __post_init__(self):
        object.__setattr__(self, "choices", tuple(self.choices))
        _check_choices(self.name, self.choices)
        if self.default not in self.choices:
            raise ValueError(f"{self.name}: default {self.default!r} is not a choice")

    def normalize(self, value: Any) -> str:
        """Returns ``str(value)``."""
        return str(value)

    def format(self, value: Any) -> str:
        """Formats the choice as its name."""
        return str(value)

    def show(self, value: Any) -> str:
        """Shows the choice as its name (``none`` for ``""``)."""
        return str(value) if value else "none"

    def parse(self, text: str) -> tuple[str, list[str]]:
        """Parses one of the choices (exact, or ignoring case when that is unambiguous)."""
        choice = _match_choice(text, self.choices)
        if choice is None:
            if not text.strip():
                return self.fallback("empty value")
            return self.fallback(f"unknown choice {_quote(text)}")
        return choice, []


@dataclasses.dataclass(frozen=True)
class MultiChoiceField(Field):
    """An ordered selection of distinct names (a multiselect), comma-joined in the URL.

    Attributes:
        choices: The allowed names.
        max_items: Most names kept (the first ones).
        min_items: Fewest names; a URL with fewer valid names gets the default.
    """

    default: tuple[str, ...]
    choices: tuple[str, ...]
    max_items: int
    min_items: int = 1

    def __post_init__(self):
        object.__setattr__(self, "choices", tuple(self.choices))
        object.__setattr__(self, "default", tuple(self.default))
        _check_choices(self.name, self.choices)
        ok = self.min_items <= len(self.default) <= self.max_items and len(
            set(self.default)
        ) == len(self.default)
        if not ok or not set(self.default) <= set(self.choices):
            raise ValueError(f"{self.name}: invalid default {self.default!r}")

    @property
    def max_chars(self) -> int:  # type: ignore[override]
        """Room for every choice, twice over."""
        return max(MAX_CHARS, 2 * len(",".join(self.choices)))

    def normalize(self, value: Any) -> tuple[str, ...]:
        """Returns the names as a tuple (a single string is one name)."""
        return (value,) if isinstance(value, str) else tuple(str(v) for v in value)

    def format(self, value: Any) -> str:
        """Joins the names with commas."""
        return ",".join(self.normalize(value))

    def show(self, value: Any) -> str:
        """Shows the names comma-joined (``none`` when empty)."""
        return self.format(value) or "none"

    def parse(self, text: str) -> tuple[tuple[str, ...], list[str]]:
        """Keeps the known names in order, once each, at most ``max_items`` of them."""
        problems = []
        chosen: list[str] = []
        parts = [p for p in text.split(",") if p.strip()]
        for part in parts:
            choice = _match_choice(part, self.choices)
            if choice is None:
                problems.append(f"ignored unknown choice {_quote(part)}")
            elif choice in chosen:
                problems.append(f"ignored repeated {_quote(choice)}")
            else:
                chosen.append(choice)
        if len(chosen) > self.max_items:
            problems.append(f"kept the first {self.max_items} of {len(chosen)}")
            chosen = chosen[: self.max_items]
        if len(chosen) < self.min_items:
            why = "nothing valid" if not parts else f"nothing valid in {_quote(text)}"
            if chosen:
                why = f"fewer than {self.min_items} valid in {_quote(text)}"
            value, fallback = self.fallback(why)
            return value, problems + fallback
        return tuple(chosen), problems


@dataclasses.dataclass(frozen=True)
class PointField(Field):
    """A point ``(x, y)`` written ``x,y``, clamped to a box.

    Attributes:
        default: The point used without a valid value, or ``None`` for "the page decides"
            (e.g. the chosen surface's own start point).
        bounds: ``((x_min, x_max), (y_min, y_max))``.
    """

    default: tuple[float, float] | None
    bounds: tuple[tuple[float, float], tuple[float, float]]

    def __post_init__(self):
        if self.default is not None:
            object.__setattr__(self, "default", self.normalize(self.default))
            (x0, x1), (y0, y1) = self.bounds
            x, y = self.default
            if not (x0 <= x <= x1 and y0 <= y <= y1):
                raise ValueError(f"{self.name}: default {self.default} outside {self.bounds}")

    def normalize(self, value: Any) -> tuple[float, float] | None:
        """Returns ``(float(x), float(y))``, or ``None`` for ``None``."""
        if value is None:
            return None
        x, y = value
        return float(x), float(y)

    def format(self, value: Any) -> str:
        """Formats the point as ``x,y`` (``""`` for ``None``)."""
        point = self.normalize(value)
        if point is None:
            return ""
        return f"{_format_float(point[0])},{_format_float(point[1])}"

    def parse(self, text: str) -> tuple[tuple[float, float] | None, list[str]]:
        """Parses ``x,y`` with finite numbers and clamps each to its range."""
        parts = text.split(",")
        coords = [_parse_float(p) for p in parts] if len(parts) == 2 else [None]
        if any(c is None for c in coords):
            return self.fallback(f"{_quote(text)} is not a point x,y")
        if not all(math.isfinite(c) for c in coords):
            return self.fallback(f"{_quote(text)} is not a finite point")
        point = tuple(_clamp(c, lo, hi)[0] for c, (lo, hi) in zip(coords, self.bounds, strict=True))
        if point != tuple(coords):
            return point, [f"{_quote(text)} is outside the plot — using {self.show(point)}"]
        return point, []


@dataclasses.dataclass(frozen=True)
class TextField(Field):
    """Free text such as a user formula: kept as is, only limited in length.

    Control characters are removed (tabs and newlines become spaces); the text is not
    otherwise checked here; whoever uses it validates it (the formula compiler does).

    Attributes:
        max_len: Most characters; longer text gets the default.
    """

    default: str
    max_len: int

    @property
    def max_chars(self) -> int:  # type: ignore[override]
        """Text is read up to ``max_len`` characters."""
        return self.max_len

    def normalize(self, value: Any) -> str:
        """Returns ``str(value)``."""
        return str(value)

    def format(self, value: Any) -> str:
        """The text itself."""
        return str(value)

    def parse(self, text: str) -> tuple[str, list[str]]:
        """Removes control characters; the rest is kept unchanged."""
        if not any(_is_control(c) for c in text):
            return text, []
        cleaned = "".join(
            " " if c in "\t\n\r" else c for c in text if c in "\t\n\r" or not _is_control(c)
        )
        return cleaned, ["removed control characters"]


# ----------------------------------------------------------------------------- codec


def _raw_text(value: Any) -> tuple[str | None, str | None]:
    """Turns one query-parameter value (text or a list of them) into text.

    Returns:
        The text (``None`` when there is none) and a problem, if any.
    """
    problem = None
    if isinstance(value, list | tuple):
        if len(value) > 1:
            problem = f"given {len(value)} times — using the last"
        value = value[-1] if value else None
    if value is None:
        return None, problem
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return (value if isinstance(value, str) else str(value)), problem


def _decode_one(field: Field, value: Any) -> tuple[Any, list[str]]:
    """Decodes the URL value of one field; never raises."""
    try:
        text, problem = _raw_text(value)
        problems = [problem] if problem else []
        if text is None:
            value, more = field.fallback("no value")
        elif len(text) > field.max_chars:
            value, more = field.fallback(f"{len(text)} characters is too long")
        elif text == "" and not isinstance(field, TextField | ChoiceField | MultiChoiceField):
            value, more = field.fallback("empty value")
        else:
            value, more = field.parse(text)
        return value, problems + more
    except Exception:  # a last resort: nothing in a URL may break a page
        return field.fallback("unreadable value")


def _cap(problems: list[str]) -> list[str]:
    """Keeps at most ``MAX_PROBLEMS`` messages, summarising the rest in the last one."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - (MAX_PROBLEMS - 1)
    return [*problems[: MAX_PROBLEMS - 1], f"… and {rest} more problems"]


def decode(
    params: Mapping[str, str | list[str]], fields: Iterable[Field]
) -> tuple[dict[str, Any], list[str]]:
    """Reads a valid page state from query parameters; never raises.

    Args:
        params: Query parameters, e.g. ``st.query_params`` (name -> text) or
            ``{k: st.query_params.get_all(k) for k in st.query_params}`` (name -> list of
            texts, of which the last counts).
        fields: The page's settings.

    Returns:
        ``(state, problems)``: ``state`` has a valid value for every field (its default when
        the URL has none); ``problems`` are short messages for the person, such as
        ``"lr: 'abc' is not a number — using 0.1"``, empty for a clean URL.
    """
    fields = list(fields)
    state: dict[str, Any] = {}
    problems: list[str] = []
    try:
        items = [(str(k), params[k]) for k in params]
    except Exception:
        items = []
        problems.append("could not read the settings in the link — using defaults")
    given = dict(items)  # the last of repeated keys wins
    known = {f.name for f in fields}
    for field in fields:
        if field.name in given:
            state[field.name], messages = _decode_one(field, given[field.name])
            problems.extend(f"{field.name}: {m}" for m in messages)
        else:
            state[field.name] = field.default
    for key in given:
        if key not in known and key.lower() not in IGNORED_KEYS:
            problems.append(f"ignored unknown setting {_quote(key)}")
    return state, _cap(problems)


def encode(state: Mapping[str, Any], fields: Iterable[Field]) -> dict[str, str]:
    """Writes a page state as query parameters, leaving out values equal to the default.

    Args:
        state: Field name -> value; names that are not fields and missing fields are
            skipped. Values should be valid (as :func:`decode` returns them); an invalid one
            is written as :func:`decode` would read it (clamped, or left out as default);
            one of the wrong type is left out.
        fields: The page's settings.

    Returns:
        Name -> text, in field order, for ``st.query_params.from_dict``.
    """
    out: dict[str, str] = {}
    for field in fields:
        if field.name not in state:
            continue
        try:
            value = field.normalize(state[field.name])
            text = field.format(value)
        except (TypeError, ValueError, OverflowError):
            continue  # not a value of this field at all: leave it to the default
        if field.parse(text)[1] or len(text) > field.max_chars:
            value = _decode_one(field, text)[0]  # write what decode would make of it
            text = field.format(value)
        if field.normalize(value) != field.normalize(field.default):
            out[field.name] = text
    return out


# ----------------------------------------------------------------------------- registry fields


def param_field(name: str, param: Param) -> FloatField:
    """A :class:`FloatField` named ``name`` with the range of a registry :class:`Param`."""
    return FloatField(name, float(param.default), param.low, param.high, param.log)


def _registry_fields(prefix: str, entries: Mapping[str, Sequence[Param]]) -> dict[tuple, Field]:
    """Fields for the parameters of many registry entries, keyed by ``(entry key, name)``.

    A parameter is ``prefix.NAME`` when every entry that has ``NAME`` agrees on its
    default and range, else ``prefix.KEY.NAME``.
    """
    specs: dict[str, set] = {}
    for params in entries.values():
        for p in params:
            specs.setdefault(p.name, set()).add((p.default, p.low, p.high, p.log))
    fields: dict[tuple, Field] = {}
    for key, params in entries.items():
        for p in params:
            qualified = len(specs[p.name]) > 1
            fields[key, p.name] = param_field(
                f"{prefix}.{key}.{p.name}" if qualified else f"{prefix}.{p.name}", p
            )
    return fields


def optimizer_fields(prefix: str, optimizer_key: str) -> list[Field]:
    """One field per hyperparameter of an optimizer, named ``prefix.NAME``.

    Args:
        prefix: Name prefix, usually the optimizer key (``"adam"`` gives ``adam.lr``).
        optimizer_key: A key of :data:`optviz.OPTIMIZERS`.

    Returns:
        A :class:`FloatField` per float hyperparameter (slider range and log scale from the
        spec), then a :class:`BoolField` per flag (``adam.bias_correction``).
    """
    opt = OPTIMIZERS[optimizer_key]
    floats = [param_field(f"{prefix}.{p.name}", p) for p in opt.params]
    flags = [BoolField(f"{prefix}.{name}", bool(default)) for name, default, _ in opt.flags]
    return [*floats, *flags]


def surface_fields(surface_key: str, prefix: str = "surface") -> list[Field]:
    """One :class:`FloatField` per parameter of a surface, named ``prefix.NAME``."""
    return [param_field(f"{prefix}.{p.name}", p) for p in SURFACES[surface_key].params]


def schedule_fields(schedule_key: str, prefix: str = "schedule") -> list[Field]:
    """One :class:`FloatField` per parameter of a schedule (warm-up included), ``prefix.NAME``."""
    params = (*SCHEDULES[schedule_key].params, WARMUP)
    return [param_field(f"{prefix}.{p.name}", p) for p in params]


def _surface_registry() -> dict[tuple, Field]:
    """The playground's surface-parameter fields, keyed by ``(surface key, name)``."""
    return _registry_fields("surface", {k: s.params for k, s in SURFACES.items()})


def _schedule_registry() -> dict[tuple, Field]:
    """The playground's schedule-parameter fields (warm-up shared), keyed ``(kind, name)``."""
    fields = _registry_fields("schedule", {k: s.params for k, s in SCHEDULES.items()})
    warmup = param_field(f"schedule.{WARMUP.name}", WARMUP)
    fields.update({(k, WARMUP.name): warmup for k in SCHEDULES})
    return fields


def playground_fields(
    presets: Sequence[str] = (), extra_surfaces: Sequence[str] = ()
) -> list[Field]:
    """Every setting of the playground page, in a fixed order.

    Args:
        presets: Names of the page's presets; ``preset`` is one of them or ``""``.
        extra_surfaces: More ``surface`` choices after the registry's (e.g. ``"formula"``
            for a user-typed surface, stored in ``formula``).

    Returns:
        ``surface``, ``formula``, ``opts``, ``start`` (``None`` = the surface's own start),
        ``steps``, ``view``, ``lang``, ``preset``, ``schedule``, ``noise``, ``seed``,
        ``clip``, ``clip_max``, then every optimizer's hyperparameters (``adam.lr``), every
        surface parameter (``surface.kappa``) and every schedule parameter
        (``schedule.warmup``, ``schedule.exponential.beta``).
    """
    fields: list[Field] = [
        ChoiceField("surface", "quadratic", (*SURFACES, *extra_surfaces)),
        TextField("formula", "", FORMULA_MAX_LENGTH),
        MultiChoiceField("opts", DEFAULT_OPTIMIZERS, tuple(OPTIMIZERS), MAX_OPTIMIZERS),
        PointField("start", None, START_BOX),
        IntField("steps", 100, 10, 1000),
        ChoiceField("view", "overlay", VIEWS),
        ChoiceField("lang", "en", LANGS),
        ChoiceField("preset", "", ("", *presets)),
        ChoiceField("schedule", "constant", tuple(SCHEDULES)),
        FloatField("noise", 0.0, 0.0, 2.0),
        IntField("seed", 0, 0, 9999),
        ChoiceField("clip", "none", CLIP_KINDS),
        FloatField("clip_max", 1.0, 0.01, 100.0, log=True),
    ]
    for key in OPTIMIZERS:
        fields.extend(optimizer_fields(key, key))
    seen = {f.name for f in fields}
    for field in [*_surface_registry().values(), *_schedule_registry().values()]:
        if field.name not in seen:
            fields.append(field)
            seen.add(field.name)
    return fields


# ----------------------------------------------------------------------------- state readers


def optimizer_hparams(state: Mapping[str, Any], optimizer_key: str) -> dict[str, float | bool]:
    """The hyperparameters of ``optimizer_key`` from a playground state (defaults if absent)."""
    opt = OPTIMIZERS[optimizer_key]
    values = opt.defaults()
    for name in opt.names:
        values[name] = state.get(f"{optimizer_key}.{name}", values[name])
    return values


def surface_params(state: Mapping[str, Any], surface_key: str) -> dict[str, float]:
    """The parameters of ``surface_key`` from a playground state (defaults if absent)."""
    registry = _surface_registry()
    return {
        p.name: state.get(registry[surface_key, p.name].name, p.default)
        for p in SURFACES[surface_key].params
    }


def schedule_params(state: Mapping[str, Any], schedule_key: str) -> dict[str, float]:
    """The parameters of ``schedule_key`` (warm-up included) from a playground state."""
    registry = _schedule_registry()
    params = (*SCHEDULES[schedule_key].params, WARMUP)
    return {p.name: state.get(registry[schedule_key, p.name].name, p.default) for p in params}
