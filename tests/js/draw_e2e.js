// End-to-end driver for the book's pages in Debian's Chromium (tests/test_browser.py).
//   node draw_e2e.js URL SCENARIO.json
// SCENARIO.json:
//   {"viewport": {"width": 1280, "height": 900}, "mobile": false,
//    "screenshot": "PATH.png" or null, "fullPage": false,
//    "steps": [{"draw": STROKES, "input": "mouse"|"pen"|"touch"}, {"clear": true},
//              {"scrollTo": "#lenet-canvas"}, {"snapshot": "NAME", "ink": true}]}
// STROKES: a list of strokes, each a list of [x, y] points on the 280x280 canvas.
// Prints JSON: {"snapshots": {NAME: state}, "console": [...], "external": [...]}, where
// "console" holds every console error and warning, page error and failed request,
// and "external" every request that left the book (answered with an empty body: no network).
// A page without the drawing widget gets only the console and the requests.
const { chromium } = require("playwright-core");
const fs = require("fs");

// The page's state as a reader sees it (text, bar widths, map pixels, geometry).
function pageState(withInk) {
  const text = (selector) => document.querySelector(selector).textContent;
  const box = (element) => { const r = element.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; };
  const hash = (s) => { let h = 0; for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0; return h; };
  const guess = document.getElementById("lenet-guess");
  const barRows = [...document.querySelectorAll("#lenet-bars .lenet-bar")].map((row) => ({
    digit: row.dataset.digit, probability: row.dataset.probability ?? null,
    text: row.querySelector(".lenet-bar-value").textContent,
    fraction: row.querySelector(".lenet-bar-fill").getBoundingClientRect().width /
              row.querySelector(".lenet-bar-track").getBoundingClientRect().width,
    best: row.classList.contains("lenet-best"),
  }));
  const layers = [...document.querySelectorAll("#lenet-layers .lenet-layer")].map((block) => {
    const maps = [...block.querySelectorAll("canvas.lenet-map")];
    return {
      name: block.dataset.layer, title: block.querySelector(".lenet-layer-title").textContent,
      min: block.dataset.min ?? null, max: block.dataset.max ?? null,
      scale: [block.querySelector(".lenet-scale-low").textContent, block.querySelector(".lenet-scale-high").textContent],
      maps: maps.length, signature: hash(maps.map((m) => m.toDataURL()).join()),
      visible: maps.every((m) => m.getBoundingClientRect().width > 0 && getComputedStyle(m).visibility === "visible"),
    };
  });
  const canvas = document.getElementById("lenet-canvas");
  let ink = null;
  if (withInk) {
    const pixels = canvas.getContext("2d", { willReadFrequently: true }).getImageData(0, 0, canvas.width, canvas.height).data;
    ink = [];
    for (let y = 0; y < canvas.height; y++) {
      const row = [];
      for (let x = 0; x < canvas.width; x++) row.push(pixels[(y * canvas.width + x) * 4] / 255);
      ink.push(row);
    }
  }
  // In view: inside the window and not under anything (the theme's sticky header), at
  // its four corners and its centre.
  const inView = (element) => {
    const r = element.getBoundingClientRect();
    const points = [[r.left + 2, r.top + 2], [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2],
                    [r.right - 2, r.bottom - 2], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]];
    return points.every(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== null && (hit === element || element.contains(hit));
    });
  };
  const bars = document.getElementById("lenet-bars");
  return {
    guess: guess.textContent, verdict: guess.dataset.verdict, rule: text("#lenet-rule"),
    outputTitle: text("#lenet-output-title"), bars: barRows, layers, ink,
    geometry: {
      innerWidth: window.innerWidth, innerHeight: window.innerHeight, scrollY: window.scrollY,
      scrollWidth: document.documentElement.scrollWidth,
      canvas: box(canvas), guess: box(guess), bars: box(bars),
      inView: { canvas: inView(canvas), guess: inView(guess), bars: inView(bars) },
    },
  };
}

