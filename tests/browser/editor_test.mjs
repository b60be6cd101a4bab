// The editor (amsim serve) in a real browser: headless Chromium (Debian package) driven by
// puppeteer-core (npm, installed by scripts/setup.sh into tests/browser/node_modules).
//   node editor_test.mjs AMSIM CHROMIUM FIXTURES WORK
// On a copy of the four fixture communes (A + B -> "Xa AB", C + D -> "Xa CD", which fails the
// population standard): open the province, move B into Xa CD by clicking it on the map, see
// Xa CD pass and Xa AB fail and the totals change, undo, redo, save, restart the server, reload
// and see the move kept; no console errors. Then a server killed in the middle of a save
// leaves the previous mapping intact. Screenshots are written to WORK (looked at, not kept).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import puppeteer from "puppeteer-core";

const [amsim, chromium, fixtures, work] = process.argv.slice(2);
const fail = (why) => { console.error("FAIL: " + why); process.exit(1); };
const check = (ok, why) => { if (!ok) fail(why); };

fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const scenario = path.join(work, "scenario");
fs.mkdirSync(scenario);
fs.copyFileSync(path.join(fixtures, "scenarios/four_communes/mapping.csv"), path.join(scenario, "mapping.csv"));
fs.writeFileSync(path.join(scenario, "scenario.toml"),
  fs.readFileSync(path.join(fixtures, "scenarios/four_communes/scenario.toml"), "utf8")
    .replace("../../geo/four_communes.geojson", path.join(fixtures, "geo/four_communes.geojson")));

/// Starts amsim serve on a free port; resolves with the process and its address.
function serve(env = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(amsim, ["serve", scenario, "--port", "0"], { env: { ...process.env, ...env } });
    let out = "";
    p.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/open (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolve({ p, url: m[1] });
    });
    p.stderr.on("data", (d) => process.stderr.write(d));
    p.on("exit", (code) => reject(new Error("amsim serve exited " + code + ": " + out)));
  });
}

const stop = (p) => new Promise((resolve) => { p.once("exit", resolve); p.kill("SIGTERM"); });

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--window-size=1300,900"],
  defaultViewport: { width: 1300, height: 900 },
});
const errors = [];
const page = await browser.newPage();
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
page.on("pageerror", (e) => errors.push(e.message));

const rowOf = (name) => page.$$eval("#unit-table tr.pick", (rows, n) => {
  const r = rows.find((x) => x.cells[0].textContent === n);
  return r ? { fail: r.classList.contains("fail"), verdict: r.cells[3].textContent } : null;
}, name);
const version = () => page.evaluate(() => window.amsimTest.state().version);
const waitVersion = (v) => page.waitForFunction((x) => window.amsimTest.state().version === x, { timeout: 10000 }, v);

