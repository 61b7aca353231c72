// The Troupe dashboard: plain DOM, no dependencies. The node serving this page pushes one frame a
// second over Server-Sent Events (/dashboard/events): every member's snapshot (see node-snapshot.ts).
// This script merges them: the ring from the serving node's view, slots in motion from every node,
// rates summed, hot keys and dead letters gathered. Everything from the cluster is set as text, never HTML.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const PALETTE = ["#3a6fd8", "#e0803a", "#3cae6e", "#c9487a", "#8a63d2", "#2fb2c0", "#c7a92c", "#6d7a8c", "#d85a3a", "#5a9e2f"];
const colours = new Map();
// A slot whose owner changed is shown moving for this long: a handoff often ends between two frames.
const MOVED_MS = 3000;
// Per partition: the owners of the last frame and when each slot last changed owner.
const seen = new Map();

function markMoves(id, owners, moving) {
  const now = Date.now();
  let s = seen.get(id);
  if (!s) seen.set(id, (s = { owners: [...owners], movedAt: new Array(owners.length).fill(0) }));
  owners.forEach((o, i) => {
    if (s.owners[i] && s.owners[i] !== o) s.movedAt[i] = now;
    s.owners[i] = o;
    if (now - s.movedAt[i] < MOVED_MS) moving.add(i);
  });
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

function colourOf(id) {
  if (!id) return "#dde";
  if (!colours.has(id)) colours.set(id, PALETTE[colours.size % PALETTE.length]);
  return colours.get(id);
}

const last = (xs) => (xs.length ? xs[xs.length - 1] : 0);
const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : String(Math.round(n * 10) / 10));

// Sums series that end at the same second (each node's history ends now).
function sumSeries(list) {
  const len = Math.max(0, ...list.map((s) => s.length));
  const out = new Array(len).fill(0);
  for (const s of list) s.forEach((v, i) => (out[len - s.length + i] += v));
  return out;
}

function sparkline(series) {
  const w = 180;
  const h = 28;
  const s = svg("svg", { class: "spark", width: w, height: h, viewBox: `0 0 ${w} ${h}` });
  if (series.length < 2) return s;
  const max = Math.max(1, ...series);
  const pts = series.map((v, i) => `${((i / (series.length - 1)) * w).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`);
  s.append(svg("polyline", { points: pts.join(" ") }));
  return s;
}

function ring(partition, moving) {
  const size = 260;
  const c = size / 2;
  const r1 = 72;
  const r2 = 124;
  const box = el("div", { class: "ring" });
  const s = svg("svg", { width: size, height: size, viewBox: `0 0 ${size} ${size}`, "data-partition": partition.name });
  const n = partition.slots;
  for (let i = 0; i < n; i++) {
    const a0 = (i / n) * 2 * Math.PI - Math.PI / 2;
    const a1 = ((i + 1) / n) * 2 * Math.PI - Math.PI / 2;
    const p = (r, a) => `${(c + r * Math.cos(a)).toFixed(2)},${(c + r * Math.sin(a)).toFixed(2)}`;
    const owner = partition.owners[i] || "";
    const path = svg("path", { d: `M${p(r1, a0)} L${p(r2, a0)} A${r2},${r2} 0 0 1 ${p(r2, a1)} L${p(r1, a1)} A${r1},${r1} 0 0 0 ${p(r1, a0)} Z`, class: moving.has(i) ? "slot moving" : "slot", fill: colourOf(owner), "data-slot": i, "data-owner": owner });
    const title = svg("title");
    title.textContent = `slot ${i}: ${owner || "no owner"}${moving.has(i) ? " (moving)" : ""}`;
    path.append(title);
    s.append(path);
  }
  const label = svg("text", { x: c, y: c + 5, "text-anchor": "middle", "font-size": 13 });
  label.textContent = `${moving.size} moving`;
  s.append(label);
  const counts = new Map();
  for (const o of partition.owners) counts.set(o || "no owner", (counts.get(o || "no owner") || 0) + 1);
  const legend = el("div", { class: "legend" }, ...[...counts].sort().map(([o, c]) => el("div", {}, el("span", { class: "swatch", style: `background:${colourOf(o)}` }), `${o}: ${c} slots`)));
  box.append(s, el("div", {}, partition.title), legend);
  return box;
}

