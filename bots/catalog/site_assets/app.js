"use strict";
(function () {
  const data = window.REGISTRY;
  const state = { kind: "models", sort: null, asc: true };
  const $ = (id) => document.getElementById(id);
  const LIMIT = 200;
  for (const kind of ["models", "datasets"]) {
    for (const row of data[kind].rows) row._hay = row.cells.join(" \u0001 ").toLowerCase();
  }
  function options(select, values) {
    for (const value of values) {
      const o = document.createElement("option");
      o.value = value; o.textContent = value; select.appendChild(o);
    }
  }
  function setup() {
    options($("access"), data.facets.access);
    options($("task"), data.facets.task);
    options($("modality"), data.facets.modality);
    for (const id of ["q", "access", "task", "modality"]) $(id).addEventListener("input", render);
    for (const kind of ["models", "datasets"]) {
      $("show-" + kind).addEventListener("click", () => { state.kind = kind; state.sort = null; render(); });
    }
    render();
  }
  function matches(row) {
    const q = $("q").value.trim().toLowerCase();
    if (q && !q.split(/\s+/).every((w) => row._hay.includes(w))) return false;
    if (state.kind === "models") {
      if ($("access").value && row.access !== $("access").value) return false;
      if ($("task").value && row.task !== $("task").value) return false;
      if ($("modality").value && !row.modalities.includes($("modality").value)) return false;
    }
    return true;
  }
  function render() {
    const table = data[state.kind];
    for (const kind of ["models", "datasets"]) $("show-" + kind).setAttribute("aria-pressed", String(kind === state.kind));
    $("model-filters").hidden = state.kind !== "models";
    let rows = table.rows.filter(matches);
    if (state.sort !== null) {
      const i = state.sort, dir = state.asc ? 1 : -1;
      rows = rows.slice().sort((a, b) => {
        const x = a.sortkeys[i], y = b.sortkeys[i];
        if (x === y) return 0;
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * dir;
      });
    }
    const thead = $("thead"), tbody = $("tbody");
    thead.textContent = ""; tbody.textContent = "";
    const tr = document.createElement("tr");
    table.columns.forEach((name, i) => {
      const th = document.createElement("th");
      th.scope = "col";
      if (state.sort === i) th.setAttribute("aria-sort", state.asc ? "ascending" : "descending");
      const b = document.createElement("button");
      b.type = "button"; b.textContent = name;
      b.addEventListener("click", () => {
        state.asc = state.sort === i ? !state.asc : true; state.sort = i; render();
      });
      th.appendChild(b); tr.appendChild(th);
    });
    thead.appendChild(tr);
    const frag = document.createDocumentFragment();
    for (const row of rows.slice(0, LIMIT)) {
      const r = document.createElement("tr");
      row.cells.forEach((cell, i) => {
        const td = document.createElement("td");
        if (i === 0) {
          const a = document.createElement("a");
          a.href = row.page; a.textContent = cell; td.appendChild(a);
        } else td.textContent = cell;
        r.appendChild(td);
      });
      frag.appendChild(r);
    }
    tbody.appendChild(frag);
    $("count").textContent = rows.length > LIMIT
      ? `Showing the first ${LIMIT} of ${rows.length} ${state.kind} found.`
      : `${rows.length} ${rows.length === 1 ? state.kind.slice(0, -1) : state.kind} found.`;
  }
  document.addEventListener("DOMContentLoaded", setup);
})();
