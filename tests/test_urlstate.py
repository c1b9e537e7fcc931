"""Tests of ``optviz.urlstate``: page state <-> query parameters."""

from __future__ import annotations

import math
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optviz import OPTIMIZERS, SCHEDULES, SURFACES, urlstate
from optviz.urlstate import (
    BoolField,
    ChoiceField,
    FloatField,
    IntField,
    MultiChoiceField,
    PointField,
    TextField,
    decode,
    encode,
)

PRESETS = ("ravine", "saddle escape")
FIELDS = urlstate.playground_fields(PRESETS, extra_surfaces=("formula",))
BY_NAME = {f.name: f for f in FIELDS}
DEFAULTS = {f.name: f.default for f in FIELDS}


def _value(field):
    """A strategy of valid values of ``field`` (what decode may return)."""
    finite = {"allow_nan": False, "allow_infinity": False}
    if isinstance(field, FloatField):
        return st.floats(field.low, field.high, **finite)
    if isinstance(field, IntField):
        return st.integers(field.low, field.high)
    if isinstance(field, BoolField):
        return st.booleans()
    if isinstance(field, ChoiceField):
        return st.sampled_from(field.choices)
    if isinstance(field, MultiChoiceField):
        names = st.lists(
            st.sampled_from(field.choices),
            min_size=field.min_items,
            max_size=field.max_items,
            unique=True,
        )
        return names.map(tuple)
    if isinstance(field, PointField):
        (x0, x1), (y0, y1) = field.bounds
        point = st.tuples(st.floats(x0, x1, **finite), st.floats(y0, y1, **finite))
        return st.one_of(st.none(), point) if field.default is None else point
    if isinstance(field, TextField):
        chars = st.characters(exclude_categories=("Cc", "Cf", "Cs"))
        return st.text(chars, max_size=field.max_len)
    raise AssertionError(field)


@st.composite
def playground_states(draw):
    """A valid playground state: defaults with a random subset of fields changed."""
    state = dict(DEFAULTS)
    for field in draw(st.lists(st.sampled_from(FIELDS), unique_by=lambda f: f.name)):
        state[field.name] = draw(_value(field))
    return state


# ----------------------------------------------------------------------------- the field list


def test_playground_fields_are_unique_deterministic_and_complete():
    names = [f.name for f in FIELDS]
    assert len(names) == len(set(names))
    assert names == [f.name for f in urlstate.playground_fields(PRESETS, ("formula",))]
    for name in ("surface", "opts", "start", "steps", "view", "lang", "preset", "schedule"):
        assert name in BY_NAME
    for name in ("noise", "clip", "clip_max", "formula", "schedule.warmup"):
        assert name in BY_NAME
    for key, opt in OPTIMIZERS.items():
        for name in opt.names:
            assert f"{key}.{name}" in BY_NAME
    assert {"surface.kappa", "surface.angle", "surface.a", "surface.b", "surface.A"} <= set(names)
    # Each schedule parameter has exactly one field (qualified where schedules disagree).
    for key in SCHEDULES:
        assert set(urlstate.schedule_params(DEFAULTS, key)) == {
            *(p.name for p in SCHEDULES[key].params),
            "warmup",
        }


def test_playground_field_specs():
    assert BY_NAME["surface"] == ChoiceField("surface", "quadratic", (*SURFACES, "formula"))
    opts = BY_NAME["opts"]
    assert opts.default == ("sgd", "momentum", "rmsprop", "adam")
    assert opts.max_items == 6 and opts.choices == tuple(OPTIMIZERS)
    assert BY_NAME["steps"] == IntField("steps", 100, 10, 1000)
    assert BY_NAME["view"].choices == ("overlay", "side")
    assert BY_NAME["lang"].choices == ("en", "zh")
    assert BY_NAME["preset"].choices == ("", *PRESETS) and BY_NAME["preset"].default == ""
    assert BY_NAME["clip"].choices == ("none", "value", "norm")
    clip_max = BY_NAME["clip_max"]
    assert (clip_max.low, clip_max.high, clip_max.log) == (0.01, 100.0, True)
    noise = BY_NAME["noise"]
    assert (noise.low, noise.high, noise.default) == (0.0, 2.0, 0.0)
    assert BY_NAME["start"].default is None


