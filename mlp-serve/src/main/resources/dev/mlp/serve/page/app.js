// The page of mlp serve: asks /v1/model what the model reads, then shows a canvas (a picture
// model), a form (a table model) or a box of numbers, and /v1/predict's answer as bars.
"use strict";

const $ = (id) => document.getElementById(id);
let model = null;

function showError(message) {
  $("error").textContent = message || "";
}

async function post(body, contentType) {
  const r = await fetch("/v1/predict", { method: "POST", headers: { "Content-Type": contentType }, body });
  const answer = await r.json();
  if (!r.ok) {
    throw new Error(answer.error || "HTTP " + r.status);
  }
  return answer.predictions[0];
}

function show(p) {
  showError("");
  const bars = $("bars");
  bars.replaceChildren();
  if (p.label === null) {
    $("prediction").textContent = "–";
    $("confidence").textContent = p.note || "";
    return;
  }
  if ("value" in p || "values" in p) {
    $("prediction").textContent = "value" in p ? p.value.toPrecision(4) : p.values.map((v) => v.toPrecision(4)).join(", ");
    $("confidence").textContent = model.input.label ? "(" + model.input.label + ")" : "";
    return;
  }
  const what = "probability" in p ? "probability" : "score";
  $("prediction").textContent = p.label;
  $("confidence").textContent = what === "probability" ? (100 * p.probability).toFixed(1) + " %" : "";
  const all = p.probabilities || p.scores || null;
  const rows = all ? all.map((v, c) => ({ label: model.classes[c], c, v })) : p.top.map((t) => ({ label: t.label, c: t.class, v: t[what] }));
  const max = Math.max(...rows.map((r) => Math.abs(r.v)), 1e-9);
  for (const r of rows) {
    const row = document.createElement("div");
    row.className = "bar" + (r.c === p.class ? " best" : "");
    row.dataset.label = r.label;
    const name = document.createElement("span");
    name.textContent = r.label;
    const track = document.createElement("span");
    track.className = "track";
    const fill = document.createElement("span");
    fill.className = "fill";
    fill.style.display = "block";
    fill.style.width = (100 * (what === "probability" ? r.v : Math.abs(r.v) / max)).toFixed(1) + "%";
    track.appendChild(fill);
    const value = document.createElement("span");
    value.className = "value";
    value.textContent = what === "probability" ? (100 * r.v).toFixed(1) + "%" : r.v.toFixed(3);
    row.append(name, track, value);
    bars.appendChild(row);
  }
}

// ---- a picture model: draw on the canvas, predict as you draw -------------------------------
function drawing() {
  $("draw").hidden = false;
  const canvas = $("canvas");
  const g = canvas.getContext("2d");
  const clear = () => {
    g.fillStyle = "#000";
    g.fillRect(0, 0, canvas.width, canvas.height);
  };
  clear();
  g.strokeStyle = "#fff";
  g.lineWidth = 20;
  g.lineCap = "round";
  g.lineJoin = "round";
  let down = false;
  let strokes = 0; // strokes finished: the answer shown says which drawing it is for
  let last = null;
  let busy = false;
  let again = false;

  const at = (e) => {
    const box = canvas.getBoundingClientRect();
    return [((e.clientX - box.left) * canvas.width) / box.width, ((e.clientY - box.top) * canvas.height) / box.height];
  };
  const predict = () => {
    if (busy) {
      again = true; // one request at a time; the newest drawing goes next
      return;
    }
    busy = true;
    const forStrokes = strokes;
    canvas.toBlob(async (png) => {
      try {
        const p = await post(png, "image/png");
        show(p);
        $("prediction").dataset.strokes = String(forStrokes);
      } catch (e) {
        showError(e.message);
      } finally {
        busy = false;
        if (again) {
          again = false;
          predict();
        }
      }
    }, "image/png");
  };
  let timer = null;
  canvas.addEventListener("pointerdown", (e) => {
    down = true;
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    g.beginPath();
    g.moveTo(last[0], last[1]);
    g.lineTo(last[0] + 0.01, last[1]);
    g.stroke();
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!down) return;
    const p = at(e);
    g.beginPath();
    g.moveTo(last[0], last[1]);
    g.lineTo(p[0], p[1]);
    g.stroke();
    last = p;
    if (timer === null) {
      timer = setTimeout(() => { timer = null; predict(); }, 120); // live, a few times a second
    }
  });
  const up = () => {
    if (!down) return;
    down = false;
    strokes++;
    predict();
  };
  canvas.addEventListener("pointerup", up);
  canvas.addEventListener("pointercancel", up);
  $("clear").addEventListener("click", () => {
    clear();
    strokes = 0;
    $("prediction").textContent = "–";
    $("prediction").dataset.strokes = "0";
    $("confidence").textContent = "";
    $("bars").replaceChildren();
  });
}

// ---- a table model: a form from its columns --------------------------------------------------
function form() {
  $("table").hidden = false;
  const f = $("form");
  for (const c of model.input.columns) {
    const label = document.createElement("label");
    const name = document.createElement("span");
    name.textContent = c.name;
    let field;
    if (c.type === "category") {
      field = document.createElement("select");
      for (const v of c.categories) {
        const o = document.createElement("option");
        o.value = o.textContent = v;
        field.appendChild(o);
      }
    } else {
      field = document.createElement("input");
      field.type = "number";
      field.step = "any";
      field.value = Number(c.mean.toPrecision(4));
    }
    field.name = c.name;
    label.append(name, field);
    f.appendChild(label);
  }
  const send = document.createElement("button");
  send.type = "submit";
  send.textContent = "Predict";
  f.appendChild(send);
  const go = async (e) => {
    if (e) e.preventDefault();
    const row = {};
    for (const c of model.input.columns) {
      const v = f.elements[c.name].value;
      row[c.name] = c.type === "category" ? v : v === "" ? null : Number(v);
    }
    try {
      show(await post(JSON.stringify({ rows: [row], top: 10, probabilities: true }), "application/json"));
    } catch (err) {
      showError(err.message);
    }
  };
  f.addEventListener("submit", go);
  f.addEventListener("change", () => go());
  go();
}

// ---- any other model: numbers --------------------------------------------------------------
function numbers() {
  $("vector").hidden = false;
  $("numbers").value = JSON.stringify(new Array(model.input.features).fill(0));
  $("send").addEventListener("click", async () => {
    try {
      const inputs = $("numbers").value.trim().split("\n").map((l) => JSON.parse(l));
      show(await post(JSON.stringify({ inputs, top: 10, probabilities: true }), "application/json"));
    } catch (err) {
      showError(err.message);
    }
  });
}

(async () => {
  try {
    const r = await fetch("/v1/model");
    model = await r.json();
  } catch (e) {
    showError("cannot reach the server: " + e.message);
    return;
  }
  document.title = model.name + " · mlp serve";
  $("name").textContent = model.name;
  $("about").textContent =
    model.layers.join(" → ") + " · " + model.parameters.toLocaleString("en") + " parameters · epoch " +
    model.checkpoint.epoch + " · " + model.checkpoint.sha256.slice(0, 12);
  if (model.input.kind === "image" && model.input.channels === 1) {
    drawing();
  } else if (model.input.kind === "table") {
    form();
  } else {
    numbers();
  }
})();
