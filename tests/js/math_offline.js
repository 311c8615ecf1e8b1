// Does a book page typeset its formulas with no network?  (tests/test_browser.py)
//   node math_offline.js URL
// Every request that leaves the book is aborted.  Prints JSON: {"external": [URLs asked for],
// "typeset": number of MathJax-rendered formulas, "raw": number of TeX delimiters left in the text}.
const { chromium } = require("playwright-core");

(async () => {
  const url = process.argv[2];
  const base = new URL(url).origin + "/";
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    const external = [];
    await page.route(() => true, (route) => {
      const asked = route.request().url();
      if (asked.startsWith(base)) return route.continue();
      external.push(asked);
      return route.abort();
    });
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(
      () => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise, null, { timeout: 20000 })
      .then(() => page.evaluate(() => window.MathJax.startup.promise)).catch(() => null);
    const result = await page.evaluate(() => ({
      typeset: document.querySelectorAll("mjx-container").length,
      raw: (document.querySelector("main, article, body").innerText.match(/\\\(|\\\[/g) || []).length,
    }));
    process.stdout.write(JSON.stringify({ external, ...result }));
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