try {
  let server = await serve();
  await page.goto(server.url, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready='1']", { timeout: 15000 });
  check((await page.$eval("#count", (e) => e.textContent)) === "2", "the province has 2 new units");
  check((await rowOf("Xa CD")).fail, "Xa CD fails the population standard at first");
  check(!(await rowOf("Xa AB")).fail, "Xa AB passes at first");
  const totalsBefore = await page.$eval("#totals", (e) => e.innerText);
  await page.screenshot({ path: path.join(work, "1-opened.png") });

  // Paint mode: Xa CD as the target, then a click on B moves it there.
  await page.select("#active", "00003");
  await page.click("#paint");
  const b = await page.evaluate(() => window.amsimTest.pointOf("00002"));
  await page.mouse.click(b.x, b.y);
  await waitVersion(2);
  check(!(await rowOf("Xa CD")).fail, "Xa CD passes once B joins it");
  check((await rowOf("Xa AB")).fail, "Xa AB fails once B leaves it");
  check(!(await page.$eval("#undo", (e) => e.disabled)), "the move can be undone");
  await page.screenshot({ path: path.join(work, "2-moved.png") });

  // D on its own: a click selects it (paint off), then a new unit is made of it.
  await page.click("#paint");
  const d = await page.evaluate(() => window.amsimTest.pointOf("00004"));
  await page.mouse.click(d.x, d.y);
  await page.waitForFunction(() => !document.getElementById("new-unit").disabled);
  await page.click("#new-unit");
  await waitVersion(3);
  check((await page.$eval("#count", (e) => e.textContent)) === "3", "3 new units after the new one");
  check((await page.$eval("#totals", (e) => e.innerText)) !== totalsBefore, "the totals change");
  await page.screenshot({ path: path.join(work, "3-new-unit.png") });

  await page.click("#undo");
  await waitVersion(4);
  check((await page.$eval("#count", (e) => e.textContent)) === "2", "undone: 2 new units again");
  await page.click("#undo");
  await waitVersion(5);
  check((await rowOf("Xa CD")).fail, "undone: Xa CD fails again");
  await page.keyboard.down("Control");
  await page.keyboard.press("y");
  await page.keyboard.up("Control");
  await waitVersion(6);
  check(!(await rowOf("Xa CD")).fail, "redone: Xa CD passes again");

  // A name is text, never markup: renamed to "<i>AB</i>", it reads so in the table.
  await page.evaluate(() => fetch("/api/edit", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ version: 6, province: "N1", op: "rename", unit: "00001", name: "<i>AB</i>" }),
  }));
  await page.select("#colour", "verdict"); // any redraw; the page reloads its state below
  await page.reload({ waitUntil: "load" });
  await page.waitForSelector("body[data-ready='1']", { timeout: 15000 });
  check((await rowOf("<i>AB</i>")) !== null, "a name with markup shows as text");
  check((await page.$$("#unit-table i")).length === 0, "no markup from a name");
  await page.click("#undo");
  await waitVersion(8);
  check((await rowOf("Xa AB")) !== null, "the rename undone");

  await page.click("#save");
  await page.waitForFunction(() => document.getElementById("banner-text").textContent.startsWith("Đã lưu"), { timeout: 10000 });
  const saved = fs.readFileSync(path.join(scenario, "mapping.csv"), "utf8");
  check(/^00002,00003,/m.test(saved), "the saved mapping puts 00002 in 00003:\n" + saved);
  check(fs.existsSync(path.join(scenario, "mapping.previous.csv")), "the previous mapping is kept");
  await page.screenshot({ path: path.join(work, "4-saved.png") });

  // Compare with the plan as loaded: A, B, C and D all have other partners now.
  await page.select("#compare", "loaded");
  await page.waitForFunction(() => document.getElementById("banner-text").textContent.includes("4 đơn vị cũ đổi nhóm"), { timeout: 10000 });
  await page.screenshot({ path: path.join(work, "5-compared.png") });
  await page.select("#compare", "");

  // A loop drawn around C selects it.
  await page.click("#clear").catch(() => null);
  await page.click("#lasso");
  const c = await page.evaluate(() => window.amsimTest.pointOf("00003"));
  await page.mouse.move(c.x - 40, c.y - 40);
  await page.mouse.down();
  for (const [dx, dy] of [[40, -40], [40, 40], [-40, 40], [-40, -40]]) await page.mouse.move(c.x + dx, c.y + dy, { steps: 4 });
  await page.mouse.up();
  check((await page.$eval("#selection", (e) => e.textContent)) === "Đang chọn 1 đơn vị cũ: Xa C",
    "the lasso selects C: " + (await page.$eval("#selection", (e) => e.textContent)));

  // Propose from the page, to 2 units: answered with the proposal's figures.
  page.once("dialog", (d) => d.accept("2"));
  await page.click("#propose");
  await page.waitForFunction(() => document.getElementById("banner-text").textContent.startsWith("Đề xuất:"), { timeout: 20000 });
  check((await page.$eval("#count", (e) => e.textContent)) === "2", "the proposal has the 2 units asked for");

  // A new server on the saved scenario: the reloaded page shows the move.
  await stop(server.p);
  server = await serve();
  await page.goto(server.url, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready='1']", { timeout: 15000 });
  const assign = await page.evaluate(() => window.amsimTest.state().assign);
  check(JSON.stringify(assign) === JSON.stringify(["00001", "00003", "00003", "00003"]),
    "the move persisted after a restart: " + JSON.stringify(assign));
  check(!(await rowOf("Xa CD")).fail, "after the restart Xa CD passes");
  await stop(server.p);

  // Killed in the middle of a save: the mapping on disk is the one saved before.
  const killed = await serve({ AMSIM_FAULT: "serve-save" });
  const post = (p, body) => fetch(killed.url + p.slice(1), {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const moved = await post("/api/edit", { version: 1, province: "N1", op: "move", units: ["00002"], to: "00001" });
  check(moved.ok, "the edit before the kill is taken");
  const died = new Promise((resolve) => killed.p.once("exit", (code, signal) => resolve(signal)));
  await post("/api/save", { version: 2 }).catch(() => null);
  check((await died) === "SIGKILL", "the server was killed at the save");
  check(fs.readFileSync(path.join(scenario, "mapping.csv"), "utf8") === saved,
    "the mapping is intact after a kill during a save");
  const leftovers = fs.readdirSync(scenario).filter((f) => f.startsWith(".mapping.csv"));
  check(leftovers.length === 0, "a half-written mapping was left: " + leftovers);

  check(errors.length === 0, "console errors: " + errors.join("; "));
  console.log("editor browser test passed; screenshots in " + work);
} finally {
  await browser.close();
}
