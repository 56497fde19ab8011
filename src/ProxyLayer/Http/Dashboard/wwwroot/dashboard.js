// ProxyLayer dashboard: renders each sample of /api/events (server-sent events, one a second while the page is
// open). Counters arrive cumulative; rates are the difference between two samples, so the server keeps no state
// per viewer. Every value goes into the page as text (textContent), never as HTML: digest texts are user data.
"use strict";

const HISTORY = 120;                       // samples kept for the small charts (two minutes)
const BUCKET_MS = [0.1, 0.5, 1, 5, 10, 50, 100, 500, 1000, 5000, 10000, Infinity];
const ERROR_COUNTERS = [
  ["generated_error_packets", "errors sent to clients by the proxy"],
  ["Access_Denied_Wrong_Password", "logins refused: wrong user or password"],
  ["Access_Denied_Max_Connections", "logins refused: mysql-max_connections"],
  ["Access_Denied_Max_User_Connections", "logins refused: user's max_connections"],
  ["Client_Connections_aborted", "client connections aborted"],
  ["Server_Connections_aborted", "backend connections aborted"],
  ["MySQL_Monitor_connect_check_ERR", "monitor: connect checks failed"],
  ["MySQL_Monitor_ping_check_ERR", "monitor: ping checks failed"],
  ["MySQL_Monitor_read_only_check_ERR", "monitor: read_only checks failed"],
  ["MySQL_Monitor_replication_lag_check_ERR", "monitor: lag checks failed"],
];

let previous = null;
const history = { qps: [], clients: [], backends: [], errors: [] };

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null) continue;
    if (name === "class") element.className = value; else element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === undefined || child === null) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

function text(id, value) { document.getElementById(id).textContent = value; }

function rate(now, before, seconds) {
  if (before === undefined || seconds <= 0) return null;
  return Math.max(0, (now - before) / seconds);
}

function fmtRate(value) {
  if (value === null || value === undefined) return "–";
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1);
}

function fmtMs(ms) {
  if (ms === null || ms === undefined || !isFinite(ms)) return "–";
  if (ms < 1) return (ms * 1000).toFixed(0) + " µs";
  if (ms < 100) return ms.toFixed(1) + " ms";
  return Math.round(ms).toLocaleString("en-US") + " ms";
}

function fmtDuration(seconds) {
  const d = Math.floor(seconds / 86400), hh = Math.floor(seconds % 86400 / 3600), mm = Math.floor(seconds % 3600 / 60), ss = seconds % 60;
  return (d ? d + "d " : "") + String(hh).padStart(2, "0") + ":" + String(mm).padStart(2, "0") + ":" + String(ss).padStart(2, "0");
}

function fmtTime(ms) { return new Date(ms).toLocaleTimeString("en-GB"); }

// The upper bound of the bucket holding the q-th quantile of the statements between two samples.
function quantileBound(buckets, q) {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i];
    if (seen >= q * total) return BUCKET_MS[i];
  }
  return Infinity;
}

function spark(id, values) {
  const svg = document.getElementById(id);
  svg.replaceChildren();
  if (values.length < 2) return;
  const max = Math.max(1, ...values) * 1.2; // headroom: a flat series is a line, not a filled block
  // Right-aligned over at least 30 samples, so a page just opened does not stretch its first two samples across.
  const span = Math.max(values.length, 30);
  const step = 240 / (span - 1);
  const offset = (span - values.length) * step;
  const points = values.map((v, i) => `${(offset + i * step).toFixed(1)},${(46 - v / max * 42).toFixed(1)}`);
  const ns = "http://www.w3.org/2000/svg";
  const area = document.createElementNS(ns, "polygon");
  area.setAttribute("points", `${offset.toFixed(1)},48 ${points.join(" ")} 240,48`);
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", points.join(" "));
  svg.append(area, line);
}

function push(series, value) {
  if (value === null) return;
  series.push(value);
  if (series.length > HISTORY) series.shift();
}

