// optviz's in-place Plotly chart (a Streamlit components-v2 component, no iframe).
//
// st.plotly_chart in Streamlit 1.67 mounts a fresh chart (Plotly.newPlot) whenever its figure
// changes. This component mounts plotly.js once per chart and applies every new figure with
// Plotly.react, so zoom (uirevision), the player's current frame and the legend state survive
// a slider move, and only what changed is redrawn.
//
// Live drag: a figure may carry a "family" of one run's paths over the positions of one of the
// page's sliders (optviz.ui.live_chart.family). While that slider is dragged the chart watches
// its thumb and swaps the run's path and head for the family member under it at once, with no
// round trip to the server; the server hears the value when the slider is released.
//
// plotly.js itself is the plotly package's own bundle, served by Streamlit's static file
// serving from static/plotly.min.js (optviz.ui.live_chart.ensure_plotly_js copies it there).

const PLOTLY_URL = "app/static/plotly.min.js";
const charts = new WeakMap(); // parentElement -> the chart's state
// The look st.plotly_chart gives a figure with Streamlit's light theme (its plotly template,
// read from a chart it drew), so a chart looks the same either way.
const STREAMLIT_TEMPLATE = {
  "layout": {
    "colorway": [
      "#0068c9",
      "#83c9ff",
      "#ff2b2b",
      "#ffabab",
      "#29b09d",
      "#7defa1",
      "#ff8700",
      "#ffd16a",
      "#6d3fc0",
      "#d5dae5"
    ],
    "font": {
      "color": "#808495",
      "family": "\"Source Sans\", sans-serif",
      "size": 12,
      "weight": 400
    },
    "title": {
      "font": {
        "family": "\"Source Sans\", sans-serif",
        "size": 16,
        "color": "#2F2D2B"
      },
      "pad": {
        "l": 4
      },
      "xanchor": "left",
      "x": 0
    },
    "legend": {
      "title": {
        "font": {
          "size": 12,
          "color": "#808495"
        },
        "side": "top"
      },
      "valign": "top",
      "bordercolor": "transparent",
      "borderwidth": 0,
      "font": {
        "size": 12,
        "color": "#262730"
      }
    },
    "paper_bgcolor": "#FFFFFF",
    "plot_bgcolor": "#FFFFFF",
    "yaxis": {
      "ticklabelposition": "outside",
      "zerolinecolor": "#e6eaf1",
      "title": {
        "font": {
          "color": "#808495",
          "size": 14
        },
        "standoff": 24
      },
      "tickcolor": "#e6eaf1",
      "tickfont": {
        "color": "#808495",
        "size": 12
      },
      "gridcolor": "#e6eaf1",
      "minor": {
        "gridcolor": "#e6eaf1"
      },
      "automargin": true
    },
    "xaxis": {
      "zerolinecolor": "#e6eaf1",
      "gridcolor": "#e6eaf1",
      "showgrid": false,
      "tickfont": {
        "color": "#808495",
        "size": 12
      },
      "tickcolor": "#e6eaf1",
      "title": {
        "font": {
          "color": "#808495",
          "size": 14
        },
        "standoff": 20
      },
      "minor": {
        "gridcolor": "#e6eaf1"
      },
      "zeroline": false,
      "automargin": true
    },
    "margin": {
      "pad": 8,
      "r": 0,
      "l": 0
    },
    "hoverlabel": {
      "bgcolor": "#FFFFFF",
      "bordercolor": "#DCD8D4",
      "font": {
        "color": "#808495",
        "family": "\"Source Sans\", sans-serif",
        "size": 12
      }
    },
    "coloraxis": {
      "colorbar": {
        "thickness": 16,
        "xpad": 24,
        "ticklabelposition": "outside",
        "outlinecolor": "transparent",
        "outlinewidth": 8,
        "len": 0.75,
        "y": 0.5745,
        "title": {
          "font": {
            "color": "#808495",
            "size": 14
          }
        },
        "tickfont": {
          "color": "#808495",
          "size": 12
        }
      }
    }
  }
};

function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__optvizPlotly) {
    window.__optvizPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL(PLOTLY_URL, document.baseURI).href;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error(`could not load ${script.src}`));
      document.head.appendChild(script);
    });
  }
  return window.__optvizPlotly;
}

