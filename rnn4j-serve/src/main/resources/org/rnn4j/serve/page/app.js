// The rnn4j page: one model picker, a classifier view (probabilities, token importance, a heat map of
// states and gates) and a language-model view (sampling settings, streamed text). Plain DOM, no build step.
"use strict";

const $ = (id) => document.getElementById(id);
let models = [];
let explanation = null;

function headers() {
  const h = { "Content-Type": "application/json" };
  const t = $("token").value.trim();
  if (t) h["Authorization"] = "Bearer " + t;
  return h;
}

function status(text, isError) {
  $("status").textContent = text || "";
  $("status").className = isError ? "error" : "";
}

async function api(path, body) {
  const r = await fetch(path, body === undefined ? { headers: headers() }
    : { method: "POST", headers: headers(), body: JSON.stringify(body) });
  if (r.status === 401) {
    $("token-box").hidden = false;
    throw new Error("this server needs a bearer token: enter it at the top");
  }
  const doc = await r.json();
  if (!r.ok) throw new Error(doc.error || ("HTTP " + r.status));
  return doc;
}

async function loadModels() {
  try {
    models = (await api("/v1/models")).models;
  } catch (e) {
    status(e.message, true);
    return;
  }
  const select = $("model");
  select.replaceChildren(...models.map((m) => new Option(m.name + " (" + m.task.replace("_", " ") + ")", m.name)));
  const wanted = new URLSearchParams(location.search).get("model");
  if (wanted && models.some((m) => m.name === wanted)) select.value = wanted;
  showModel();
}

function currentModel() {
  return models.find((m) => m.name === $("model").value);
}

async function showModel() {
  const m = currentModel();
  if (!m) return;
  const classifier = m.task === "classification";
  $("classifier").hidden = !classifier;
  $("generator").hidden = classifier;
  $("result").hidden = true;
  status("");
  try {
    const d = await api("/v1/models/" + encodeURIComponent(m.name));
    const a = d.architecture || {};
    $("model-info").textContent = [a.cell, a.layers + " layer" + (a.layers > 1 ? "s" : ""),
      a.bidirectional ? "bidirectional" : "", "hidden " + a.hidden, "vocabulary " + d.vocabulary]
      .filter(Boolean).join(", ");
  } catch (e) {
    status(e.message, true);
  }
}

// ---- classifier -------------------------------------------------------------------------------

async function explain(ev) {
  if (ev) ev.preventDefault();
  const m = currentModel();
  const button = $("explain");
  button.disabled = true;
  status("explaining ...");
  try {
    explanation = await api("/v1/models/" + encodeURIComponent(m.name) + "/explain", { text: $("text").value });
    renderExplanation();
    status("");
  } catch (e) {
    status(e.message, true);
  } finally {
    button.disabled = false;
  }
}

function renderExplanation() {
  const e = explanation;
  $("result").hidden = false;
  $("predicted").textContent = e.label;
  const bars = $("bars");
  bars.replaceChildren();
  const entries = Object.entries(e.probabilities).sort((a, b) => b[1] - a[1]);
  for (const [name, p] of entries) {
    const label = document.createElement("span");
    label.className = "bar-label" + (name === e.label ? " best" : "");
    label.textContent = name;
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.setAttribute("role", "meter");
    bar.setAttribute("aria-label", name);
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "1");
    bar.setAttribute("aria-valuenow", String(p));
    bar.dataset.class = name;
    bar.dataset.probability = String(p);
    const fill = document.createElement("span");
    fill.style.width = (100 * p).toFixed(2) + "%";
    bar.append(fill);
    const value = document.createElement("span");
    value.textContent = p.toFixed(4);
    bars.append(label, bar, value);
  }
  renderTokens();
  const layer = $("layer");
  layer.replaceChildren(...e.layers.map((l, i) => new Option("layer " + l.layer + ", " + l.direction, String(i))));
  const signal = $("signal");
  signal.replaceChildren(new Option("hidden state", "hidden"), ...e.gate_names.map((g) => new Option(g + " gate", g)));
  renderHeatmap();
}