function render(frame) {
  const nodes = frame.nodes;
  const served = nodes[0];
  const byId = new Map(nodes.map((n) => [n.node, n]));
  const ids = served.members.map((m) => m.id).sort();
  ids.forEach(colourOf);
  const rate = (n, key) => n.apps.reduce((a, app) => a + (key === "applied" ? app.history.stages.reduce((b, s) => b + last(s), 0) : last(app.history[key])), 0);
  const total = (key) => nodes.reduce((a, n) => a + rate(n, key), 0);
  const summary = document.getElementById("summary");
  // Machine-readable totals beside the text (scripts and the browser test read these).
  summary.dataset.rateIn = String(total("in"));
  summary.dataset.rateApplied = String(total("applied"));
  summary.textContent = `epoch ${served.epoch} · ${served.members.length} members · in ${fmt(total("in"))}/s · applied ${fmt(total("applied"))}/s · out ${fmt(total("out"))}/s · served by ${frame.servedBy}${frame.unreachable.length ? ` · not answering: ${frame.unreachable.join(", ")}` : ""}`;

  const tbody = document.querySelector("#members tbody");
  tbody.replaceChildren(
    ...[...served.members].sort((a, b) => a.id.localeCompare(b.id)).map((m) => {
      const n = byId.get(m.id);
      const cells = n
        ? [n.epoch, n.slotsOwned, n.slotsInHandoff, n.activeActors, fmt(rate(n, "in")), fmt(rate(n, "out")), fmt(rate(n, "applied")), `${fmt(n.latency.p50Ms)} / ${fmt(n.latency.p99Ms)}`, fmt(n.eventLoop.p99Ms)]
        : ["?", "?", "?", "?", "?", "?", "?", "?", "?"];
      const name = el("td", {}, el("span", { class: "swatch", style: `background:${colourOf(m.id)}` }), m.id);
      return el("tr", { "data-node-id": m.id }, name, el("td", {}, n ? `${m.status} (${n.state})` : `${m.status} (not answering)`), ...cells.map((x) => el("td", {}, x)));
    }),
  );

  const rings = [];
  const hot = [];
  for (const app of served.apps) {
    app.partitions.forEach((p, pi) => {
      const moving = new Set();
      for (const n of nodes) {
        const q = n.apps.find((a) => a.name === app.name)?.partitions[pi];
        if (q) for (const s of [...q.gaining, ...q.losing]) moving.add(s);
      }
      markMoves(`${app.name}/${p.name}`, p.owners, moving);
      rings.push(ring({ ...p, title: `${app.name} / ${p.name}` }, moving));
      const keys = nodes.flatMap((n) => (n.apps.find((a) => a.name === app.name)?.partitions[pi]?.hot || []).map((k) => ({ ...k, node: n.node })));
      keys.sort((a, b) => b.perSecond - a.perSecond);
      hot.push(el("h3", {}, `${app.name} / ${p.name}`));
      hot.push(
        keys.length
          ? el("table", { class: "hot" }, el("tr", {}, el("th", {}, "key"), el("th", {}, "events/s"), el("th", {}, "± (over-count bound)"), el("th", {}, "owner")), ...keys.slice(0, 10).map((k) => el("tr", {}, el("td", {}, k.key), el("td", {}, fmt(k.perSecond)), el("td", {}, fmt(k.errorPerSecond)), el("td", {}, k.node))))
          : el("p", { class: "muted" }, "no events in the last window"),
      );
    });
  }
  document.getElementById("rings").replaceChildren(...rings);
  document.getElementById("hot").replaceChildren(...hot);

  const apps = [];
  for (const app of served.apps) {
    const hs = nodes.map((n) => n.apps.find((a) => a.name === app.name)?.history).filter(Boolean);
    const row = (label, series) => el("tr", {}, el("td", {}, label), el("td", { class: "rate" }, `${fmt(last(series))}/s`), el("td", {}, sparkline(series)));
    const rows = [row("events in", sumSeries(hs.map((h) => h.in))), row("events out", sumSeries(hs.map((h) => h.out)))];
    app.stages.forEach((stage, i) => rows.push(row(`applied: ${stage}`, sumSeries(hs.map((h) => h.stages[i] || [])))));
    apps.push(el("h3", {}, app.name), el("table", {}, ...rows));
  }
  apps.push(el("p", { class: "muted" }, `latency (source read to sink write) p50/p99 and event-loop delay per node are in the cluster table; sparklines: the last ${Math.max(0, ...nodes.flatMap((n) => n.apps.map((a) => a.history.in.length)))} s`));
  document.getElementById("apps").replaceChildren(...apps);

  const reasons = {};
  let dead = 0;
  const recent = [];
  for (const n of nodes) {
    dead += n.deadLetters.total;
    for (const [r, c] of Object.entries(n.deadLetters.byReason)) reasons[r] = (reasons[r] || 0) + c;
    for (const d of n.deadLetters.recent) recent.push({ ...d, node: n.node });
  }
  recent.sort((a, b) => b.atMs - a.atMs);
  document.getElementById("dlq").replaceChildren(
    el("p", {}, `${dead} dead letter(s) on the members answering`),
    el("table", {}, ...Object.entries(reasons).map(([r, c]) => el("tr", {}, el("td", {}, r), el("td", {}, c)))),
    recent.length
      ? el("table", {}, el("tr", {}, el("th", {}, "time"), el("th", {}, "reason"), el("th", {}, "where"), el("th", {}, "node"), el("th", {}, "error")), ...recent.slice(0, 8).map((d) => el("tr", {}, el("td", {}, new Date(d.atMs).toISOString().slice(11, 19)), el("td", {}, d.reason), el("td", {}, `${d.app}: ${d.where}`), el("td", {}, d.node), el("td", {}, d.message))))
      : el("p", { class: "muted" }, "none recently"),
    el("p", {}, "List and replay them: ", el("code", {}, "troupe dlq list --nats URL"), " then ", el("code", {}, "troupe dlq replay --nats URL --all")),
  );
  fillStateForm(served);
}

