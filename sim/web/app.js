// amsim serve: the editor's page. Draws a province's old units coloured by their new unit,
// sends each edit to the server and redraws from the state it answers with. Nothing is
// computed here that the server does not say: figures, verdicts and staffing come from it.
"use strict";

const $ = (id) => document.getElementById(id);
const esc = (t) => String(t ?? "").replace(/[&<>"']/g, (ch) =>
  ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);
const fmt = (v, digits = 0) =>
  v === null || v === undefined ? "—" :
  Number(v).toLocaleString("vi-VN", { maximumFractionDigits: digits, minimumFractionDigits: digits });

const app = {
  province: null,   // code
  geometry: null,   // units, arcs, bounds
  state: null,      // the server's last answer
  selected: new Set(), // old unit indices
  active: null,     // new unit code that paint and move send units to
  compare: null,    // the server's comparison, when one is shown
  lasso: false,
  busy: false,
};

let map, unitLayers = [], arcLayers = [], labelLayer;

// --- talking to the server ---------------------------------------------------------------

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({ error: "the server's answer is not JSON" }));
  if (!res.ok) {
    const err = new Error(data.error || res.statusText);
    err.status = res.status;
    throw err;
  }
  return data;
}

function say(text, ok) {
  $("banner-text").textContent = text;
  $("banner").className = ok ? "ok" : "";
  $("banner").hidden = false;
}

async function send(path, body, done) {
  if (app.busy) return;
  app.busy = true;
  const t0 = performance.now();
  try {
    const answer = await api("POST", path, { version: app.state.version, province: app.province, ...body });
    if (answer.communes) {
      app.state = answer;
      redraw();
    }
    if (done) done(answer, performance.now() - t0);
  } catch (e) {
    if (e.status === 409) {
      say("Không thực hiện: " + e.message + " — bấm F5 để tải lại.");
    } else {
      say("Không thực hiện: " + e.message);
    }
  } finally {
    app.busy = false;
  }
}

function edit(op, extra) {
  return send("/api/edit", { op, ...extra }, (answer, ms) => {
    $("banner").hidden = true;
    $("saved-state").dataset.ms = Math.round(ms);
    if (app.compare) refreshCompare();
  });
}

// --- the map -----------------------------------------------------------------------------

function hue(code) {
  let h = 0;
  for (const ch of code) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return (h * 0.618033988749895 * 360) % 360;
}

function communeOf(code) {
  return app.state.communes.find((c) => c.code === code);
}

function ramp(t) { // 0 red .. 1 green, through amber
  t = Math.max(0, Math.min(1, t));
  return `hsl(${Math.round(t * 120)}, 70%, 55%)`;
}

function colourOf(c) {
  const by = $("colour").value;
  if (!c) return "#ccc";
  switch (by) {
    case "unit": return `hsl(${hue(c.code)}, 55%, 68%)`;
    case "verdict":
      return !c.evaluated ? (c.waived ? "#f0c36d" : "#b9c2cb") : c.pass ? "#7cc47a" : "#e2574c";
    case "area_pct": return c.evaluated ? ramp(c.area_pct / 100) : "#b9c2cb";
    case "population_pct": return c.evaluated ? ramp(c.population_pct / 100) : "#b9c2cb";
    case "polsby_popper": return ramp(c.polsby_popper / 0.5);
    case "seat_km": return c.seat_km === null ? "#b9c2cb" : ramp(1 - c.seat_km / 30);
    case "surplus": return ramp(1 - Math.max(0, c.surplus) / 40);
  }
  return "#ccc";
}

function legend() {
  const by = $("colour").value;
  const items = {
    unit: "Mỗi màu một đơn vị mới; viền đỏ: đơn vị không đạt tiêu chuẩn",
    verdict: '<span class="swatch" style="background:#7cc47a"></span>đạt<span class="swatch" style="background:#e2574c"></span>không đạt<span class="swatch" style="background:#f0c36d"></span>được miễn (đủ số đơn vị hợp nhất)<span class="swatch" style="background:#b9c2cb"></span>không xét',
    area_pct: "Đỏ: 0% → xanh: ≥100% tiêu chuẩn diện tích",
    population_pct: "Đỏ: 0% → xanh: ≥100% tiêu chuẩn dân số",
    polsby_popper: "Đỏ: kém gọn → xanh: gọn (Polsby-Popper ≥ 0,5)",
    seat_km: "Xanh: trụ sở gần → đỏ: xa (≥ 30 km, đơn vị cũ xa nhất)",
    surplus: "Xanh: không dôi dư → đỏ: dôi dư ≥ 40 người (ước tính)",
  };
  $("legend").innerHTML = items[by] +
    ' · Bấm: chọn; Shift+bấm: chọn thêm; "Tô vào": bấm để chuyển ngay; Ctrl+Z / Ctrl+Y: hoàn tác / làm lại';
}

