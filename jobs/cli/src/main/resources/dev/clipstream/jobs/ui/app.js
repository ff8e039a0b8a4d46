// The clipstream page: polls the JSON endpoints once a second; searches on demand. Every failed
// request shows its one-line error in #error.
"use strict";

const $ = (id) => document.getElementById(id);

function showError(message) {
  const e = $("error");
  e.textContent = message;
  e.hidden = false;
}

function clearError() {
  $("error").hidden = true;
  $("error").textContent = "";
}

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json();
  if (!response.ok || body.error) {
    throw new Error(body.error || "HTTP " + response.status);
  }
  return body;
}

function text(tag, value, cls) {
  const e = document.createElement(tag);
  e.textContent = value;
  if (cls) e.className = cls;
  return e;
}

// One image with its labels; a click searches for similar images.
function card(item, cosine) {
  const c = document.createElement("div");
  c.className = "card";
  c.dataset.id = item.eventId;
  let picture;
  if (item.image) {
    picture = document.createElement("img");
    picture.src = "/api/image?id=" + encodeURIComponent(item.eventId);
    picture.alt = item.eventId;
  } else {
    picture = text("div", "no image", "noimg");
  }
  picture.title = "click: similar images";
  picture.addEventListener("click", () => similar(item.eventId));
  c.appendChild(picture);
  c.appendChild(text("div", item.eventId, "id"));
  if (cosine !== undefined) c.appendChild(text("div", "cos " + cosine.toFixed(4), "cos"));
  const labels = document.createElement("ol");
  labels.className = "labels";
  for (const l of item.labels) {
    const li = text("li", l.name + " " + l.score.toFixed(3));
    li.dataset.label = l.name;
    li.dataset.score = l.score;
    labels.appendChild(li);
  }
  c.appendChild(labels);
  if (item.unknown) c.appendChild(text("div", "unknown", "unknown"));
  if (item.duplicateOf) c.appendChild(text("div", "near-duplicate of " + item.duplicateOf, "unknown"));
  return c;
}

function showHits(title, reply) {
  $("hits-title").textContent = title + " (" + reply.hits.length + " hits, model " + reply.modelVersion + ")";
  const grid = $("hits");
  grid.replaceChildren(...reply.hits.map((h) => card(h, h.cosine)));
  $("hits-section").hidden = false;
}

async function searchText(event) {
  event.preventDefault();
  const q = $("q").value;
  try {
    const reply = await api("/api/search?text=" + encodeURIComponent(q) + "&k=" + encodeURIComponent($("k").value));
    clearError();
    showHits("Images for “" + q + "”", reply);
  } catch (e) {
    showError(e.message);
  }
}

async function searchImage() {
  const file = $("file").files[0];
  if (!file) return;
  try {
    const reply = await api("/api/search-image?k=" + encodeURIComponent($("k").value), { method: "POST", body: file });
    clearError();
    showHits("Images like " + file.name, reply);
  } catch (e) {
    showError(e.message);
  }
}

async function similar(id) {
  try {
    const reply = await api("/api/similar?id=" + encodeURIComponent(id) + "&k=" + encodeURIComponent($("k").value));
    clearError();
    showHits("Images similar to " + id, reply);
  } catch (e) {
    showError(e.message);
  }
}

async function refreshGallery() {
  const reply = await api("/api/latest");
  $("counts").textContent = reply.resultCount + " results, " + reply.deadLetterCount + " dead letters read";
  $("gallery").replaceChildren(...reply.results.map((r) => card(r)));
}

async function refreshVersions() {
  const v = await api("/api/versions");
  const rows = [
    ["served model", v.servedModel || "(no result yet)"],
    ["label set", v.labelSet ? v.labelSet + "@" + v.labelSetVersion : "(no result yet)"],
    ["search model", v.searchModel],
    ["index", v.index ? v.index.documents + " documents, commit " + v.index.commit : v.indexError],
  ];
  const list = $("versions");
  list.replaceChildren();
  for (const [name, value] of rows) {
    list.appendChild(text("dt", name));
    const dd = text("dd", value);
    dd.dataset.name = name;
    list.appendChild(dd);
  }
}

async function refreshDeadLetters() {
  const reply = await api("/api/dead-letters");
  $("dead-count").textContent = "(" + reply.count + ")";
  const body = $("dead").tBodies[0];
  body.replaceChildren(
    ...reply.deadLetters.map((d) => {
      const tr = document.createElement("tr");
      tr.appendChild(text("td", d.eventId || "(unknown)"));
      tr.appendChild(text("td", d.stage));
      tr.appendChild(text("td", d.reason, "reason"));
      tr.appendChild(text("td", d.source));
      tr.appendChild(text("td", new Date(d.failedTime).toISOString()));
      return tr;
    }),
  );
}

// Results per second (left axis) and latency percentiles (right axis) over the kept seconds.
async function refreshChart() {
  const { points } = await api("/api/series");
  const canvas = $("chart");
  const g = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, pad = 40, left = 50, right = 70;
  g.clearRect(0, 0, w, h);
  g.font = "11px sans-serif";
  if (points.length === 0) {
    g.fillText("no results yet", left, h / 2);
    return;
  }
  const t0 = points[0].second, t1 = Math.max(points[points.length - 1].second, t0 + 1);
  const maxRate = Math.max(1, ...points.map((p) => Math.max(p.results, p.deadLetters)));
  const maxLatency = Math.max(1, ...points.map((p) => p.p95Ms));
  const x = (s) => left + ((s - t0) / (t1 - t0)) * (w - left - right);
  const line = (value, max, color) => {
    g.strokeStyle = color;
    g.beginPath();
    let first = true;
    for (const p of points) {
      const v = value(p);
      if (v < 0) continue;
      const y = h - pad / 2 - (v / max) * (h - pad);
      if (first) g.moveTo(x(p.second), y); else g.lineTo(x(p.second), y);
      first = false;
    }
    g.stroke();
    g.fillStyle = color;
    for (const p of points) {
      const v = value(p);
      if (v >= 0) g.fillRect(x(p.second) - 2, h - pad / 2 - (v / max) * (h - pad) - 2, 4, 4);
    }
  };
  line((p) => p.results, maxRate, "#1f6feb");
  line((p) => p.deadLetters, maxRate, "#cf222e");
  line((p) => p.p50Ms, maxLatency, "#2da44e");
  line((p) => p.p95Ms, maxLatency, "#d4a72c");
  g.fillStyle = "#444";
  g.fillText(maxRate + " /s", 2, pad / 2 + 4);
  g.fillText("0", 2, h - pad / 2);
  g.fillText(maxLatency + " ms", w - right + 6, pad / 2 + 4);
  g.fillText("0 ms", w - right + 6, h - pad / 2);
  g.fillText("last " + (t1 - t0 + 1) + " s", w / 2 - 20, h - 4);
}

async function refresh() {
  try {
    await Promise.all([refreshGallery(), refreshVersions(), refreshDeadLetters(), refreshChart()]);
  } catch (e) {
    showError(e.message);
  }
}

$("search").addEventListener("submit", searchText);
$("file").addEventListener("change", searchImage);
refresh();
setInterval(refresh, 1000);
