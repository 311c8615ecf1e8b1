// End-to-end test of the book's "Draw a digit" page in Debian's Chromium.
//   node draw_e2e.js URL SCREENSHOT.png STROKES.json
// STROKES.json: a list of strokes, each a list of [x, y] points on the 280x280 canvas.
// Prints the page's first guess as JSON: {"first": "...", "second": "..."}.
const { chromium } = require("playwright-core");
const fs = require("fs");

(async () => {
  const [url, screenshot, strokesFile] = process.argv.slice(2);
  const strokes = JSON.parse(fs.readFileSync(strokesFile, "utf8"));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1100 } });
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(url);
    const canvas = page.locator("#lenet-canvas");
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    for (const stroke of strokes) {
      await page.mouse.move(box.x + stroke[0][0], box.y + stroke[0][1]);
      await page.mouse.down();
      for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + x, box.y + y, { steps: 8 });
      await page.mouse.up();
    }
    await page.waitForFunction(() => document.getElementById("lenet-first").textContent !== "–");
    await page.locator("#lenet-layers input").first().check();
    await page.locator("#lenet-draw").screenshot({ path: screenshot });
    const first = await page.locator("#lenet-first").textContent();
    const second = await page.locator("#lenet-second").textContent();
    process.stdout.write(JSON.stringify({ first, second, errors }));
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
