"use strict";
(function () {
  const data = window.REGISTRY;
  const $ = (id) => document.getElementById(id);
  // Rows drawn at once, and each "Show more" adds as many: laying out rows is most of a
  // keystroke's cost at 10,000 entries.
  const LIMIT = 100;
  const WEB_LINK = /^https?:\/\/[^\s]+$/i;
  // Each view's filters: the select's id and the row field it reads (a list: any of them).
  const FILTERS = {
    models: [["access", "access"], ["task", "task"], ["modality", "modalities"], ["licence", "licence"]],
    datasets: [["availability", "availability"], ["dataset-modality", "modalities"], ["domain", "domains"],
      ["dataset-licence", "licence"]],
  };
  // limit: the rows shown, LIMIT more each "Show more", back to LIMIT on a new search, filter,
  // sort or table.
  const state = { kind: "models", sort: null, asc: true, shown: {}, drawn: null, limit: LIMIT };
  for (const kind of ["models", "datasets"]) {
    const table = data[kind];
    state.shown[kind] = new Set(table.shown.map((name) => table.columns.indexOf(name)));
    for (const row of table.rows) {
      row._hay = (row.cells.join(" \u0001 ") + " \u0001 " + row.search).toLowerCase();
    }
  }
  function options(select, values) {
    for (const value of values) {
      const o = document.createElement("option");
      o.value = value; o.textContent = value; select.appendChild(o);
    }
  }
  function setup() {
    for (const kind of ["models", "datasets"]) {
      for (const [id, field] of FILTERS[kind]) {
        options($(id), data[kind].facets[field]);
        $(id).addEventListener("input", fresh);
      }
      $("show-" + kind).addEventListener("click", () => {
        if (state.kind !== kind) { state.kind = kind; state.sort = null; columnChooser(); fresh(); }
      });
    }
    $("q").addEventListener("input", fresh);
    $("more").addEventListener("click", showMore);
    columnChooser();
    render();
  }
  // A new search, filter, sort or table shows the first LIMIT rows again.
  function fresh() { state.limit = LIMIT; render(); }
  // The next LIMIT rows; the keyboard's focus moves to the first of them.
  function showMore() {
    const first = state.limit;
    state.limit += LIMIT;
    render();
    const link = $("tbody").rows[first]?.querySelector("a");
    if (link) link.focus();
  }
  function columnChooser() {
    const list = $("column-list"), table = data[state.kind], shown = state.shown[state.kind];
    list.textContent = "";
    table.columns.forEach((name, i) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox"; box.checked = shown.has(i); box.disabled = i === 0;
      box.addEventListener("change", () => {
        if (box.checked) shown.add(i); else shown.delete(i);
        render();
      });
      label.appendChild(box); label.appendChild(document.createTextNode(" " + name));
      list.appendChild(label);
    });
  }
  // The test a row must pass, read once per keystroke: every search word in its haystack,
  // and each chosen filter's value in its field.
  function matcher() {
    const q = $("q").value.trim().toLowerCase();
    const words = q ? q.split(/\s+/) : [];
    const wanted = FILTERS[state.kind].map(([id, field]) => [field, $(id).value]).filter(([, v]) => v);
    return (row) => {
      for (const w of words) if (!row._hay.includes(w)) return false;
      for (const [field, want] of wanted) {
        const have = row[field];
        if (Array.isArray(have) ? !have.includes(want) : have !== want) return false;
      }
      return true;
    };
  }
  // Numbers before words, each in order; rows without a value (Unknown, N/A, empty) last in
  // both directions.
  function compare(x, y, dir) {
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x !== typeof y) return (typeof x === "number" ? -1 : 1) * dir;
    return (x < y ? -1 : 1) * dir;
  }
  function render() {
    const table = data[state.kind];
    for (const kind of ["models", "datasets"]) {
      $("show-" + kind).setAttribute("aria-pressed", String(kind === state.kind));
      $(kind.slice(0, -1) + "-filters").hidden = state.kind !== kind;
    }
    let rows = table.rows.filter(matcher());
    if (state.sort !== null) {
      const i = state.sort, dir = state.asc ? 1 : -1;
      rows = rows.slice().sort((a, b) => compare(a.sortkeys[i], b.sortkeys[i], dir));
    }
    const columns = table.columns.map((name, i) => [name, i]).filter(([, i]) => state.shown[state.kind].has(i));
    const visible = rows.slice(0, state.limit);
    $("count").textContent = rows.length > visible.length
      ? `Showing the first ${visible.length} of ${rows.length} ${state.kind} found.`
      : `${rows.length} ${rows.length === 1 ? state.kind.slice(0, -1) : state.kind} found.`;
    const rest = rows.length - visible.length;
    const more = $("more"), label = `Show ${Math.min(rest, LIMIT)} more`;
    more.hidden = rest <= 0;
    if (more.textContent !== label) more.textContent = label;
    // A keystroke that leaves the drawn rows, columns and order as they are redraws nothing.
    const drawn = { kind: state.kind, sort: state.sort, asc: state.asc, columns: columns.map(([, i]) => i).join(","), rows: visible };
    const last = state.drawn;
    if (last && last.kind === drawn.kind && last.sort === drawn.sort && last.asc === drawn.asc &&
        last.columns === drawn.columns && last.rows.length === visible.length &&
        last.rows.every((row, n) => row === visible[n])) return;
    state.drawn = drawn;
    const thead = $("thead"), tbody = $("tbody");
    thead.textContent = ""; tbody.textContent = "";
    const tr = document.createElement("tr");
    for (const [name, i] of columns) {
      const th = document.createElement("th");
      th.scope = "col";
      if (state.sort === i) th.setAttribute("aria-sort", state.asc ? "ascending" : "descending");
      const b = document.createElement("button");
      b.type = "button"; b.textContent = name;
      b.addEventListener("click", () => {
        state.asc = state.sort === i ? !state.asc : true; state.sort = i; fresh();
      });
      th.appendChild(b); tr.appendChild(th);
    }
    thead.appendChild(tr);
    const frag = document.createDocumentFragment();
    for (const row of visible) {
      const r = document.createElement("tr");
      for (const [name, i] of columns) {
        const td = document.createElement("td");
        td.dataset.label = name;
        const cell = row.cells[i];
        if (i === 0) {
          const a = document.createElement("a");
          a.href = row.page; a.textContent = cell || row.id; td.appendChild(a);
        } else if (WEB_LINK.test(cell)) {  // an http(s) URL, and nothing else, is a link
          const a = document.createElement("a");
          a.href = cell; a.textContent = cell; a.rel = "nofollow noopener"; td.appendChild(a);
        } else td.textContent = cell;
        if (!cell) td.className = "empty";
        r.appendChild(td);
      }
      frag.appendChild(r);
    }
    tbody.appendChild(frag);
  }
  document.addEventListener("DOMContentLoaded", setup);
})();
