// saksi review: the document list and the document view, over the JSON API
// (docs/review.md). Plain JavaScript, no framework, nothing from the network.
"use strict";

const app = document.getElementById("app");
const statusLine = document.getElementById("status");
const SVG = "http://www.w3.org/2000/svg";
const TYPES = ["person", "organization", "location", "passport_number", "national_id", "phone",
  "email", "bank_account", "money", "date", "url"];
let lowBelow = 0.7;
const listState = { text: "", status: "", kind: "", lowOnly: false, failedOnly: false };
const overlays = { words: false, ents: true, reds: true };

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function svgRect(box, cls, title) {
  const r = document.createElementNS(SVG, "rect");
  r.setAttribute("x", box[0]);
  r.setAttribute("y", box[1]);
  r.setAttribute("width", Math.max(1, box[2] - box[0]));
  r.setAttribute("height", Math.max(1, box[3] - box[1]));
  r.setAttribute("class", cls);
  if (title) {
    const t = document.createElementNS(SVG, "title");
    t.textContent = title;
    r.append(t);
  }
  return r;
}

function say(text, bad) {
  statusLine.textContent = text;
  statusLine.className = bad ? "bad" : "";
}

async function api(path, options) {
  const res = await fetch(path, options);
  const body = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

function statusCell(status) {
  return h("td", { class: "st-" + status }, status);
}

// --- the document list -----------------------------------------------------

async function showList() {
  document.title = "Saksi review";
  const data = await api("/api/documents");
  lowBelow = data.low_confidence_below;
  document.getElementById("where").textContent = data.output + " — reviewer " + data.reviewer;
  const kinds = [...new Set(data.documents.map((d) => d.kind).filter(Boolean))].sort();
  const body = h("tbody");
  const count = h("span");
  const render = () => {
    body.replaceChildren();
    const text = listState.text.toLowerCase();
    const shown = data.documents.filter((d) =>
      (!text || (d.name || "").toLowerCase().includes(text) || d.id.startsWith(text)) &&
      (!listState.status || d.status === listState.status) &&
      (!listState.kind || d.kind === listState.kind) &&
      (!listState.lowOnly || d.low_confidence > 0) &&
      (!listState.failedOnly || (d.errors || []).length > 0));
    for (const d of shown) {
      const open = () => { location.hash = "#/doc/" + d.id; };
      const types = Object.entries(d.entity_types || {}).map(([t, n]) => t + " " + n).join(", ");
      body.append(h("tr", { class: "row", tabindex: "0", "data-id": d.id, onclick: open,
          onkeydown: (e) => { if (e.key === "Enter") open(); } },
        h("td", {}, h("a", { href: "#/doc/" + d.id }, d.name || d.id)),
        statusCell(d.status),
        h("td", {}, d.kind || ""),
        h("td", { class: "num" }, d.pages ?? ""),
        h("td", { class: "num", title: types }, d.entities ?? ""),
        h("td", { class: "num" + (d.low_confidence ? " low" : "") }, d.low_confidence ?? ""),
        h("td", { class: "num" }, d.revisions ?? 0),
        h("td", {}, d.redacted && d.redacted.pdf ? "JSON + PDF" : d.redacted && d.redacted.json ? "JSON" : "none"),
        h("td", {}, (d.errors || []).map((e) =>
          h("div", {}, h("span", { class: "code" }, e.code), ": ", e.message)))));
    }
    count.textContent = shown.length + " of " + data.documents.length + " documents";
  };
  const select = (key, values, label) => h("label", {}, label + " ",
    h("select", { onchange: (e) => { listState[key] = e.target.value; render(); } },
      h("option", { value: "" }, "all"),
      values.map((v) => h("option", { value: v, selected: listState[key] === v }, v))));
  const check = (key, label) => h("label", {},
    h("input", { type: "checkbox", checked: listState[key],
      onchange: (e) => { listState[key] = e.target.checked; render(); } }), " " + label);
  const filter = h("input", { type: "search", id: "filter", placeholder: "name or id",
    value: listState.text, oninput: (e) => { listState.text = e.target.value; render(); } });
  app.replaceChildren(
    h("div", { class: "filters" }, h("label", {}, "Filter ", filter),
      select("status", ["ok", "partial", "failed"], "Status"), select("kind", kinds, "Kind"),
      check("lowOnly", "with low-confidence entities"), check("failedOnly", "with failures"), count),
    h("table", { class: "documents" },
      h("thead", {}, h("tr", {}, ["Name", "Status", "Kind", "Pages", "Entities",
        "Below " + lowBelow, "Revisions", "Redacted copy", "Failures"].map((t) => h("th", {}, t)))),
      body));
  render();
}

// --- the document view -----------------------------------------------------

function fieldList(obj) {
  const dl = h("dl", { class: "fields" });
  for (const [k, v] of Object.entries(obj)) {
    if (k === "messages" || k === "lines" && Array.isArray(v)) continue;
    let shown;
    if (v === null || v === undefined) shown = h("span", { class: "none" }, "none");
    else if (typeof v === "object") shown = Array.isArray(v) && v.every((x) => typeof x !== "object")
      ? v.join(", ") : fieldList(v);
    else shown = String(v);
    dl.append(h("dt", {}, k.replace(/_/g, " ")), h("dd", {}, shown));
  }
  return dl;
}

function fieldsPanel(record) {
  const parts = [];
  if (record.passport && record.passport.mrz) {
    const mrz = record.passport.mrz;
    parts.push(h("h3", {}, "MRZ"),
      (mrz.lines || []).length ? h("pre", { class: "code" }, mrz.lines.join("\n")) : null,
      fieldList(mrz));
  }
  if (record.contract) parts.push(h("h3", {}, "Contract"), fieldList(record.contract));
  if (record.chat) {
    parts.push(h("h3", {}, "Chat"), fieldList(record.chat));
    const msgs = record.chat.messages || [];
    if (msgs.length) parts.push(h("table", { class: "messages" },
      h("thead", {}, h("tr", {}, ["Sender", "Time", "Text"].map((t) => h("th", {}, t)))),
      h("tbody", {}, msgs.map((m) => h("tr", {}, h("td", {}, m.sender ?? ""),
        h("td", {}, m.time ?? ""), h("td", {}, m.text ?? ""))))));
  }
  return parts.length ? h("section", { class: "panel fields" }, parts) : null;
}

function applyOverlays() {
  const root = document.querySelector(".doc");
  if (!root) return;
  root.classList.toggle("hide-words", !overlays.words);
  root.classList.toggle("hide-ents", !overlays.ents);
  root.classList.toggle("hide-reds", !overlays.reds);
  for (const [k, v] of Object.entries(overlays)) {
    const box = document.getElementById("ov-" + k);
    if (box) box.checked = v;
  }
}

function focusEntity(index) {
  document.querySelectorAll("rect.focus, tr.sel").forEach((el) => el.classList.remove("focus", "sel"));
  const rect = document.querySelector('rect[data-entity="' + index + '"]');
  const row = document.querySelector('tr[data-entity="' + index + '"]');
  if (row) row.classList.add("sel");
  if (rect) {
    rect.classList.add("focus");
    rect.closest(".page").scrollIntoView({ block: "center" });
  }
}

async function correct(id, body) {
  say("Saving the correction and making the redacted copies again…");
  try {
    const res = await api("/api/documents/" + id + "/corrections", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    await showDocument(id, res.revision);
    say("Revision " + res.revision + " recorded; redacted copies made again (" + res.ms + " ms).");
  } catch (e) {
    say("Not recorded: " + e.message, true);
  }
}

async function showDocument(id, version) {
  const [record, revs] = await Promise.all([api("/api/documents/" + id),
    api("/api/documents/" + id + "/revisions")]);
  const summary = await api("/api/documents").then((d) => d.documents.find((x) => x.id === id));
  document.title = (record.source.name || id) + " — Saksi review";
  const v = "v=" + (version ?? revs.revisions.length);
  const pages = record.pages || [];
  const entities = (record.entities || []).map((e, i) => ({ ...e, index: i }));

  const original = h("div", { class: "col original" }, h("h3", {}, "Original"));
  const redacted = h("div", { class: "col redacted" }, h("h3", {}, "Redacted copy"));
  for (const page of pages) {
    const n = page.number;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + page.width + " " + page.height);
    svg.setAttribute("preserveAspectRatio", "none");
    for (const w of page.words || [])
      svg.append(svgRect(w.bbox, "word" + (w.conf >= 0 && w.conf < 60 ? " lowconf" : ""),
        w.text + " (" + Math.round(w.conf) + ")"));
    for (const e of entities) {
      if (e.page !== n || !e.bbox || e.bbox[2] <= e.bbox[0]) continue;
      if (e.review && e.review.status === "rejected") continue;
      const r = svgRect(e.bbox, "ent t-" + e.type, e.type + ": " + e.text);
      r.setAttribute("data-entity", e.index);
      svg.append(r);
    }
    for (const r of record.redactions || [])
      if (r.page === n) svg.append(svgRect(r.bbox, "red", "redacted " + r.type));
    original.append(h("div", { class: "page" },
      h("img", { src: "/api/documents/" + id + "/pages/" + n + "/image?" + v,
        alt: "page " + n + " of the original", width: page.width, height: page.height }),
      svg, h("span", { class: "label" }, "page " + n)));
    if (summary && summary.redacted.pdf)
      redacted.append(h("div", { class: "page" },
        h("img", { class: "redacted-page", src: "/api/documents/" + id + "/pages/" + n +
          "/image?copy=redacted&" + v, alt: "page " + n + " of the redacted copy",
          width: page.width, height: page.height }),
        h("span", { class: "label" }, "page " + n)));
  }
  if (!summary || !summary.redacted.pdf)
    redacted.append(h("p", { class: "none" }, "No redacted PDF for this document."));

  const sorted = [...entities].sort((a, b) => a.confidence - b.confidence || a.index - b.index);
  const rows = sorted.map((e) => {
    const status = e.review ? e.review.status : "";
    const go = () => focusEntity(e.index);
    const rejected = status === "rejected";
    return h("tr", { class: "row" + (rejected ? " rejected" : ""), tabindex: "0",
        "data-entity": e.index, onclick: go, onkeydown: (ev) => { if (ev.key === "Enter") go(); } },
      h("td", { class: "num" }, e.index),
      h("td", {}, h("span", { class: "sw t-" + e.type }), e.type),
      h("td", {}, e.text),
      h("td", {}, typeof e.normalized === "object" && e.normalized !== null
        ? JSON.stringify(e.normalized) : e.normalized ?? ""),
      h("td", { class: "num" + (e.confidence < lowBelow ? " low" : "") }, e.confidence.toFixed(2)),
      h("td", { class: "num" }, e.page),
      h("td", {}, status ? h("span", { class: "review-tag" }, status) : "",
        e.redact ? h("span", { class: "review-tag" }, "redact") : ""),
      h("td", {}, rejected ? "" : [
        h("button", { type: "button", onclick: (ev) => { ev.stopPropagation();
          correct(id, { op: "confirm", entity: e.index }); } }, "Confirm"),
        h("button", { type: "button", onclick: (ev) => { ev.stopPropagation();
          correct(id, { op: "reject", entity: e.index, note: prompt("Why reject it?") || "" }); } }, "Reject"),
        h("button", { type: "button", onclick: (ev) => { ev.stopPropagation();
          const value = prompt("Normalized value", typeof e.normalized === "string" ? e.normalized : "");
          if (value !== null) correct(id, { op: "edit", entity: e.index, normalized: value }); } }, "Edit")]));
  });

  const form = h("form", { class: "add", id: "add-form", onsubmit: (ev) => {
    ev.preventDefault();
    const f = ev.target;
    correct(id, { op: "add", type: f.type.value, text: f.text.value, page: Number(f.page.value),
      redact: f.redact.checked, note: f.note.value });
  } },
    h("label", { for: "add-type" }, "Type"),
    h("select", { id: "add-type", name: "type" }, TYPES.map((t) => h("option", { value: t }, t))),
    h("label", { for: "add-text" }, "Text"),
    h("input", { id: "add-text", name: "text", required: true, placeholder: "as it stands on the page" }),
    h("label", { for: "add-page" }, "Page"),
    h("input", { id: "add-page", name: "page", type: "number", min: 1, max: pages.length || 1, value: 1 }),
    h("label", { for: "add-redact" }, "Redact"),
    h("span", {}, h("input", { id: "add-redact", name: "redact", type: "checkbox", checked: true }),
      " hide it in the redacted copies"),
    h("label", { for: "add-note" }, "Note"),
    h("input", { id: "add-note", name: "note", placeholder: "why" }),
    h("button", { type: "submit", id: "add-submit" }, "Add entity"));

  const toggle = (key, label, keyName) => h("label", {},
    h("input", { type: "checkbox", id: "ov-" + key, checked: overlays[key],
      onchange: (e) => { overlays[key] = e.target.checked; applyOverlays(); } }),
    " " + label + " (" + keyName + ")");

  const errors = record.errors || [];
  app.replaceChildren(
    h("div", { class: "doc-head" }, h("a", { href: "#/" }, "← all documents"),
      h("h2", {}, record.source.name || id), h("span", { class: "st-" + record.status }, record.status),
      h("span", {}, (record.document.kind || "") + " (" + (record.document.kind_confidence ?? 0).toFixed(2) + ")"),
      h("span", {}, pages.length + " pages"), h("span", { class: "code" }, id.slice(0, 16) + "…"),
      h("span", {}, revs.revisions.length + " revisions")),
    errors.length ? h("ul", { class: "errors" }, errors.map((e) =>
      h("li", {}, h("span", { class: "code" }, e.code), " (" + e.stage + "): " + e.message))) : null,
    h("div", { class: "overlays" }, "Overlays:", toggle("words", "words", "w"),
      toggle("ents", "entities", "e"), toggle("reds", "redaction boxes", "r")),
    h("div", { class: "doc" }, original, redacted,
      h("div", { class: "col side" },
        h("section", { class: "panel" }, h("h3", {}, "Entities, least sure first"),
          h("table", { class: "entities" },
            h("thead", {}, h("tr", {}, ["#", "Type", "Text", "Normalized", "Conf.", "Page", "Review", ""]
              .map((t) => h("th", {}, t)))),
            h("tbody", {}, rows))),
        h("section", { class: "panel" }, h("h3", {}, "Add a missed entity"), form),
        fieldsPanel(record),
        revs.revisions.length ? h("section", { class: "panel" }, h("h3", {}, "Revisions"),
          h("ol", { class: "revisions" }, revs.revisions.map((r) => h("li", {},
            r.time + " " + r.reviewer + ": " + r.op + " entity " + r.entity +
            (r.text ? " “" + r.text + "”" : "") + (r.note ? " — " + r.note : ""))))) : null)));
  applyOverlays();
}

// --- routing and keys --------------------------------------------------------

async function route() {
  const m = location.hash.match(/^#\/doc\/([0-9a-f]{64})$/);
  try {
    if (m) await showDocument(m[1]);
    else await showList();
  } catch (e) {
    app.replaceChildren(h("p", { class: "st-failed" }, "Cannot load: " + e.message));
  }
}

document.addEventListener("keydown", (e) => {
  if (e.target.closest && e.target.closest("input, select, textarea")) return;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const keys = { w: "words", e: "ents", r: "reds" };
  if (keys[e.key]) {
    overlays[keys[e.key]] = !overlays[keys[e.key]];
    applyOverlays();
  } else if (e.key === "g") {
    location.hash = "#/";
  } else if (e.key === "/" && document.getElementById("filter")) {
    e.preventDefault();
    document.getElementById("filter").focus();
  }
});
window.addEventListener("hashchange", route);
route();