function render(sample) {
  const seconds = previous ? (sample.time_ms - previous.time_ms) / 1000 : 0;
  const g = sample.globals, pg = previous ? previous.globals : {};
  text("uptime", "up " + fmtDuration(g.ProxySQL_Uptime || 0));
  text("updated", "updated " + fmtTime(sample.time_ms));

  // Servers appear once per hostgroup they are in; pool and error totals count each server once.
  const servers = new Map();
  for (const hostgroup of sample.hostgroups) for (const server of hostgroup.servers) servers.set(server.endpoint, server);
  const previousServers = new Map();
  if (previous) for (const hostgroup of previous.hostgroups) for (const server of hostgroup.servers) previousServers.set(server.endpoint, server);
  let used = 0, free = 0, connectErrors = 0, previousConnectErrors = 0;
  for (const [endpoint, server] of servers) {
    used += server.used; free += server.free; connectErrors += server.connect_err;
    previousConnectErrors += (previousServers.get(endpoint) || server).connect_err;
  }
  const errorTotal = (g.generated_error_packets || 0) + connectErrors;
  const previousErrorTotal = previous ? (pg.generated_error_packets || 0) + previousConnectErrors : undefined;

  const qps = rate(g.Questions, pg.Questions, seconds);
  const errors = rate(errorTotal, previousErrorTotal, seconds);
  text("qps", fmtRate(qps));
  text("clients", (g.Client_Connections_connected ?? 0).toLocaleString("en-US"));
  text("backends", `${used} / ${free}`);
  text("errors", fmtRate(errors));
  text("failovers", String(sample.writer_changes_total));
  const last = sample.writer_changes[sample.writer_changes.length - 1];
  text("last-failover", last ? `last at ${fmtTime(last.at_ms)}, hostgroup ${last.hostgroup}` : "none since start");
  push(history.qps, qps); push(history.clients, g.Client_Connections_connected ?? 0);
  push(history.backends, used); push(history.errors, errors);
  spark("qps-chart", history.qps); spark("clients-chart", history.clients);
  spark("backends-chart", history.backends); spark("errors-chart", history.errors);

  renderWriters(sample);
  renderHostgroups(sample, seconds, previousServers);
  renderTimeline(sample);
  renderErrors(sample, servers, connectErrors);
  renderDigests(sample);
  previous = sample;
}

function renderWriters(sample) {
  const cards = sample.hostgroups.filter(hg => hg.role === "writer").map(hg => {
    const writers = hg.servers.filter(s => s.status === "ONLINE").map(s => s.endpoint);
    const endpoint = writers.length ? writers.join(", ") : "no writer";
    return h("div", { class: "writer" + (writers.length ? "" : " none"), id: `writer-${hg.id}`, "data-writer": writers.join(",") },
      h("div", { class: "label" }, `Writer of hostgroup ${hg.id}`), h("div", { class: "endpoint" }, endpoint));
  });
  document.getElementById("writers").replaceChildren(...cards);
}

function renderHostgroups(sample, seconds, previousServers) {
  const previousHostgroups = new Map((previous ? previous.hostgroups : []).map(hg => [hg.id, hg]));
  const cards = sample.hostgroups.map(hg => {
    const before = previousHostgroups.get(hg.id);
    const statements = hg.statements || 0;
    const deltaCount = before ? statements - (before.statements || 0) : 0;
    const deltaTime = before ? (hg.time_us || 0) - (before.time_us || 0) : 0;
    const deltaBuckets = (hg.buckets || []).map((b, i) => b - ((before && before.buckets) ? before.buckets[i] : 0));
    const windowed = before && deltaCount > 0;
    const average = windowed ? deltaTime / deltaCount / 1000 : (statements ? hg.time_us / statements / 1000 : null);
    const p99 = windowed ? quantileBound(deltaBuckets, 0.99) : (hg.buckets ? quantileBound(hg.buckets, 0.99) : null);
    const hgQps = before ? rate(statements, before.statements || 0, seconds) : null;

    const rows = hg.servers.map(server => {
      const old = previousServers.get(server.endpoint);
      const serverQps = old ? rate(server.queries, old.queries, seconds) : null;
      const lag = server.lag_s !== undefined ? server.lag_s + " s" : (server.lag_error ? "error" : "–");
      return h("tr", { class: server.status === "ONLINE" ? "" : "down", "data-endpoint": server.endpoint, "data-status": server.status, "data-role": server.role },
        h("td", {}, server.endpoint, server.comment ? h("span", { class: "muted" }, "  " + server.comment) : null),
        h("td", {}, h("span", { class: "status " + server.status }, server.status)),
        h("td", {}, server.role === "writer" ? h("span", { class: "star" }, "★ writer") : server.role),
        h("td", {}, poolBar(server), `${server.used} / ${server.free}`),
        h("td", { class: "num" }, fmtRate(serverQps)),
        h("td", { class: "num" }, server.ping_error ? "error" : server.ping_us > 0 ? fmtMs(server.ping_us / 1000) : "–"),
        h("td", { class: "num" }, lag),
        h("td", { class: "num" }, server.read_only === undefined ? "–" : (server.read_only ? "yes" : "no")),
        h("td", { class: "num" + (server.connect_err ? " bad" : "") }, server.connect_err));
    });
    return h("div", { class: "hostgroup", id: `hostgroup-${hg.id}`, "data-hostgroup": hg.id },
      h("header", {},
        h("h2", {}, `Hostgroup ${hg.id}`),
        hg.role ? h("span", { class: "role role-" + hg.role }, hg.role) : null,
        h("span", { class: "stat" }, "queries/s ", h("b", {}, fmtRate(hgQps))),
        h("span", { class: "stat" }, "avg ", h("b", {}, fmtMs(average))),
        h("span", { class: "stat" }, "p99 ≤ ", h("b", {}, fmtMs(p99))),
        h("span", { class: "stat" }, "statements ", h("b", {}, statements.toLocaleString("en-US"))),
        hg.held ? h("span", { class: "stat held", title: "statements that waited for a usable server (e.g. a writer during a failover)" },
          "held ", h("b", {}, hg.held.toLocaleString("en-US")), hg.waiting_now ? ` (${hg.waiting_now} waiting now)` : "",
          ", avg wait ", h("b", {}, fmtMs(hg.held_wait_us / hg.held / 1000))) : null),
      rows.length
        ? h("table", {}, h("thead", {}, h("tr", {}, ...["server", "status", "role", "pool used / free", "queries/s", "ping", "lag", "read_only", "connect errors"]
            .map((name, i) => h("th", { class: i >= 4 ? "num" : null }, name)))), h("tbody", {}, ...rows))
        : h("div", { class: "muted" }, "no servers"));
  });
  document.getElementById("hostgroups").replaceChildren(...cards);
}