async function drawStrokes(page, client, strokes, input) {
  const canvas = page.locator("#lenet-canvas");
  const box = await canvas.boundingBox();
  const at = ([x, y]) => ({ x: box.x + x * box.width / 280, y: box.y + y * box.height / 280 });
  const path = (stroke) => {  // in-between points, as a real pointer reports them
    const points = [stroke[0]];
    for (let i = 1; i < stroke.length; i++) {
      for (let s = 1; s <= 8; s++) {
        points.push([stroke[i - 1][0] + (stroke[i][0] - stroke[i - 1][0]) * s / 8,
                     stroke[i - 1][1] + (stroke[i][1] - stroke[i - 1][1]) * s / 8]);
      }
    }
    return points.map(at);
  };
  for (const stroke of strokes) {
    const points = path(stroke);
    if (input === "mouse") {
      await page.mouse.move(points[0].x, points[0].y);
      await page.mouse.down();
      for (const p of points.slice(1)) await page.mouse.move(p.x, p.y);
      await page.mouse.up();
    } else if (input === "touch") {
      await client.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [points[0]] });
      for (const p of points.slice(1)) await client.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [p] });
      await client.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    } else if (input === "pen") {
      const pen = (type, p, buttons) => client.send("Input.dispatchMouseEvent",
        { type, x: p.x, y: p.y, button: "left", buttons, clickCount: 1, pointerType: "pen", force: 0.5 });
      await pen("mousePressed", points[0], 1);
      for (const p of points.slice(1)) await pen("mouseMoved", p, 1);
      await pen("mouseReleased", points[points.length - 1], 0);
    } else {
      throw new Error("unknown input " + input);
    }
  }
  // the page recognises on pointerup; let it paint
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

(async () => {
  const [url, scenarioFile] = process.argv.slice(2);
  const scenario = JSON.parse(fs.readFileSync(scenarioFile, "utf8"));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const context = await browser.newContext({
      viewport: scenario.viewport || { width: 1280, height: 900 },
      isMobile: Boolean(scenario.mobile), hasTouch: Boolean(scenario.mobile),
      deviceScaleFactor: scenario.mobile ? 3 : 1,
    });
    const page = await context.newPage();
    const client = await context.newCDPSession(page);
    const consoleMessages = [], external = [];
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") consoleMessages.push(`${m.type()}: ${m.text()}`); });
    page.on("pageerror", (error) => consoleMessages.push(`pageerror: ${error}`));
    page.on("requestfailed", (r) => consoleMessages.push(`requestfailed: ${r.url()} ${r.failure() && r.failure().errorText}`));
    page.on("response", (r) => { if (r.status() >= 400) consoleMessages.push(`HTTP ${r.status()}: ${r.url()}`); });
    const book = new URL(url);
    const inBook = (address) => (book.protocol === "file:" ? address.startsWith("file:")
                                                           : new URL(address).origin === book.origin) || address.startsWith("data:");
    await page.route(() => true, (route) => {
      if (inBook(route.request().url())) return route.continue();
      external.push(route.request().url());
      return route.fulfill({ status: 200, body: "" });
    });
    await page.goto(url, { waitUntil: "load" });
    const snapshots = {};
    const widget = await page.locator("#lenet-canvas").count();
    for (const step of widget ? scenario.steps || [] : []) {
      if (step.scrollTo) {
        await page.evaluate((selector) => {  // to the top of the window, just below the theme's sticky header
          const element = document.querySelector(selector);
          element.scrollIntoView({ block: "start" });
          for (let i = 0; i < 100; i++) {
            const r = element.getBoundingClientRect();
            const hit = document.elementFromPoint((r.left + r.right) / 2, r.top + 2);
            if (hit === element || element.contains(hit)) break;
            window.scrollBy(0, -4);
          }
        }, step.scrollTo);
      } else if (step.draw) {
        await drawStrokes(page, client, step.draw, step.input || "mouse");
      } else if (step.clear) {
        await page.locator("#lenet-clear").click();
      } else if (step.snapshot) {
        snapshots[step.snapshot] = await page.evaluate(pageState, Boolean(step.ink));
      }
    }
    if (scenario.screenshot) await page.screenshot({ path: scenario.screenshot, fullPage: Boolean(scenario.fullPage) });
    await page.waitForTimeout(300);  // late console messages
    process.stdout.write(JSON.stringify({ snapshots, console: consoleMessages, external }));
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