def test_optimizer_fields_follow_the_registry():
    fields = urlstate.optimizer_fields("adam", "adam")
    assert [f.name for f in fields] == [
        "adam.lr",
        "adam.beta1",
        "adam.beta2",
        "adam.eps",
        "adam.bias_correction",
    ]
    lr = fields[0]
    spec = OPTIMIZERS["adam"].params[0]
    assert (lr.default, lr.low, lr.high, lr.log) == (spec.default, spec.low, spec.high, True)
    assert fields[-1] == BoolField("adam.bias_correction", True)
    assert [f.name for f in urlstate.optimizer_fields("left", "sgd")] == ["left.lr"]


def test_surface_and_schedule_fields():
    assert [f.name for f in urlstate.surface_fields("quadratic")] == [
        "surface.kappa",
        "surface.angle",
    ]
    assert urlstate.surface_fields("saddle") == []
    assert [f.name for f in urlstate.schedule_fields("step")] == [
        "schedule.gamma",
        "schedule.step_size",
        "schedule.warmup",
    ]
    # In the playground, schedules that disagree about "beta" get qualified names.
    assert "schedule.exponential.beta" in BY_NAME and "schedule.beta" not in BY_NAME


def test_state_readers():
    state, problems = decode(
        {"adam.lr": "0.02", "surface.kappa": "50", "schedule.exponential.beta": "0.9"}, FIELDS
    )
    assert problems == []
    assert urlstate.optimizer_hparams(state, "adam") == {
        **OPTIMIZERS["adam"].defaults(),
        "lr": 0.02,
    }
    assert urlstate.surface_params(state, "quadratic") == {"kappa": 50.0, "angle": 0.0}
    assert urlstate.schedule_params(state, "exponential") == {"beta": 0.9, "warmup": 0.0}
    assert urlstate.schedule_params(state, "inverse_time")["beta"] == 0.1


# ----------------------------------------------------------------------------- encode / decode


def test_docstring_example():
    state, problems = decode(
        {"surface": "rosenbrock", "opts": "sgd,adam", "adam.lr": "0.02", "start": "-1.5,2"}, FIELDS
    )
    assert problems == []
    assert state == {
        **DEFAULTS,
        "surface": "rosenbrock",
        "opts": ("sgd", "adam"),
        "adam.lr": 0.02,
        "start": (-1.5, 2.0),
    }
    assert encode(state, FIELDS) == {
        "surface": "rosenbrock",
        "opts": "sgd,adam",
        "start": "-1.5,2",
        "adam.lr": "0.02",
    }


def test_defaults_are_omitted():
    assert encode(DEFAULTS, FIELDS) == {}
    assert decode({}, FIELDS) == (DEFAULTS, [])
    assert encode({**DEFAULTS, "steps": 200}, FIELDS) == {"steps": "200"}
    assert encode({**DEFAULTS, "adam.bias_correction": False}, FIELDS) == {
        "adam.bias_correction": "0"
    }
    # Values equal to the default in another type are still the default.
    assert (
        encode({**DEFAULTS, "noise": 0, "opts": ["sgd", "momentum", "rmsprop", "adam"]}, FIELDS)
        == {}
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.1, "0.1"),
        (0.02, "0.02"),
        (1e-8, "1e-8"),
        (1.5e20, "1.5e20"),
        (100.0, "100"),
        (-2.0, "-2"),
        (0.30000000000000004, "0.30000000000000004"),  # exact beats short
        (1 / 3, "0.3333333333333333"),
    ],
)
def test_float_format_is_short_and_exact(value, text):
    field = FloatField("v", 0.0, -1e30, 1e30)
    assert encode({"v": value}, [field]) == {"v": text}
    assert decode({"v": text}, [field]) == ({"v": value}, [])


def test_compact_encodings():
    state = {
        **DEFAULTS,
        "opts": ("adam", "sgd"),
        "start": (0.5, -1.0),
        "adam.bias_correction": False,
        "steps": 250,
        "preset": "saddle escape",
    }
    params = encode(state, FIELDS)
    assert params == {
        "opts": "adam,sgd",
        "start": "0.5,-1",
        "steps": "250",
        "preset": "saddle escape",
        "adam.bias_correction": "0",
    }
    assert list(params) == [f.name for f in FIELDS if f.name in params]  # field order
    assert decode(params, FIELDS) == (state, [])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(playground_states())