function decodeFloats(b64) {
  // a base64 float32 array (little-endian, as numpy writes it)
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

function familyPaths(family) {
  // family.paths: base64 float32 of shape (positions, points, 2); NaN past a divergence
  if (!family.decoded) {
    const flat = decodeFloats(family.paths);
    const per = family.points * 2;
    family.decoded = [];
    for (let k = 0; k < family.positions; k++) {
      const xs = new Array(family.points);
      const ys = new Array(family.points);
      for (let i = 0; i < family.points; i++) {
        const x = flat[k * per + 2 * i];
        const y = flat[k * per + 2 * i + 1];
        xs[i] = Number.isFinite(x) ? x : null;
        ys[i] = Number.isFinite(y) ? y : null;
      }
      family.decoded.push([xs, ys]);
    }
  }
  return family.decoded;
}

function pointAt(xs, ys, step) {
  // the path's point at a step, or its last finite point before it (a diverged run stops)
  for (let i = Math.min(step, xs.length - 1); i >= 0; i--) {
    if (xs[i] !== null && ys[i] !== null) return [xs[i], ys[i]];
  }
  return [null, null];
}

function playerFrame(state) {
  // the frame the player stands on: plotly's own, or the one a live redraw made it forget
  const named = state.gd._fullLayout ? state.gd._fullLayout._currentFrame : undefined;
  if (named !== undefined && named !== null) state.frame = named;
  return state.frame;
}

function showFamilyMember(state, position) {
  // draws the family member of a slider position: the run's path, and its head where the
  // player stands (the start before anything has played)
  const family = state.family;
  if (!family || !state.drawn) return;
  const k = Math.max(0, Math.min(family.positions - 1, position));
  const [xs, ys] = familyPaths(family)[k];
  const gd = state.gd;
  playerFrame(state);  // before this unnamed redraw makes plotly forget it
  const frame = Number(state.frame);
  const step = state.frame !== null && Number.isInteger(frame) ? frame : 0;
  // the path's point of that step (a thinned path keeps every `every`-th step and the last)
  const index = step >= family.steps ? xs.length - 1 : Math.round(step / (family.every || 1));
  const [hx, hy] = pointAt(xs, ys, Math.min(index, xs.length - 1));
  const heads = gd.data[family.heads_trace];
  const headX = Array.from(heads.x);
  const headY = Array.from(heads.y);
  headX[family.head_index] = hx;
  headY[family.head_index] = hy;
  // the player's own fast path: only these two traces are redrawn, not the whole figure
  // (Plotly.restyle of x/y recomputes and redraws every trace: the iso-lines, the click grid)
  window.Plotly.animate(
    gd,
    {
      data: [{ x: xs, y: ys }, { x: headX, y: headY }],
      traces: [family.path_trace, family.heads_trace],
    },
    { mode: "immediate", transition: { duration: 0 }, frame: { duration: 0, redraw: false } },
  );
  state.liveDraws += 1;
  gd.dataset.liveDraws = String(state.liveDraws);
  gd.dataset.livePosition = String(k);
}

function sameFamily(a, b) {
  // the same paths for the same slider and traces (a string compare of the paths: cheap)
  if (!a || !b) return !a && !b;
  const keys = [
    "slider", "positions", "points", "path_trace", "heads_trace", "head_index", "current",
  ];
  return a.paths === b.paths && keys.every((k) => a[k] === b[k]);
}

async function draw(state) {
  const Plotly = await loadPlotly();
  if (state.busy) return; // the latest figure is drawn when the running draw ends
  state.busy = true;
  try {
    while (state.pending !== null) {
      const { spec, config, family } = state.pending;
      state.pending = null;
      if (!sameFamily(family, state.family)) {
        // another run or slider drives live drag now (e.g. another optimizer's tab opened)
        state.family = family || null;
        state.box = undefined; // look the slider up again: a rerun may have drawn a new one
        state.retries = 0;
        state.gd.dataset.family = family ? family.slider : "";
      }
      if (spec === state.spec) continue; // the same figure: nothing to redraw
      const figure = JSON.parse(spec);
      const frames = figure.frames || [];
      figure.layout.template = STREAMLIT_TEMPLATE;
      const gd = state.gd;
      const current = playerFrame(state);
      const drawing = Plotly.react(gd, {
        data: figure.data,
        layout: figure.layout,
        frames,
        config: { responsive: true, ...config },
      });
      const first = !state.drawn;
      if (first) {
        // listen at once: the chart (and its frames) can show before react's promise settles,
        // and a click in between would be lost
        state.drawn = true;
        gd.on("plotly_click", (event) => {
          const point = event && event.points && event.points[0];
          if (point && Number.isFinite(point.x) && Number.isFinite(point.y)) {
            state.setTriggerValue("click", { x: point.x, y: point.y });
          }
        });
      }
      await drawing;
      state.spec = spec;
      state.reacts += 1;
      gd.dataset.reacts = String(state.reacts);
      if (!first && current !== null && frames.some((f) => f.name === current)) {
        // the player stays on the frame it showed before this figure came
        Plotly.animate(gd, [current], {
          mode: "immediate",
          frame: { duration: 0, redraw: false },
          transition: { duration: 0 },
        });
      }
    }
    watchSlider(state);
    followThumb(state);
  } finally {
    state.busy = false;
  }
}

function thumbPosition(state) {
  // the position the watched slider's thumb stands on (NaN without one)
  const input = state.box ? state.box.querySelector("input[type=range]") : null;
  return input ? Number(input.value) : NaN;
}

function followThumb(state) {
  // a figure the server made for an earlier position of a slider that has moved on since
  // (keys pressed faster than the server answers): draw the path under the thumb again
  const k = thumbPosition(state);
  if (state.family && Number.isInteger(k) && k !== state.family.current) {
    state.shown = k;
    showFamilyMember(state, k);
  }
}

function watchSlider(state) {
  // the page's slider whose family the chart holds: redraw on every position it shows while
  // it is dragged (its thumb and hidden range input move live; Streamlit sends the value to
  // the server only on release)
  const family = state.family;
  const box = (family && document.getElementsByClassName(family.slider_class)[0]) || null;
  if (box && box === state.box) return;
  if (state.observer) state.observer.disconnect();
  state.box = box;
  state.observer = null;
  state.gd.dataset.liveSlider = box ? family.slider : "";
  if (!box) {
    // the slider may be drawn after the chart (a fragment's other column): look again soon
    if (family && (state.retries = (state.retries || 0) + 1) <= 40) {
      setTimeout(() => watchSlider(state), 250);
    }
    return;
  }
  state.retries = 0;
  state.shown = thumbPosition(state);
  state.observer = new MutationObserver(() => {
    const k = thumbPosition(state);
    if (!Number.isInteger(k) || k === state.shown) return;
    state.shown = k;
    const seen = performance.now();
    if (state.frameRequest) cancelAnimationFrame(state.frameRequest);
    // at most one redraw per animation frame, of the latest position
    state.frameRequest = requestAnimationFrame(() => {
      state.frameRequest = 0;
      showFamilyMember(state, k);
      // when the thumb moved and when its path was drawn (the bench reads these)
      state.gd.liveTimes = [...(state.gd.liveTimes || []).slice(-199), [seen, performance.now()]];
    });
  });
  state.observer.observe(box, {
    attributes: true, characterData: true, childList: true, subtree: true,
  });
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let state = charts.get(parentElement);
  if (!state) {
    const gd = document.createElement("div");
    gd.className = "optviz-live-chart";
    parentElement.appendChild(gd);
    state = {
      gd, spec: null, pending: null, drawn: false, busy: false, family: null, reacts: 0,
      frame: null, liveDraws: 0, frameRequest: 0, box: null, observer: null, shown: null,
      setTriggerValue,
    };
    charts.set(parentElement, state);
    // a slider touched before the chart found it: find it now, before its thumb moves
    state.touched = () => watchSlider(state);
    for (const kind of ["pointerdown", "keydown", "focusin"]) {
      document.addEventListener(kind, state.touched, true);
    }
  }
  state.setTriggerValue = setTriggerValue;
  state.pending = data;
  draw(state).catch((error) => {
    state.gd.textContent = `optviz: ${error.message}`;
  });
  // Streamlit calls the cleanup of the last call when the chart leaves the page, and also,
  // at once, that of a call it had already superseded: only a chart no longer on the page is
  // torn down.
  return () => {
    setTimeout(() => {
      if (parentElement.isConnected || charts.get(parentElement) !== state) return;
      if (state.frameRequest) cancelAnimationFrame(state.frameRequest);
      if (state.observer) state.observer.disconnect();
      for (const kind of ["pointerdown", "keydown", "focusin"]) {
        document.removeEventListener(kind, state.touched, true);
      }
      if (window.Plotly && state.drawn) window.Plotly.purge(state.gd);
      state.drawn = false;
      charts.delete(parentElement);
    }, 0);
  };
}