// The share of the server's open connections in use. Set through the CSSOM: the page's CSP forbids style attributes.
function poolBar(server) {
  const open = server.used + server.free;
  const fill = h("span");
  fill.style.width = (open ? server.used / open * 100 : 0).toFixed(1) + "%";
  return h("span", { class: "pool", title: `${server.used} in use, ${server.free} idle (max_connections ${server.max_connections})` }, fill);
}

// Writer changes and members' status changes, newest first. Hostgroup ids go in data attributes for tests.
function renderTimeline(sample) {
  const list = document.getElementById("timeline");
  const events = [
    ...sample.writer_changes.map(c => ({ at: c.at_ms, hostgroup: c.hostgroup, kind: "writer",
      body: [`writer of hostgroup ${c.hostgroup}: `, c.from || "(none)", h("span", { class: "arrow" }, "→"), c.to || "(none)",
        ...(c.detect_s === undefined ? [] : [h("span", { class: "detect" }, ` detected in ${c.detect_s.toFixed(1)} s`)])] })),
    ...sample.status_changes.map(c => ({ at: c.at_ms, hostgroup: c.hostgroup, kind: "status",
      body: [`${c.endpoint} in hostgroup ${c.hostgroup}: `, h("span", { class: "status " + c.from }, c.from), h("span", { class: "arrow" }, "→"),
        h("span", { class: "status " + c.to }, c.to)] })),
  ].sort((a, b) => b.at - a.at || (a.kind === "writer" ? -1 : 1)).slice(0, 40);
  if (!events.length) {
    list.replaceChildren(h("li", { class: "muted" }, "no writer or server status change since start"));
    return;
  }
  list.replaceChildren(...events.map(e =>
    h("li", { class: "event-" + e.kind + (sample.time_ms - e.at < 60000 ? " recent" : ""), "data-hostgroup": e.hostgroup, "data-kind": e.kind },
      h("span", { class: "when" }, fmtTime(e.at)), ...e.body)));
}

function renderErrors(sample, servers, connectErrors) {
  const rows = ERROR_COUNTERS.filter(([name]) => sample.globals[name] !== undefined)
    .map(([name, label]) => [label, sample.globals[name]]);
  rows.splice(1, 0, ["backend connects failed", connectErrors]);
  for (const [endpoint, server] of servers) {
    if (server.ping_error) rows.push([`${endpoint}: last ping failed`, server.ping_error]);
  }
  document.querySelector("#error-table tbody").replaceChildren(...rows.map(([label, value]) =>
    h("tr", {}, h("td", {}, label), h("td", { class: "num" + (typeof value === "string" || value > 0 ? " bad" : "") }, value))));
}

function renderDigests(sample) {
  const rows = sample.digests.map(d => h("tr", {},
    h("td", {}, d.hostgroup), h("td", { class: "digest" }, d.digest_text), h("td", { class: "num" }, d.count.toLocaleString("en-US")),
    h("td", { class: "num" }, fmtMs(d.sum_time_us / Math.max(1, d.count) / 1000)), h("td", { class: "num" }, fmtMs(d.sum_time_us / 1000))));
  document.querySelector("#digests tbody").replaceChildren(...(rows.length ? rows : [h("tr", {}, h("td", { colspan: 5, class: "muted" }, "no statements yet"))]));
}

// One sample at once by a plain request (the first paint does not wait for the stream), then the stream. URLs are
// built on location.origin: a page opened as https://user:pass@host/ has the credentials in its base URL, and fetch
// refuses to build a request from such a URL.
async function connect() {
  const live = document.getElementById("live");
  try {
    const first = await fetch(new URL("/api/status", location.origin), { cache: "no-store" });
    if (first.ok) render(await first.json());
  } catch (error) {
    live.className = "live off"; live.textContent = "no answer";
  }
  const events = new EventSource(new URL("/api/events", location.origin));
  events.onopen = () => { live.className = "live on"; live.textContent = "live"; };
  events.onmessage = message => {
    live.className = "live on"; live.textContent = "live";
    render(JSON.parse(message.data));
  };
  // EventSource reconnects by itself; the badge says so meanwhile.
  events.onerror = () => { live.className = "live off"; live.textContent = "reconnecting…"; };
}

connect();