def test_round_trip(state):
    params = encode(state, FIELDS)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())
    for name, text in params.items():
        assert text != BY_NAME[name].format(BY_NAME[name].default) or name == "start"
    decoded, problems = decode(params, FIELDS)
    assert problems == []
    assert decoded == state
    assert encode(decoded, FIELDS) == params


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_round_trip_every_field_kind(data):
    fields = [
        FloatField("f", 1.0, -5.0, 5.0),
        FloatField("g", 0.01, 1e-6, 1e6, log=True),
        IntField("i", 3, -10, 10),
        BoolField("b", False),
        ChoiceField("c", "", ("", "a", "B c")),
        MultiChoiceField("m", (), ("x", "y", "z"), 2, min_items=0),
        PointField("p", (0.0, 0.0), ((-1.0, 1.0), (-2.0, 2.0))),
        TextField("t", "x**2", 50),
    ]
    state = {f.name: data.draw(_value(f), label=f.name) for f in fields}
    decoded, problems = decode(encode(state, fields), fields)
    assert problems == []
    assert decoded == state


# ----------------------------------------------------------------------------- tampering


SCRIPT = "<script>alert(1)</script>"
HUGE = "9" * 200  # 1e200: finite, far out of range
LONG = "a" * 10_000

# (params, {field: expected value}, substring expected in some problem)
TAMPERED = [
    ({"adam.lr": "abc"}, {"adam.lr": 0.1}, "adam.lr: 'abc' is not a number — using 0.1"),
    ({"adam.lr": "nan"}, {"adam.lr": 0.1}, "not a finite number"),
    ({"adam.lr": "NaN"}, {"adam.lr": 0.1}, "not a finite number"),
    ({"adam.lr": "inf"}, {"adam.lr": 0.1}, "not a finite number"),
    ({"adam.lr": "-inf"}, {"adam.lr": 0.1}, "not a finite number"),
    ({"adam.lr": "1e999"}, {"adam.lr": 0.1}, "not a finite number"),
    ({"adam.lr": "-1e999"}, {"adam.lr": 0.1}, "not a finite number"),
    ({"adam.lr": "1e9"}, {"adam.lr": 10.0}, "above the maximum — using 10"),
    ({"adam.lr": "0"}, {"adam.lr": 1e-4}, "below the minimum — using 0.0001"),
    ({"adam.lr": "-3"}, {"adam.lr": 1e-4}, "below the minimum"),
    ({"adam.lr": HUGE}, {"adam.lr": 10.0}, "above the maximum"),
    ({"adam.lr": "0x10"}, {"adam.lr": 0.1}, "not a number"),
    ({"adam.lr": "1_0"}, {"adam.lr": 0.1}, "not a number"),
    ({"adam.lr": "١٢"}, {"adam.lr": 0.1}, "not a number"),  # non-ASCII digits
    ({"adam.lr": ""}, {"adam.lr": 0.1}, "adam.lr: empty value"),
    ({"adam.lr": "   "}, {"adam.lr": 0.1}, "not a number"),
    ({"adam.lr": SCRIPT}, {"adam.lr": 0.1}, "not a number"),
    ({"adam.lr": LONG}, {"adam.lr": 0.1}, "10000 characters is too long"),
    ({"adam.lr": ["0.5", "0.2"]}, {"adam.lr": 0.2}, "given 2 times — using the last"),
    ({"adam.lr": ["0.5", "abc"]}, {"adam.lr": 0.1}, "not a number"),
    ({"adam.lr": []}, {"adam.lr": 0.1}, "no value"),
    ({"adam.lr": None}, {"adam.lr": 0.1}, "no value"),
    ({"adam.bias_correction": "maybe"}, {"adam.bias_correction": True}, "not on or off"),
    ({"adam.bias_correction": "2"}, {"adam.bias_correction": True}, "— using on"),
    ({"adam.bias_correction": ""}, {"adam.bias_correction": True}, "empty value"),
    ({"steps": "-5"}, {"steps": 10}, "steps: '-5' is below the minimum — using 10"),
    ({"steps": "0"}, {"steps": 10}, "below the minimum"),
    ({"steps": "1000000"}, {"steps": 1000}, "above the maximum — using 1000"),
    ({"steps": HUGE}, {"steps": 1000}, "above the maximum"),
    ({"steps": "1e999"}, {"steps": 100}, "not a finite number"),
    ({"steps": "nan"}, {"steps": 100}, "not a finite number"),
    ({"steps": "12.5"}, {"steps": 12}, "not a whole number — using 12"),
    ({"steps": "ten"}, {"steps": 100}, "not a whole number"),
    ({"steps": "٥٠"}, {"steps": 100}, "not a whole number"),
    ({"steps": ""}, {"steps": 100}, "empty value"),
    ({"surface": "moon"}, {"surface": "quadratic"}, "surface: unknown choice 'moon'"),
    ({"surface": SCRIPT}, {"surface": "quadratic"}, "unknown choice"),
    ({"surface": ""}, {"surface": "quadratic"}, "empty value"),
    ({"surface": LONG}, {"surface": "quadratic"}, "too long"),
    ({"surface": "rosenbröck"}, {"surface": "quadratic"}, "unknown choice"),
    ({"view": "3d"}, {"view": "overlay"}, "unknown choice"),
    ({"lang": "fr"}, {"lang": "en"}, "— using en"),
    ({"preset": "nope"}, {"preset": ""}, "— using none"),
    ({"schedule": "warp"}, {"schedule": "constant"}, "unknown choice"),
    ({"clip": "always"}, {"clip": "none"}, "unknown choice"),
    ({"clip_max": "0"}, {"clip_max": 0.01}, "below the minimum"),
    ({"clip_max": "1e6"}, {"clip_max": 100.0}, "above the maximum"),
    ({"noise": "-1"}, {"noise": 0.0}, "below the minimum"),
    ({"noise": "5"}, {"noise": 2.0}, "above the maximum"),
    ({"opts": "foo,bar"}, {"opts": urlstate.DEFAULT_OPTIMIZERS}, "nothing valid"),
    ({"opts": ""}, {"opts": urlstate.DEFAULT_OPTIMIZERS}, "nothing valid"),
    ({"opts": ",,,"}, {"opts": urlstate.DEFAULT_OPTIMIZERS}, "nothing valid"),
    ({"opts": SCRIPT}, {"opts": urlstate.DEFAULT_OPTIMIZERS}, "ignored unknown choice"),
    ({"opts": LONG}, {"opts": urlstate.DEFAULT_OPTIMIZERS}, "too long"),
    ({"opts": "adam,warp"}, {"opts": ("adam",)}, "opts: ignored unknown choice 'warp'"),
    ({"start": "nan,1"}, {"start": None}, "start: 'nan,1' is not a finite point"),
    ({"start": "1,inf"}, {"start": None}, "not a finite point"),
    ({"start": "1e999,0"}, {"start": None}, "not a finite point"),
    ({"start": "1"}, {"start": None}, "not a point x,y"),
    ({"start": "1,2,3"}, {"start": None}, "not a point x,y"),
    ({"start": "a,b"}, {"start": None}, "not a point x,y"),
    ({"start": ""}, {"start": None}, "empty value"),
    ({"start": "50,-1e9"}, {"start": (10.0, -10.0)}, "outside the plot — using 10,-10"),
    ({"start": SCRIPT}, {"start": None}, "not a point"),
    ({"formula": LONG}, {"formula": ""}, "formula: 10000 characters is too long"),
    ({"formula": "x**2\x00+y\n"}, {"formula": "x**2+y "}, "removed control characters"),
    ({"formula": "x\u202e+y"}, {"formula": "x+y"}, "removed control characters"),
    ({"foo": "1"}, {}, "ignored unknown setting 'foo'"),
    ({SCRIPT: SCRIPT}, {}, "ignored unknown setting '?script?alert?1???scrip…'"),
    ({"adam.nope": "1"}, {}, "ignored unknown setting 'adam.nope'"),
    ({"学习率": "0.1"}, {}, "ignored unknown setting '学习率'"),
    ({"": ""}, {}, "ignored unknown setting ''"),
]