let formApps = "";
function fillStateForm(served) {
  const sig = JSON.stringify(served.apps.map((a) => [a.name, a.partitions.map((p) => p.name)]));
  if (sig === formApps) return;
  formApps = sig;
  const appSel = document.getElementById("state-app");
  const partSel = document.getElementById("state-partition");
  const parts = () => partSel.replaceChildren(...(served.apps.find((a) => a.name === appSel.value)?.partitions || []).map((p) => el("option", {}, p.name)));
  appSel.replaceChildren(...served.apps.map((a) => el("option", {}, a.name)));
  appSel.onchange = parts;
  parts();
}

document.getElementById("state-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const out = document.getElementById("state-result");
  const seg = (id) => encodeURIComponent(document.getElementById(id).value);
  out.className = "";
  out.textContent = "asking the key's owner…";
  try {
    const res = await fetch(`/state/${seg("state-app")}/${seg("state-partition")}/${seg("state-key")}`);
    const body = await res.json();
    out.className = res.ok ? "" : "error";
    out.textContent = res.ok ? `slot ${body.slot} · owner ${body.owner} · epoch ${body.epoch} · ${body.actor}\n${JSON.stringify(body.state, null, 2)}` : `${res.status}: ${body.error}`;
  } catch (err) {
    out.className = "error";
    out.textContent = String(err);
  }
});

const live = document.getElementById("live");
const events = new EventSource("/dashboard/events");
events.onopen = () => (live.className = "up");
events.onerror = () => (live.className = "down");
events.onmessage = (m) => {
  live.className = "up";
  render(JSON.parse(m.data));
};
