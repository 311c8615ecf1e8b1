// Run _extra/lenet-draw/lenet.js under Node for tests/test_javascript.py.
//   node run_lenet.js predict MODEL.json IMAGES.json   -> JSON list of probability lists
//   node run_lenet.js center IMAGES.json               -> JSON list of 28x28 digits
//   node run_lenet.js verdict INKS.json PROBS.json [CHECKS.json] -> JSON list of {box, verdict} (the "not sure"
//                                                        rule; CHECKS: per ink {probability, threshold} or null)
const fs = require("fs");
const path = require("path");
const LeNet = require(path.join(__dirname, "..", "..", "_extra", "lenet-draw", "lenet.js"));

const [command, ...files] = process.argv.slice(2);
const read = (file) => JSON.parse(fs.readFileSync(file, "utf8"));
if (command === "predict") {
  const model = read(files[0]);
  const images = read(files[1]);
  process.stdout.write(JSON.stringify(images.map((image) => LeNet.predict(model, image).probabilities)));
} else if (command === "center") {
  process.stdout.write(JSON.stringify(read(files[0]).map((ink) => LeNet.centerDigit(ink))));
} else if (command === "verdict") {
  const probabilities = read(files[1]);
  const checks = files[2] ? read(files[2]) : [];
  process.stdout.write(JSON.stringify(read(files[0]).map((ink, i) => {
    const box = LeNet.inkBox(ink);
    return { box, verdict: LeNet.verdict(box, probabilities[i], checks[i] || null) };
  })));
} else {
  console.error("usage: node run_lenet.js predict MODEL.json IMAGES.json | center IMAGES.json | verdict INKS.json PROBS.json [CHECKS.json]");
  process.exit(2);
}