@pytest.mark.parametrize(("params", "expected", "message"), TAMPERED)
def test_tampered_urls_give_defaults_or_clamped_values(params, expected, message):
    state, problems = decode(params, FIELDS)
    assert state == {**DEFAULTS, **expected}
    assert any(message in p for p in problems), problems
    assert encode(state, FIELDS) == encode({**DEFAULTS, **expected}, FIELDS)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"adam.lr": " 0.02 "}, {"adam.lr": 0.02}),
        ({"steps": "2e 2"}, {"steps": 200}),  # "2e+2" whose "+" became a space
        ({"adam.lr": ".5"}, {"adam.lr": 0.5}),
        ({"adam.lr": "+2E-3"}, {"adam.lr": 0.002}),
        ({"steps": "1e3"}, {"steps": 1000}),
        ({"steps": "+20"}, {"steps": 20}),
        ({"adam.bias_correction": "FALSE"}, {"adam.bias_correction": False}),
        ({"adam.bias_correction": "off"}, {"adam.bias_correction": False}),
        ({"adam.bias_correction": "yes"}, {"adam.bias_correction": True}),
        ({"surface": " Rosenbrock "}, {"surface": "rosenbrock"}),
        ({"opts": "Adam, sgd"}, {"opts": ("adam", "sgd")}),
        ({"preset": ""}, {"preset": ""}),
        ({"formula": SCRIPT}, {"formula": SCRIPT}),  # text is kept; the compiler rejects it
        ({"formula": "  x² + 3·y²  "}, {"formula": "  x² + 3·y²  "}),
        ({"start": "-0,0"}, {"start": (0.0, 0.0)}),
        ({"noise": "-0"}, {"noise": 0.0}),
        ({"embed": "true", "embed_options": "dark_theme"}, {}),  # Streamlit's own
    ],
)
def test_lenient_but_clean_values(params, expected):
    assert decode(params, FIELDS) == ({**DEFAULTS, **expected}, [])


