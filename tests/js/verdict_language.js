// Which language do an exercise check's stored verdicts show on a book page?  (tests/test_browser.py)
//   node verdict_language.js URL
// Prints JSON: one entry per verdict, {"shown": [lang of each span the page's CSS displays],
// "text": the shown span's text} (computed styles: the solutions may still be folded).
const { chromium } = require("playwright-core");

(async () => {
  const url = process.argv[2];
  const base = new URL(url).origin + "/";
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage();
    await page.route(() => true, (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));
    await page.goto(url, { waitUntil: "load" });
    const verdicts = await page.evaluate(() => [...document.querySelectorAll(".lenet-verdict")].map((verdict) => {
      const shown = [...verdict.querySelectorAll("span[lang]")].filter((span) => getComputedStyle(span).display !== "none");
      return { shown: shown.map((span) => span.lang), text: shown.map((span) => span.textContent).join("") };
    }));
    console.log(JSON.stringify(verdicts));
  } finally {
    await browser.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