function restyle() {
  const assign = app.state.assign;
  const failing = new Set(app.state.communes.filter((c) => c.evaluated && !c.pass).map((c) => c.code));
  unitLayers.forEach((layer, i) => {
    layer.closeTooltip(); // its text was the unit's before the edit
    const c = communeOf(assign[i]);
    const differs = app.compare && app.compare.differs[i];
    layer.setStyle({
      fillColor: colourOf(c),
      fillOpacity: app.selected.has(i) ? 0.95 : differs ? 0.9 : 0.7,
      stroke: app.selected.has(i) || differs || app.state.locked[i],
      color: app.selected.has(i) ? "#000" : app.state.locked[i] ? "#444" : "#5b2a86",
      weight: app.selected.has(i) ? 3 : 2,
      dashArray: differs ? "4 3" : app.state.locked[i] ? "1 4" : null,
    });
  });
  arcLayers.forEach(({ layer, a, b }) => {
    const ga = a >= 0 ? assign[a] : null, gb = b >= 0 ? assign[b] : null;
    const border = ga !== gb;
    const bad = border && (failing.has(ga) || failing.has(gb));
    layer.setStyle({
      color: bad ? "#d0140a" : border ? "#1d2733" : "#ffffff",
      weight: border ? (bad ? 3 : 2) : 0.6,
      opacity: border ? 1 : 0.8,
    });
    if (border) layer.bringToFront();
  });
  labelLayer.clearLayers();
  for (const c of app.state.communes) {
    const fail = c.evaluated && !c.pass;
    L.tooltip({ permanent: true, direction: "center", className: "unit-label" + (fail ? " fail" : ""), interactive: false })
      .setLatLng([c.label[1], c.label[0]])
      .setContent((fail ? "✗ " : "") + esc(c.name.replace(/^(Xã|Phường|Đặc khu) /, "")))
      .addTo(labelLayer);
  }
}

function drawProvince() {
  if (map) map.remove();
  map = L.map("map", { preferCanvas: false, zoomSnap: 0.25, boxZoom: false, attributionControl: false });
  unitLayers = [];
  arcLayers = [];
  const g = app.geometry;
  g.units.forEach((u, i) => {
    const latlngs = u.polygons.map((rings) => rings.map((ring) => ring.map(([x, y]) => [y, x])));
    const layer = L.polygon(latlngs, { stroke: false, fillOpacity: 0.7 }).addTo(map);
    layer.on("click", (e) => clickUnit(i, e.originalEvent));
    layer.bindTooltip(() => unitTip(i), { sticky: true });
    unitLayers.push(layer);
  });
  for (const arc of g.arcs) {
    const layer = L.polyline(arc.c.map(([x, y]) => [y, x]), { interactive: false }).addTo(map);
    arcLayers.push({ layer, a: arc.a, b: arc.b });
  }
  labelLayer = L.layerGroup().addTo(map);
  map.fitBounds(g.bounds);
  setUpLasso();
}

function unitTip(i) {
  const u = app.geometry.units[i];
  const c = communeOf(app.state.assign[i]);
  return `<b>${esc(u.name)}</b> (${esc(u.code)})<br>${fmt(u.area_km2, 2)} km² · ${fmt(u.population)} người` +
    `<br>→ ${esc(c ? c.name : app.state.assign[i])}` + (app.state.locked[i] ? "<br>🔒 đã khoá" : "");
}

// --- selecting and painting --------------------------------------------------------------

function clickUnit(i, ev) {
  if (app.lasso) return;
  if ($("paint").checked && app.active) {
    if (app.state.assign[i] !== app.active) {
      edit("move", { units: [app.geometry.units[i].code], to: app.active });
    }
    return;
  }
  if (ev && ev.shiftKey) {
    app.selected.has(i) ? app.selected.delete(i) : app.selected.add(i);
  } else {
    app.selected = new Set([i]);
  }
  showUnit(app.state.assign[i]);
  redraw();
}