def test_problems_only_quote_a_short_safe_snippet():
    state, problems = decode({"adam.lr": "[click](http://x.example)" + "z" * 100}, FIELDS)
    assert state == DEFAULTS
    (problem,) = problems
    assert len(problem) < 120
    for char in "[]()<>*_`#!|$&":
        assert char not in problem


def test_problem_messages_are_capped():
    state, problems = decode({f"junk{i}": "1" for i in range(100)}, FIELDS)
    assert state == DEFAULTS
    assert len(problems) == urlstate.MAX_PROBLEMS
    assert problems[-1] == f"… and {100 - urlstate.MAX_PROBLEMS + 1} more problems"


def test_many_bad_values_at_once():
    params = {f.name: SCRIPT for f in FIELDS}
    state, problems = decode(params, FIELDS)
    assert state == {**DEFAULTS, "formula": SCRIPT}
    assert problems and len(problems) <= urlstate.MAX_PROBLEMS


def test_clamping_to_slider_ranges():
    for field in FIELDS:
        if isinstance(field, FloatField | IntField):
            big, small = str(field.high * 10 + 1), str(field.low - 10 * abs(field.low) - 1)
            assert decode({field.name: big}, [field])[0] == {field.name: field.high}
            assert decode({field.name: small}, [field])[0] == {field.name: field.low}
            assert decode({field.name: field.format(field.low)}, [field]) == (
                {field.name: field.low},
                [],
            )


# ----------------------------------------------------------------------------- multi-choice


MULTI = MultiChoiceField("opts", ("sgd", "adam"), ("sgd", "momentum", "adam", "lion"), 3)


@pytest.mark.parametrize(
    ("text", "expected", "problem"),
    [
        ("lion,sgd", ("lion", "sgd"), None),  # order kept
        ("adam,foo,sgd", ("adam", "sgd"), "ignored unknown choice 'foo'"),
        ("adam,adam,sgd,adam", ("adam", "sgd"), "ignored repeated 'adam'"),
        ("lion,adam,sgd,momentum", ("lion", "adam", "sgd"), "kept the first 3 of 4"),
        ("foo,bar", ("sgd", "adam"), "nothing valid in 'foo,bar' — using sgd,adam"),
        ("", ("sgd", "adam"), "nothing valid — using sgd,adam"),
        (",", ("sgd", "adam"), "nothing valid"),
    ],
)
def test_multi_choice(text, expected, problem):
    state, problems = decode({"opts": text}, [MULTI])
    assert state == {"opts": expected}
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


