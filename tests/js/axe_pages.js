// Accessibility of the built book's pages, checked by axe-core (tests/test_browser.py).
//   node axe_pages.js WIDTH URL...
// Opens each page at WIDTH CSS pixels, offline but for the book itself, waits for MathJax, runs
// axe-core (WCAG 2.x A and AA rules) and prints JSON: {URL: [{id, impact, help, nodes: [{target, html}]}]}.
const path = require("path");
const { chromium } = require("playwright-core");

const AXE = require.resolve("axe-core/axe.min.js");

(async () => {
  const [width, ...urls] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const report = {};
  try {
    const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
    for (const url of urls) {
      const base = new URL(url).origin + "/";
      await page.unroute("**/*").catch(() => null);
      await page.route(() => true, (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));
      await page.goto(url, { waitUntil: "load" });
      await page.waitForFunction(
        () => !window.MathJax || !window.MathJax.startup || window.MathJax.startup.promise, null, { timeout: 20000 })
        .then(() => page.evaluate(() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise))
        .catch(() => null);
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        return result.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 200) })),
        }));
      });
      report[url] = violations;
    }
    process.stdout.write(JSON.stringify(report));
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
