"use strict";
// The console page: reads the token once from the URL fragment (#token=...), keeps it for the tab only
// (sessionStorage), and renders what /console/api returns. No libraries, no network beyond this server.
(function () {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get("token")) {
    sessionStorage.setItem("medscribe.token", fragment.get("token"));
    history.replaceState(null, "", location.pathname + location.search);
  }
  const token = sessionStorage.getItem("medscribe.token");
  const base = location.pathname.replace(/\/$/, "");
  let selected = null;

  async function api(path, options) {
    const response = await fetch(base + "/api" + path, Object.assign({
      headers: token ? { Authorization: "Bearer " + token } : {},
    }, options || {}));
    const body = await response.json();
    if (!response.ok) throw new Error(body.message || response.statusText);
    return body;
  }

  function cell(row, text, cls) {
    const td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function age(seconds) {
    if (seconds < 60) return Math.round(seconds) + " s";
    if (seconds < 3600) return Math.round(seconds / 60) + " min";
    return (seconds / 3600).toFixed(1) + " h";
  }

  async function refreshList() {
    try {
      const data = await api("/recordings");
      document.getElementById("who").textContent = data.role + " · " + data.tenant;
      document.getElementById("search").hidden = data.role === "operator";
      showBackfills(data.role === "clinic-admin");
      const body = document.querySelector("#recordings tbody");
      body.replaceChildren();
      for (const r of data.recordings) {
        const row = document.createElement("tr");
        row.className = "row";
        row.dataset.recording = r.recording_id;
        row.dataset.status = r.status;
        cell(row, r.recording_id);
        cell(row, r.tenant);
        const status = cell(row, "");
        const badge = document.createElement("span");
        badge.className = "badge status " + r.status;
        badge.textContent = r.status;
        status.appendChild(badge);
        cell(row, age(r.age_seconds));
        cell(row, r.error, "error");
        row.addEventListener("click", () => showDetail(r.recording_id));
        body.appendChild(row);
      }
      document.getElementById("message").textContent = data.recordings.length ? "" : "No recordings yet.";
    } catch (err) {
      document.getElementById("message").textContent = err.message;
    }
  }

  async function showDetail(rid) {
    selected = rid;
    const data = await api("/recordings/" + encodeURIComponent(rid));
    document.getElementById("detail").hidden = false;
    document.getElementById("detail-id").textContent = rid;
    const status = document.getElementById("detail-status");
    status.textContent = data.recording.status;
    status.className = "badge " + data.recording.status;
    // The SVG is generated server-side from the ASL with every name escaped.
    document.getElementById("graph").innerHTML = data.graph_svg;
    const body = document.querySelector("#timeline tbody");
    body.replaceChildren();
    for (const t of data.timeline) {
      const row = document.createElement("tr");
      row.className = "outcome-" + t.outcome;
      cell(row, t.state);
      cell(row, t.type);
      cell(row, new Date(t.entered).toLocaleTimeString());
      cell(row, t.duration_seconds == null ? "" : t.duration_seconds.toFixed(2) + " s");
      cell(row, t.retries || "");
      cell(row, t.error, "error");
      body.appendChild(row);
    }
    document.getElementById("redrive").hidden = !data.may_redrive;
    const doc = document.getElementById("document");
    doc.hidden = !data.may_open_document;
    doc.removeAttribute("href");
    if (data.may_open_document) doc.onclick = () => openDocument(rid);
  }

  // Search: the API's own GET /recordings/search on this server (same origin), with the same token; the
  // API checks the tenant and audits the search. Operators never read transcripts: no search box for them.
  function snippetCell(row, snippet) {
    const td = cell(row, "");
    for (const [i, part] of snippet.split(/<<|>>/).entries()) {
      const node = i % 2 ? document.createElement("mark") : document.createTextNode(part);
      if (i % 2) node.textContent = part;
      td.appendChild(node);
    }
  }

  async function search(event) {
    event.preventDefault();
    const params = new URLSearchParams();
    const q = document.getElementById("search-q").value.trim();
    const drug = document.getElementById("search-drug").value.trim();
    if (q) params.set("q", q);
    if (drug) params.set("drug", drug);
    const message = document.getElementById("search-message");
    const response = await fetch(base.replace(/\/console$/, "") + "/recordings/search?" + params, {
      headers: { Authorization: "Bearer " + token },
    });
    const body = await response.json();
    const tbody = document.querySelector("#hits tbody");
    tbody.replaceChildren();
    if (!response.ok) {
      message.textContent = body.detail || body.title || response.statusText;
      return;
    }
    message.textContent = body.hits.length ? "" : "No recording matches.";
    for (const h of body.hits) {
      const row = document.createElement("tr");
      row.className = "row";
      cell(row, h.recording_id);
      cell(row, h.status);
      cell(row, h.date_of_service);
      cell(row, h.matches.map((m) => m.text).join(", "));
      snippetCell(row, h.snippet);
      row.addEventListener("click", () => showDetail(h.recording_id));
      tbody.appendChild(row);
    }
  }
  document.getElementById("search-form").addEventListener("submit", search);

  // Backfills (clinic admins only: the API refuses every other role): the API's own GET /backfills and
  // GET /backfills/{id} on this server, with the same token, so the API checks tenant and role and audits.
  const apiRoot = base.replace(/\/console$/, "");
  let backfillsShown = false;
  let selectedBackfill = null;
  let backfillTimer = null;

  async function restApi(path) {
    const response = await fetch(apiRoot + path, { headers: { Authorization: "Bearer " + token } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.detail || body.title || response.statusText);
    return body;
  }

  function showBackfills(admin) {
    document.getElementById("backfills").hidden = !admin;
    if (admin && !backfillsShown) {
      backfillsShown = true;
      refreshBackfills();
    }
  }

  async function refreshBackfills() {
    const message = document.getElementById("backfill-message");
    try {
      const data = await restApi("/backfills");
      const tbody = document.querySelector("#backfill-list tbody");
      tbody.replaceChildren();
      for (const b of data.backfills) {
        const row = document.createElement("tr");
        row.className = "row";
        row.dataset.backfill = b.backfill_id;
        cell(row, b.backfill_id);
        cell(row, new Date(b.created_at).toLocaleString());
        cell(row, b.items);
        row.addEventListener("click", () => showBackfill(b.backfill_id));
        tbody.appendChild(row);
      }
      message.textContent = data.backfills.length ? "" : "No backfills yet.";
    } catch (err) {
      message.textContent = err.message;
    }
  }

  function percent(view) {
    const p = view.progress;
    if (view.status === "SUCCEEDED") return 100;
    if (!p || !p.total) return 0;
    return Math.round((100 * p.done) / p.total);
  }

  async function showBackfill(id) {
    selectedBackfill = id;
    clearTimeout(backfillTimer);
    let view;
    try {
      view = await restApi("/backfills/" + encodeURIComponent(id));
    } catch (err) {
      document.getElementById("backfill-message").textContent = err.message;
      return;
    }
    if (selectedBackfill !== id) return;
    document.getElementById("backfill-detail").hidden = false;
    document.getElementById("backfill-id").textContent = id;
    const status = document.getElementById("backfill-status");
    status.textContent = view.status;
    status.className = "badge " + view.status;
    const pct = percent(view);
    document.getElementById("backfill-progress").value = pct;
    const p = view.progress;
    document.getElementById("backfill-percent").textContent =
      pct + " %" + (p ? " (" + p.done + " of " + p.total + " items)" : "") + (view.error ? " · " + view.error : "");
    const counts = document.querySelector("#backfill-counts tbody");
    counts.replaceChildren();
    if (view.counts) {
      const row = document.createElement("tr");
      for (const name of ["items", "started", "skipped", "succeeded", "failed"]) {
        cell(row, view.counts[name]).dataset.count = name;
      }
      counts.appendChild(row);
    }
    const failed = document.querySelector("#backfill-failed tbody");
    failed.replaceChildren();
    for (const f of view.failed_items || []) {
      const row = document.createElement("tr");
      row.className = "outcome-failed";
      cell(row, f.item);
      cell(row, f.recording_id || "(no recording)");
      cell(row, f.error, "error");
      failed.appendChild(row);
    }
    // Every read is audited: poll a running backfill every 2 s, and stop when it ends.
    if (view.status === "RUNNING") backfillTimer = setTimeout(() => showBackfill(id), 2000);
  }
  document.getElementById("backfill-refresh").addEventListener("click", refreshBackfills);

  async function openDocument(rid) {
    const response = await fetch(base + "/api/recordings/" + encodeURIComponent(rid) + "/document", {
      headers: { Authorization: "Bearer " + token },
    });
    if (response.ok) window.open(URL.createObjectURL(await response.blob()));
  }

  document.getElementById("redrive").addEventListener("click", async () => {
    if (!selected) return;
    try {
      await api("/recordings/" + encodeURIComponent(selected) + "/redrive", { method: "POST" });
      document.getElementById("redrive").hidden = true;
      await refreshList();
      await showDetail(selected);
    } catch (err) {
      document.getElementById("message").textContent = err.message;
    }
  });

  refreshList();
  setInterval(async () => {
    await refreshList();
    if (selected) await showDetail(selected);
  }, 1000);
})();