def test_multi_choice_min_items():
    two = MultiChoiceField("m", ("a", "b"), ("a", "b", "c"), 3, min_items=2)
    assert decode({"m": "c"}, [two])[0] == {"m": ("a", "b")}
    assert decode({"m": "c,a"}, [two]) == ({"m": ("c", "a")}, [])
    empty_ok = MultiChoiceField("m", (), ("a", "b"), 2, min_items=0)
    assert encode({"m": ()}, [empty_ok]) == {}
    assert encode({"m": ("b",)}, [empty_ok]) == {"m": "b"}
    assert decode({"m": ""}, [empty_ok]) == ({"m": ()}, [])


# ----------------------------------------------------------------------------- specs and encode


def test_invalid_specs_are_rejected_when_built():
    with pytest.raises(ValueError):
        FloatField("x", 5.0, 0.0, 1.0)
    with pytest.raises(ValueError):
        IntField("x", 0, 1, 2)
    with pytest.raises(ValueError):
        ChoiceField("x", "c", ("a", "b"))
    with pytest.raises(ValueError):
        ChoiceField("x", "a", ("a", "a,b"))
    with pytest.raises(ValueError):
        MultiChoiceField("x", ("a", "a"), ("a", "b"), 3)
    with pytest.raises(ValueError):
        MultiChoiceField("x", ("a", "b"), ("a", "b"), 1)
    with pytest.raises(ValueError):
        PointField("x", (5.0, 0.0), ((-1.0, 1.0), (-1.0, 1.0)))


def test_encode_writes_what_decode_would_read():
    params = encode(
        {
            **DEFAULTS,
            "adam.lr": math.nan,  # left out: decode would give the default
            "noise": 7.0,  # clamped
            "steps": "lots",  # wrong type: left out
            "opts": ("adam", "warp", "adam"),
            "start": (99.0, 0.5),
            "extra": "ignored",  # not a field
        },
        FIELDS,
    )
    assert params == {"opts": "adam", "start": "10,0.5", "noise": "2"}
    assert decode(params, FIELDS)[1] == []
    assert encode({}, FIELDS) == {}


# ----------------------------------------------------------------------------- never raises


class _Weird:
    def __str__(self):
        raise RuntimeError("no text for you")


class _BrokenMapping(dict):
    def __iter__(self):
        raise RuntimeError("broken")


def test_odd_python_values_never_raise():
    state, problems = decode(
        {"adam.lr": _Weird(), "steps": 50, "noise": b"0.5", "start": ["1,1", "2,2"], 7: "x"},
        FIELDS,
    )
    assert state["adam.lr"] == 0.1 and state["steps"] == 50 and state["noise"] == 0.5
    assert state["start"] == (2.0, 2.0)
    assert any("unreadable" in p for p in problems)
    assert any("ignored unknown setting '7'" in p for p in problems)
    state, problems = decode(_BrokenMapping(a="1"), FIELDS)
    assert state == DEFAULTS and problems


_TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["nan", "inf", "-inf", "1e999", "-0", "", SCRIPT, HUGE, "1,2", "sgd,adam", "0x1p3", "1e-400"]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from([f.name for f in FIELDS]) | st.text(max_size=10),
        _TEXT | st.lists(_TEXT, max_size=3),
        max_size=12,
    )
)
def test_decode_never_raises_and_always_gives_valid_state(params):
    state, problems = decode(params, FIELDS)
    assert set(state) == set(BY_NAME)
    assert isinstance(problems, list) and len(problems) <= urlstate.MAX_PROBLEMS
    # Whatever came in, the state is valid: it encodes and decodes cleanly.
    again, more = decode(encode(state, FIELDS), FIELDS)
    assert more == [] and again == state
    for name, value in state.items():
        field = BY_NAME[name]
        if isinstance(field, FloatField):
            assert math.isfinite(value) and field.low <= value <= field.high
        if isinstance(field, IntField):
            assert type(value) is int and field.low <= value <= field.high
        if isinstance(field, TextField):
            assert len(value) <= field.max_len
            assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in value)


def test_module_is_pure():
    code = "import sys, optviz.urlstate; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