function setUpLasso() {
  let points = null, line = null;
  map.on("mousedown", (e) => {
    if (!app.lasso) return;
    points = [e.latlng];
    line = L.polyline(points, { color: "#000", weight: 1, dashArray: "4 4" }).addTo(map);
    map.dragging.disable();
  });
  map.on("mousemove", (e) => {
    if (!points) return;
    points.push(e.latlng);
    line.setLatLngs(points);
  });
  map.on("mouseup", () => {
    if (!points) return;
    const ring = points.map((p) => [p.lng, p.lat]);
    map.removeLayer(line);
    points = null;
    map.dragging.enable();
    app.geometry.units.forEach((u, i) => {
      if (inside(u.label, ring)) app.selected.add(i);
    });
    app.lasso = false;
    $("lasso").classList.remove("on");
    redraw();
  });
}

function inside([x, y], ring) {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

// --- the side panel ----------------------------------------------------------------------

function verdictText(c) {
  if (!c.evaluated) return c.waived ? '<span class="warn">được miễn</span>' : '<span class="src">không xét</span>';
  return c.pass ? '<span class="good">đạt</span>' : '<span class="bad">không đạt</span>';
}

function showTotals() {
  const p = app.state.province;
  const diff = p.new_units - p.target;
  $("totals").innerHTML = `<h3>${esc(p.name)}</h3><table>
    <tr><td>Số đơn vị mới</td><td class="n"><b id="count">${p.new_units}</b> / mục tiêu ${p.target}
      ${diff ? `<span class="${diff > 0 ? "bad" : "warn"}">(${diff > 0 ? "+" : ""}${diff})</span>` : '<span class="good">✓</span>'}</td></tr>
    <tr><td>Xã / phường / đặc khu</td><td class="n">${p.xa} / ${p.phuong} / ${p.dac_khu}</td></tr>
    <tr><td>Không đạt tiêu chuẩn</td><td class="n"><b id="failing" class="${p.below_standard ? "bad" : "good"}">${p.below_standard}</b></td></tr>
    <tr><td>Không liền khoảnh</td><td class="n">${p.not_contiguous}</td></tr>
    <tr><td>Chưa rõ dân số</td><td class="n">${p.population_unknown}</td></tr>
    <tr><td>Cán bộ, công chức (ước tính)</td><td class="n">${fmt(p.staff)}</td></tr>
    <tr><td>Định mức</td><td class="n">${fmt(p.norm)}</td></tr>
    <tr><td>Dôi dư phải giảm trong 5 năm</td><td class="n">${fmt(p.surplus)}</td></tr>
  </table><div class="src">Mục tiêu: số đơn vị của ${p.target_source === "the plan as loaded" ? "phương án khi mở" : p.target_source}.
  Biên chế: ${p.staff_source === "" ? "" : "ước tính theo định mức Nghị định 33/2023 và định mức đơn vị mới"}.</div>`;
}

function showUnit(code) {
  const c = communeOf(code);
  if (!c) { $("unit").innerHTML = ""; return; }
  const vi = c.vi || c;
  const others = app.state.communes.filter((o) => o.code !== code)
    .map((o) => `<option value="${esc(o.code)}">${esc(o.name)} (${esc(o.code)})</option>`).join("");
  $("unit").innerHTML = `<h3 id="unit-name">${esc(c.name)} <span class="src">${esc(c.code)}</span></h3>
  <table>
    <tr><td>Kết luận</td><td id="verdict">${verdictText(c)} ${vi.why ? `<div class="src">${esc(vi.why)}</div>` : ""}</td></tr>
    <tr><td>Diện tích</td><td class="n">${fmt(c.area_km2, 2)} km² · <b>${fmt(c.area_pct, 1)}%</b> tiêu chuẩn<div class="src">${esc(vi.area_source)}</div></td></tr>
    <tr><td>Dân số</td><td class="n">${fmt(c.population)} · <b>${fmt(c.population_pct, 1)}%</b><div class="src">${esc(vi.population_source)}</div></td></tr>
    <tr><td>Loại, vùng</td><td>${esc(vi.type)} · ${esc(vi.region)} <span class="src">${esc(vi.region_source)}</span><div class="src">${esc(vi.standard)}</div></td></tr>
    <tr><td>Đơn vị cũ hợp thành</td><td class="n">${c.members}</td></tr>
    <tr><td>Liền khoảnh</td><td class="n">${c.polygons > 1 ? `<span class="bad">không (${c.polygons} mảnh)</span>` : "có"}</td></tr>
    <tr><td>Độ gọn (Polsby-Popper)</td><td class="n">${fmt(c.polsby_popper, 3)}</td></tr>
    <tr><td>Xa nhất đến trụ sở</td><td class="n">${c.seat_km === null ? "—" : fmt(c.seat_km, 1) + " km"}</td></tr>
    <tr><td>Biên chế / định mức</td><td class="n">${fmt(c.staff, 1)} / ${c.norm} · dôi dư <b>${fmt(c.surplus, 1)}</b><div class="src">ước tính</div></td></tr>
    ${vi.flags ? `<tr><td>Ghi chú</td><td class="src">${esc(vi.flags)}</td></tr>` : ""}
  </table>
  <div class="row"><button id="make-active">Chọn làm đơn vị đích</button>
    <input id="rename-text" value="${esc(c.name)}" size="18"><button id="rename">Đổi tên</button></div>
  <div class="row"><select id="merge-with">${others}</select><button id="merge">Gộp vào đơn vị này</button>
    <button id="dissolve">Giải thể</button></div>`;
  $("make-active").onclick = () => { app.active = code; redraw(); };
  $("rename").onclick = () => edit("rename", { unit: code, name: $("rename-text").value });
  $("merge").onclick = () => edit("merge", { unit: code, with: $("merge-with").value });
  $("dissolve").onclick = () => {
    if (confirm(`Giải thể ${esc(c.name)}: chia các đơn vị cũ của nó cho các đơn vị giáp ranh?`)) edit("dissolve", { unit: code });
  };
  app.shown = code;
}

function showUnits() {
  const rows = [...app.state.communes].sort((a, b) =>
    (a.evaluated && !a.pass ? 0 : 1) - (b.evaluated && !b.pass ? 0 : 1) || a.name.localeCompare(b.name, "vi"));
  $("units").innerHTML = `<h3>Các đơn vị mới</h3><table id="unit-table"><tr><th>Tên</th><th class="n">DT %</th><th class="n">DS %</th><th>KL</th><th class="n">Dư</th></tr>` +
    rows.map((c) => `<tr class="pick ${c.evaluated && !c.pass ? "fail" : ""} ${c.code === app.active ? "active" : ""}" data-code="${esc(c.code)}">
      <td>${esc(c.name)}</td><td class="n">${fmt(c.area_pct)}</td><td class="n">${fmt(c.population_pct)}</td>
      <td>${verdictText(c)}</td><td class="n">${fmt(c.surplus)}</td></tr>`).join("") + "</table>";
  for (const tr of $("units").querySelectorAll("tr.pick")) {
    tr.onclick = () => { app.active = tr.dataset.code; showUnit(tr.dataset.code); redraw(); };
  }
}

function showTools() {
  $("active").innerHTML = app.state.communes
    .map((c) => `<option value="${esc(c.code)}" ${c.code === app.active ? "selected" : ""}>${esc(c.name)}</option>`).join("");
  if (!app.active || !communeOf(app.active)) app.active = $("active").value;
  const n = app.selected.size;
  $("selection").textContent = n ? `Đang chọn ${n} đơn vị cũ: ` +
    [...app.selected].slice(0, 6).map((i) => app.geometry.units[i].name).join(", ") + (n > 6 ? "…" : "") :
    "Chưa chọn đơn vị cũ nào.";
  for (const id of ["move", "new-unit", "lock", "unlock", "clear"]) $(id).disabled = n === 0;
}

function redraw() {
  const s = app.state;
  $("undo").disabled = !s.undo;
  $("undo").title = s.undo ? "Hoàn tác: " + s.undo : "Không có gì để hoàn tác";
  $("redo").disabled = !s.redo;
  $("redo").title = s.redo ? "Làm lại: " + s.redo : "Không có gì để làm lại";
  $("saved-state").textContent = (s.unsaved ? "● chưa lưu" : "đã lưu") + ` · phiên bản ${s.version}`;
  restyle();
  showTotals();
  showTools();
  showUnits();
  if (app.shown) showUnit(app.shown);
  legend();
}

// --- comparing ---------------------------------------------------------------------------

async function refreshCompare() {
  const withWhat = $("compare").value;
  if (!withWhat) { app.compare = null; restyle(); return; }
  try {
    app.compare = await api("POST", "/api/compare", { province: app.province, with: withWhat });
    say(`So với ${withWhat === "loaded" ? "phương án khi mở" : "bản đã lưu"}: ${app.compare.units_differing} đơn vị cũ đổi nhóm (viền nét đứt); ` +
        `${app.compare.new_units} đơn vị mới so với ${app.compare.other_new_units}; chỉ số Rand hiệu chỉnh ${fmt(app.compare.adjusted_rand_index, 3)}`, true);
    restyle();
  } catch (e) { say("Không so sánh được: " + e.message); }
}

// --- start -------------------------------------------------------------------------------

async function openProvince(code) {
  app.province = code;
  app.selected.clear();
  app.active = null;
  app.shown = null;
  app.compare = null;
  $("compare").value = "";
  const view = await api("GET", "/api/view?province=" + encodeURIComponent(code));
  app.geometry = view.geometry;
  delete view.geometry;
  app.state = view;
  drawProvince();
  redraw();
  history.replaceState(null, "", "?province=" + encodeURIComponent(code));
}

function selectedCodes() {
  return [...app.selected].map((i) => app.geometry.units[i].code);
}

function wire() {
  $("province").onchange = () => openProvince($("province").value);
  $("colour").onchange = () => { restyle(); legend(); };
  $("compare").onchange = refreshCompare;
  $("undo").onclick = () => edit("undo");
  $("redo").onclick = () => edit("redo");
  $("active").onchange = () => { app.active = $("active").value; showUnits(); };
  $("lasso").onclick = () => { app.lasso = !app.lasso; $("lasso").classList.toggle("on", app.lasso); };
  $("move").onclick = () => edit("move", { units: selectedCodes(), to: app.active }).then(() => app.selected.clear());
  $("new-unit").onclick = () => edit("new", { units: selectedCodes() }).then(() => app.selected.clear());
  $("lock").onclick = () => edit("lock", { units: selectedCodes(), locked: true });
  $("unlock").onclick = () => edit("lock", { units: selectedCodes(), locked: false });
  $("clear").onclick = () => { app.selected.clear(); redraw(); };
  $("banner-close").onclick = () => { $("banner").hidden = true; };
  $("propose").onclick = () => {
    const target = prompt("Đề xuất lại các đơn vị cũ chưa khoá. Số đơn vị mới mục tiêu:", app.state.province.target);
    if (target === null) return;
    say("Đang đề xuất…", true);
    send("/api/propose", { target: Number(target), seed: 1 }, (a) =>
      say(`Đề xuất: ${a.proposal.groups} đơn vị mới, ${a.proposal.failing} không đạt tiêu chuẩn. Hoàn tác để bỏ.`, true));
  };
  $("save").onclick = () => send("/api/save", {}, (a) => {
    app.state.unsaved = false;
    redraw();
    say(`Đã lưu ${a.saved} (${a.rows} dòng); bản trước: ${a.previous}`, true);
  });
  $("export").onclick = () => {
    say("Đang xuất (chạy lại phương án đã lưu)…", true);
    send("/api/export", {}, (a) => say(`Đã xuất: ${a.run}, báo cáo ${a.report}, bản đồ ${a.maps.join(", ")}`, true));
  };
  document.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.target.tagName === "INPUT") return;
    if (e.key === "z" && !e.shiftKey) { e.preventDefault(); edit("undo"); }
    if (e.key === "y" || (e.key === "Z" && e.shiftKey)) { e.preventDefault(); edit("redo"); }
  });
}

// For the browser test: where on the screen an old unit can be clicked.
window.amsimTest = {
  pointOf(code) {
    const i = app.geometry.units.findIndex((u) => u.code === code);
    const [x, y] = app.geometry.units[i].label;
    const p = map.latLngToContainerPoint([y, x]);
    const r = $("map").getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  },
  state: () => app.state,
  geometry: () => app.geometry,
};

(async function start() {
  wire();
  try {
    const o = await api("GET", "/api/overview");
    $("scenario").textContent = `${esc(o.scenario)} · quy định ${esc(o.rules)}`;
    $("province").innerHTML = o.provinces
      .map((p) => `<option value="${esc(p.code)}">${esc(p.name)} (${p.new_units} đơn vị)</option>`).join("");
    const want = new URLSearchParams(location.search).get("province");
    const code = o.provinces.some((p) => p.code === want) ? want : o.provinces[0].code;
    $("province").value = code;
    await openProvince(code);
    document.body.dataset.ready = "1";
  } catch (e) {
    say("Không mở được: " + e.message);
  }
})();
