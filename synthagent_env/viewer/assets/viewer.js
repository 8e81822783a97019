// synthagent run viewer. Every value from the run is agent-controlled: it reaches the DOM only as text nodes
// (el() below never parses markup), and attributes are set only for class names this script chooses.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("run-data").textContent);
  const RUNS = DATA.runs, EPISODES = DATA.episodes, TEXTS = DATA.texts;
  const PAGE_SIZE = 50;
  const state = { page: 0, rows: EPISODES, selected: null, sortKey: "delta", sortDir: 1, listKey: null, listDir: 1 };
  for (const e of EPISODES) e.tool_calls = (e.stats || {}).tool_calls;  // a sortable column

  function el(tag, cls, ...children) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const $ = (id) => document.getElementById(id);
  const fmt = (v) => (v === null || v === undefined) ? "\u2013" : (typeof v === "number" && !Number.isInteger(v)) ? v.toFixed(3) : String(v);
  const runName = (i) => RUNS.length > 1 ? (i === 0 ? "A" : "B") + ": " + RUNS[i].label : RUNS[i].label;
  function pretty(value) {  // JSON text is shown indented when it parses, as it is otherwise
    if (typeof value === "string") {
      try { const parsed = JSON.parse(value); if (parsed && typeof parsed === "object") return JSON.stringify(parsed, null, 2); }
      catch (e) { /* not JSON: shown as written */ }
      return value;
    }
    return JSON.stringify(value, null, 2);
  }

  // ---- tabs
  function show(tab) {
    for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.tab === tab);
    for (const s of document.querySelectorAll("section.tab")) s.hidden = s.id !== tab;
  }
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => show(b.dataset.tab));

  // ---- summary
  function renderSummary() {
    const box = el("div", "runs");
    RUNS.forEach((run, i) => {
      const table = el("table", "headline", el("thead", null, el("tr", null, el("th", null, "metric"), el("th", "num", "value"))));
      const body = el("tbody");
      for (const [label, value] of run.headline) body.append(el("tr", null, el("td", null, label), el("td", "num", fmt(value))));
      table.append(body);
      const part = el("div", "run-summary", el("h2", null, runName(i)), el("div", "tag", run.env_id || "", " \u00b7 ", run.path), table);
      if (run.notes.length) part.append(el("div", "notes", run.notes.join("\n")));
      if (DATA.plots[i]) { const img = el("img"); img.alt = "report plot of " + run.label; img.src = DATA.plots[i]; part.append(img); }
      else part.append(el("p", "tag", "no report.png in this run (matplotlib was not installed, or --no-plot)"));
      box.append(part);
    });
    $("summary").append(box);
  }

  function compareBy(key, dir) {  // missing values last, numbers as numbers, the rest as text
    return (a, b) => {
      const x = a[key], y = b[key];
      if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
      if (y === null || y === undefined) return -1;
      return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * dir;
    };
  }
  function markSorted(headers, key, dir) {
    for (const th of headers) {
      th.classList.toggle("sorted-asc", th.dataset.key === key && dir > 0);
      th.classList.toggle("sorted-desc", th.dataset.key === key && dir < 0);
    }
  }

  // ---- episode list: filters over the embedded records, one page of rows in the DOM at a time
  const FILTERS = [["filter-run", "run"], ["filter-task", "task"], ["filter-domain", "domain"],
                   ["filter-outcome", "outcome"], ["filter-end", "end"]];
  function fillSelect(id, key) {
    const select = $(id), values = [...new Set(EPISODES.map((e) => e[key]))].sort((a, b) => String(a).localeCompare(String(b)));
    select.append(el("option", null, "all"));
    select.options[0].value = "";
    for (const v of values) {
      const opt = el("option", null, key === "run" ? runName(v) : (v === "" ? "(none)" : v));
      opt.value = String(v);
      select.append(opt);
    }
  }
  function applyFilters() {
    const want = FILTERS.map(([id, key]) => [key, $(id).value]).filter(([, v]) => v !== "");
    const lo = $("filter-rmin").value === "" ? -Infinity : Number($("filter-rmin").value);
    const hi = $("filter-rmax").value === "" ? Infinity : Number($("filter-rmax").value);
    state.rows = EPISODES.filter((e) => want.every(([k, v]) => String(e[k]) === v) && e.reward >= lo && e.reward <= hi);
    if (state.listKey) state.rows.sort(compareBy(state.listKey, state.listDir));
    state.page = 0;
    renderRows();
  }
  function renderRows() {
    const pages = Math.max(1, Math.ceil(state.rows.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    const start = state.page * PAGE_SIZE, slice = state.rows.slice(start, start + PAGE_SIZE);
    const body = $("episode-rows");
    body.replaceChildren(...slice.map((e) => {
      const tr = el("tr", e === state.selected ? "selected" : null, el("td", null, runName(e.run)), el("td", null, e.task),
        el("td", null, e.domain), el("td", "num", fmt(e.sample)), el("td", null, el("span", "badge " + e.outcome, e.outcome)),
        el("td", "num", fmt(e.reward)), el("td", null, e.end), el("td", "num", fmt(e.turns)),
        el("td", "num", fmt(e.tool_calls)));
      tr.addEventListener("click", () => openEpisode(e, tr));
      return tr;
    }));
    $("page-info").textContent = state.rows.length ? `${start + 1}\u2013${start + slice.length} of ${state.rows.length} episodes` +
      (state.rows.length < EPISODES.length ? ` (filtered from ${EPISODES.length})` : "") + ` \u00b7 page ${state.page + 1}/${pages}`
      : `no episode matches (of ${EPISODES.length})`;
    $("page-prev").disabled = state.page === 0;
    $("page-next").disabled = state.page >= pages - 1;
  }

  // ---- one episode: built from the embedded JSON when opened
  function msg(cls, who, ...body) { return el("div", "msg " + cls, el("div", "who", ...[].concat(who)), ...body); }
  function text(value) { return el("pre", "text", value === null || value === undefined ? "" : String(value)); }
  function code(value) { return el("pre", "code", pretty(value)); }
  const TOOL_FIELDS = ["type", "turn", "id", "name", "arguments", "status", "error_kind", "error", "response", "source"];
  function extras(ev, known) {  // fields an env adds to an event (e.g. the simulator's prompt): folded, as JSON
    const rest = Object.fromEntries(Object.entries(ev).filter(([k]) => !known.includes(k)));
    return Object.keys(rest).length ? el("details", null, el("summary", null, "more: " + Object.keys(rest).join(", ")), code(rest)) : null;
  }
  function eventView(ev) {
    const turn = ev.turn !== undefined ? el("span", "tag", "turn " + ev.turn) : null;
    switch (ev.type) {
      case "assistant": {
        const calls = ev.n_tool_calls || 0;
        return msg("assistant", ["assistant", turn, calls ? el("span", "tag", calls + " tool call" + (calls > 1 ? "s" : "")) : null], text(ev.content));
      }
      case "tool_call": {
        const bad = ev.status !== "ok";
        const source = ev.source ? el("span", "badge src-" + ev.source, "answered by the " + ev.source) : el("span", "badge", "not answered");
        const parts = [el("div", null, "arguments"), code(ev.arguments === undefined ? null : ev.arguments)];
        if (bad) parts.push(el("div", "errtext", "error" + (ev.error_kind ? " (" + ev.error_kind + ")" : "") + ": " + (ev.error || "")));
        if (ev.response !== null && ev.response !== undefined) parts.push(el("div", null, "response"), code(ev.response));
        parts.push(extras(ev, TOOL_FIELDS));
        return msg("tool" + (bad ? " err" : ""), ["tool call ", el("b", null, ev.name || "(no name)"), turn,
          el("span", "badge " + (bad ? "fail" : "pass"), ev.status || "?"), source], ...parts);
      }
      case "user": {
        const facts = (ev.asked_facts || []).map((f) => el("span", "tag", "revealed " + f));
        return msg("user", ["user", turn, ...facts, ev.stop ? el("span", "badge fail", "user ended the conversation") : null], text(ev.reply));
      }
      case "answer": return msg("answer", ["final answer", turn], text(ev.content));
      case "format_error": return msg("format_error", ["format error", turn], el("div", "errtext", String(ev.error)));
      case "notice": return msg("notice", ["environment", turn], text(ev.content));
      default: return msg("notice", [String(ev.type || "event"), turn], code(ev));
    }
  }
  function verdict(item) {
    const forbidden = item.section === "forbidden";
    if (item.passed === null || item.passed === undefined) return ["undecided", "undecided"];
    if (forbidden) return item.passed ? ["fail", "violated"] : ["pass", "not violated"];
    return item.passed ? ["pass", "passed"] : ["fail", "failed"];
  }
  function rubricView(e) {
    const box = el("div", "rubric", el("h2", null, "Rubric"));
    const scores = Object.entries(e.scores || {}).map(([k, v]) => el("span", "tag", k + " " + fmt(v)));
    if (scores.length) box.append(el("div", null, ...scores));
    if (!e.items.length) box.append(el("p", "tag", "no rubric verdicts (the episode was not scored)"));
    for (const section of ["sub_goal", "required_interaction", "forbidden"]) {
      const items = e.items.filter((i) => i.section === section);
      if (!items.length) continue;
      box.append(el("h2", null, section.replace("_", " ")));
      for (const item of items) {
        const [cls, word] = verdict(item);
        box.append(el("div", "item", el("span", "badge " + cls, word), " ", el("b", null, item.id), " ",
          el("span", null, item.description || ""), el("div", "reason", item.reason || "", item.decided_by ? " \u00b7 decided by " + item.decided_by : "")));
      }
    }
    const other = e.items.filter((i) => !["sub_goal", "required_interaction", "forbidden"].includes(i.section));
    for (const item of other) box.append(el("div", "item", el("b", null, item.id), " ", code(item)));
    return box;
  }
  function openEpisode(e, tr) {
    state.selected = e;
    for (const row of document.querySelectorAll("#episode-rows tr.selected")) row.classList.remove("selected");
    if (tr) tr.classList.add("selected");
    else renderRows();  // opened from a link: mark its row if it is on this page
    const convo = el("div", "conversation");
    for (const m of e.opening) {
      if (m.role === "system") convo.append(msg("system", "system prompt", el("details", null, el("summary", null, "show"), text(TEXTS[m.text]))));
      else convo.append(msg("user", "user (opening request)", text(TEXTS[m.text])));
    }
    for (const ev of e.events) convo.append(eventView(ev));
    for (const m of e.messages || []) convo.append(msg(m.role === "user" ? "user" : m.role === "tool" ? "tool" : "assistant", String(m.role), text(m.content)));
    if (e.error) {
      convo.append(msg("failed", "episode failed" + (e.error.in ? " in the " + e.error.in : ""), el("div", "errtext", String(e.error.message)),
        e.error.traceback ? el("details", null, el("summary", null, "traceback"), el("pre", "code", String(e.error.traceback))) : null));
    }
    if (e.failure) convo.append(msg("failed", "failure", el("div", "errtext", String(e.failure))));
    const head = el("div", "episode-head", el("h2", null, e.task), el("span", "badge " + e.outcome, e.outcome),
      el("span", null, "reward " + fmt(e.reward)), e.note ? el("span", "errtext", e.note) : null, el("span", null, "end: " + e.end), el("span", "tag", runName(e.run)),
      el("span", "tag", "sample " + fmt(e.sample) + " \u00b7 seed " + fmt(e.seed)),
      el("span", "tag", Object.entries(e.stats || {}).map(([k, v]) => k + " " + v).join(" \u00b7 ")));
    const view = $("episode-view");
    view.replaceChildren(head, el("div", "episode-body", convo, rubricView(e)));
    view.hidden = false;
    view.scrollIntoView({ block: "start" });
    try { history.replaceState(null, "", "#" + new URLSearchParams({ run: e.run, task: e.task, sample: e.sample })); }
    catch (err) { /* a link to the episode is a convenience */ }
  }
  function openFromLink() {  // view.html#run=0&task=ID&sample=1 opens that episode
    const want = new URLSearchParams(location.hash.slice(1));
    const e = EPISODES.find((x) => String(x.run) === (want.get("run") || "0") && x.task === want.get("task") &&
                                    String(x.sample) === want.get("sample"));
    if (!e) return false;
    $("filter-task").value = e.task;
    state.selected = e;
    applyFilters();
    show("episodes");
    openEpisode(e, null);
    return true;
  }

  // ---- two runs: per-task reward differences, sortable
  const COLUMNS = [["task", "task", false], ["domain", "domain", false], ["n_a", "episodes A", true], ["mean_a", "mean A", true],
                   ["n_b", "episodes B", true], ["mean_b", "mean B", true], ["delta", "B \u2212 A", true]];
  function renderCompare() {
    if (!DATA.compare) return;
    $("tab-compare").hidden = false;
    const box = $("compare");
    const head = el("table", "headline", el("thead", null, el("tr", null, el("th", null, "metric"), el("th", "num", runName(0)),
      el("th", "num", runName(1)), el("th", "num", "B \u2212 A"))));
    const hb = el("tbody"), other = new Map(RUNS[1].headline);
    for (const [label, va] of RUNS[0].headline) {
      const vb = other.get(label), d = typeof va === "number" && typeof vb === "number" ? vb - va : null;
      hb.append(el("tr", null, el("td", null, label), el("td", "num", fmt(va)), el("td", "num", fmt(vb)), el("td", "num", fmt(d))));
    }
    head.append(hb);
    const table = el("table", "list", el("thead", null, el("tr", null, ...COLUMNS.map(([key, label, num]) => {
      const th = el("th", "sortable" + (num ? " num" : ""), label);
      th.dataset.key = key;
      th.addEventListener("click", () => { state.sortDir = state.sortKey === key ? -state.sortDir : 1; state.sortKey = key; renderCompareRows(); });
      return th;
    }))), el("tbody", null));
    table.id = "compare-table";
    box.append(el("h2", null, "Headline"), head, el("h2", null, "Mean reward per task (failed episodes count 0; click a row for its episodes)"), table);
    renderCompareRows();
  }
  function renderCompareRows() {
    const key = state.sortKey, dir = state.sortDir;
    const rows = [...DATA.compare].sort(compareBy(key, dir));
    markSorted(document.querySelectorAll("#compare-table th"), key, dir);
    document.querySelector("#compare-table tbody").replaceChildren(...rows.map((r) => {
      const tr = el("tr", null, ...COLUMNS.map(([k, , num]) => {
        const td = el("td", num ? "num" : null, (k === "delta" && r[k] > 0 ? "+" : "") + fmt(r[k]));
        if (k === "delta" && typeof r[k] === "number") td.classList.add(r[k] > 0 ? "pos" : r[k] < 0 ? "neg" : "zero");
        return td;
      }));
      tr.addEventListener("click", () => { $("filter-task").value = r.task; applyFilters(); show("episodes"); });
      return tr;
    }));
  }

  // ---- start
  renderSummary();
  FILTERS.forEach(([id, key]) => fillSelect(id, key));
  $("filter-run-label").hidden = RUNS.length < 2;
  for (const [id] of FILTERS) $(id).addEventListener("change", applyFilters);
  for (const id of ["filter-rmin", "filter-rmax"]) $(id).addEventListener("input", applyFilters);
  $("filters").addEventListener("reset", () => setTimeout(applyFilters, 0));
  $("filters").addEventListener("submit", (ev) => ev.preventDefault());
  for (const th of document.querySelectorAll("#episode-table th")) {
    th.classList.add("sortable");
    th.addEventListener("click", () => {
      state.listDir = state.listKey === th.dataset.key ? -state.listDir : 1;
      state.listKey = th.dataset.key;
      markSorted(document.querySelectorAll("#episode-table th"), state.listKey, state.listDir);
      applyFilters();
    });
  }
  $("page-prev").addEventListener("click", () => { state.page -= 1; renderRows(); });
  $("page-next").addEventListener("click", () => { state.page += 1; renderRows(); });
  renderCompare();
  renderRows();
  if (!openFromLink()) show("summary");
  document.body.dataset.ready = "1";
})();