function renderTokens() {
  const e = explanation;
  const key = $("importance").value;
  const values = e.tokens.map((t) => t[key]);
  const max = Math.max(1e-9, ...values.filter((v) => v !== null).map(Math.abs));
  const box = $("tokens");
  box.replaceChildren();
  e.tokens.forEach((t, i) => {
    const span = document.createElement("span");
    span.className = "token" + (t.unknown ? " unk" : "");
    span.textContent = t.text;
    const v = values[i];
    if (v !== null) {
      const a = Math.min(1, Math.abs(v) / max);
      span.style.background = v >= 0 ? `rgba(34, 160, 80, ${0.12 + 0.7 * a})` : `rgba(210, 50, 50, ${0.12 + 0.7 * a})`;
    }
    span.title = `${t.text}${t.unknown ? " (<unk>)" : ""}\n${key}: ${v === null ? "n/a" : v.toFixed(5)}`;
    span.tabIndex = 0;
    box.append(span, " ");
  });
}

function renderHeatmap() {
  const e = explanation;
  const l = e.layers[Number($("layer").value || 0)];
  const which = $("signal").value || "hidden";
  const rows = which === "hidden" ? l.hidden : l.gates[which];
  const table = $("heatmap");
  table.replaceChildren();
  const head = document.createElement("tr");
  const corner = document.createElement("th");
  corner.className = "unit";
  corner.textContent = "unit";
  head.append(corner);
  for (const t of e.tokens) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = t.text;
    head.append(th);
  }
  table.append(head);
  const units = rows.length ? rows[0].length : 0;
  let max = 1e-9;
  for (const r of rows) for (const v of r) max = Math.max(max, Math.abs(v));
  for (let u = 0; u < units; u++) {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.className = "unit";
    th.scope = "row";
    th.textContent = String(u);
    tr.append(th);
    for (let s = 0; s < rows.length; s++) {
      const v = rows[s][u];
      const td = document.createElement("td");
      const a = Math.min(1, Math.abs(v) / max);
      td.style.background = v >= 0 ? `rgba(240, 130, 20, ${a})` : `rgba(30, 100, 220, ${a})`;
      td.title = `${e.tokens[s].text}, unit ${u}: ${v.toFixed(4)}`;
      tr.append(td);
    }
    table.append(tr);
  }
}

// ---- language model ---------------------------------------------------------------------------

async function generate(ev) {
  if (ev) ev.preventDefault();
  const m = currentModel();
  const out = $("generated");
  const button = $("generate");
  const body = {
    prime: $("prime").value, length: Number($("length").value), temperature: Number($("temperature").value),
    top_k: Number($("top-k").value), top_p: Number($("top-p").value), stream: true,
  };
  if ($("seed").value !== "") body.seed = Number($("seed").value);
  out.textContent = body.prime;
  out.dataset.done = "false";
  button.disabled = true;
  status("generating ...");
  try {
    const r = await fetch("/v1/models/" + encodeURIComponent(m.name) + "/generate",
      { method: "POST", headers: headers(), body: JSON.stringify(body) });
    if (!r.ok) {
      const doc = await r.json();
      throw new Error(doc.error || ("HTTP " + r.status));
    }
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (!event.startsWith("data: ")) continue;
        const data = JSON.parse(event.slice(6));
        if (data.error) throw new Error(data.error);
        if (data.done) {
          out.dataset.done = "true";
          out.dataset.seed = String(data.seed);
          status("done (seed " + data.seed + ")");
        } else {
          out.textContent += data.text;
        }
      }
    }
  } catch (e) {
    status(e.message, true);
  } finally {
    button.disabled = false;
  }
}

for (const id of ["temperature", "top-k", "top-p"]) {
  $(id).addEventListener("input", () => { $(id + "-out").textContent = $(id).value; });
}
$("model").addEventListener("change", showModel);
$("classify-form").addEventListener("submit", explain);
$("text").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) explain(e); });
$("importance").addEventListener("change", renderTokens);
$("layer").addEventListener("change", renderHeatmap);
$("signal").addEventListener("change", renderHeatmap);
$("generate-form").addEventListener("submit", generate);
$("token").addEventListener("change", loadModels);
loadModels();
