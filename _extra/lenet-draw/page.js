/* The "Draw a digit" page: a canvas, the 28x28 image the network sees, its guess
 * with the ten output probabilities as bars, and every layer's feature maps,
 * updated as you draw.  Runs entirely in the browser with lenet.js and the
 * weights in lenet_model.js (window.LENET_MODEL).  Layer names and shapes come
 * from the exported model, so a re-exported network is labelled right. */
(function () {
  "use strict";
  const canvas = document.getElementById("lenet-canvas");
  if (!canvas) return;  // not the drawing page
  const status = document.getElementById("lenet-status");
  if (!window.LENET_MODEL || !window.LeNet) {
    status.textContent = "The network's weights are missing: build the book with `bash course.sh book`.";
    return;
  }
  const LeNet = window.LeNet;
  const model = window.LENET_MODEL;
  const PEN_WIDTH = 18;                       // canvas pixels, about 2 of the 28x28 image
  const MAP_SIZE = 56;                        // CSS pixels a feature map is drawn at, about
  const VECTOR_COLUMNS = 20, VECTOR_CELL = 12; // a vector layer as a grid of cells
  // The page reads the drawing back after every stroke: ask for a CPU-side canvas.
  const pen = canvas.getContext("2d", { willReadFrequently: true });
  const seen = document.getElementById("lenet-input");
  const guess = document.getElementById("lenet-guess");
  const barsBox = document.getElementById("lenet-bars");
  const layersBox = document.getElementById("lenet-layers");

  // ---- what the page shows: built once from the model ----

  function shapeText(h, w, c) { return h > 1 || w > 1 ? `${c}@${h}×${w}` : `${c}`; }

  function describe(layer) {
    if (layer.type === "conv2d") {
      return `${layer.kernel_size}×${layer.kernel_size} convolution${layer.padding === "same" ? " (same padding)" : ""}, ${layer.activation}`;
    }
    if (layer.type.endsWith("pooling2d")) {
      return `${layer.pool_size}×${layer.pool_size} ${layer.type.startsWith("max") ? "max" : "average"} pooling`;
    }
    if (layer.type === "dense") return `fully connected, ${layer.activation}`;
    return layer.type;
  }

  // The shapes each layer gives, from a forward pass of an empty image.
  const empty = new Float64Array(model.input_shape.reduce((a, b) => a * b, 1));
  const shapes = LeNet.predict(model, empty).activations;
  const outputLayer = model.layers[model.layers.length - 1];
  const outputShape = shapes[shapes.length - 1];

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // The ten bars: the output layer's probabilities.
  document.getElementById("lenet-output-title").textContent =
    `${outputLayer.name} · ${shapeText(outputShape.h, outputShape.w, outputShape.c)} · ${outputLayer.activation === "softmax" ? "probabilities" : outputLayer.activation}`;
  const bars = [];
  for (let d = 0; d < outputShape.c; d++) {
    const row = element("div", "lenet-bar");
    row.dataset.digit = String(d);
    const fill = element("span", "lenet-bar-fill");
    const track = element("span", "lenet-bar-track");
    track.appendChild(fill);
    const value = element("span", "lenet-bar-value", "–");
    row.append(element("span", "lenet-bar-digit", String(d)), track, value);
    barsBox.appendChild(row);
    bars.push({ row, fill, value });
  }

  // One block per layer (the flatten step only reshapes, it has nothing to show).
  const blocks = [];
  model.layers.forEach((layer, index) => {
    if (layer.type === "flatten") return;
    const shape = shapes[index];
    const block = element("section", "lenet-layer");
    block.dataset.layer = layer.name;
    const head = element("div", "lenet-layer-head");
    const title = element("span", "lenet-layer-title");
    title.append(element("strong", "", `${layer.name} ${shapeText(shape.h, shape.w, shape.c)}`),
                 ` · ${describe(layer)}`);
    const scale = element("span", "lenet-scale");
    const low = element("span", "lenet-scale-low", "–"), high = element("span", "lenet-scale-high", "–");
    scale.append(low, element("span", "lenet-scale-ramp"), high);
    head.append(title, scale);
    block.appendChild(head);
    const maps = element("div", "lenet-maps");
    const canvases = [];
    if (shape.h > 1 || shape.w > 1) {
      const zoom = Math.max(2, Math.floor(MAP_SIZE / shape.h));
      for (let m = 0; m < shape.c; m++) {
        const map = element("canvas", "lenet-map");
        map.width = shape.w; map.height = shape.h;
        map.style.width = `${shape.w * zoom}px`; map.style.height = `${shape.h * zoom}px`;
        map.title = `${layer.name}, map ${m + 1} of ${shape.c}`;
        maps.appendChild(map); canvases.push(map);
      }
    } else {  // a vector: a grid of cells, read left to right, top to bottom
      const columns = Math.min(VECTOR_COLUMNS, shape.c), rows = Math.ceil(shape.c / columns);
      const map = element("canvas", "lenet-map lenet-vector");
      map.width = columns; map.height = rows;
      map.style.width = `${columns * VECTOR_CELL}px`; map.style.height = `${rows * VECTOR_CELL}px`;
      map.title = `${layer.name}: ${shape.c} values, left to right, top to bottom`;
      maps.classList.add("lenet-column");
      maps.appendChild(map); canvases.push(map);
      if (layer === outputLayer) {  // the output's cells are the digits, as on the bars
        const digits = element("div", "lenet-vector-labels");
        digits.style.width = map.style.width;
        for (let d = 0; d < shape.c; d++) digits.appendChild(element("span", "", String(d)));
        maps.appendChild(digits);
      }
    }
    block.appendChild(maps);
    layersBox.appendChild(block);
    blocks.push({ index, block, canvases, low, high, vector: !(shape.h > 1 || shape.w > 1) });
  });

  // ---- drawing the numbers ----

  const format = (v) => (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(2) : v.toExponential(1));

  // Every map of a layer on one grey scale: black its lowest value, white its highest.
  function paintLayer(block, activation) {
    const { h, w, c, data } = activation;
    let lo = Infinity, hi = -Infinity;
    for (const v of data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const grey = (v) => Math.round(255 * (v - lo) / ((hi - lo) || 1));
    block.low.textContent = format(lo); block.high.textContent = format(hi);
    block.block.dataset.min = String(lo); block.block.dataset.max = String(hi);
    block.canvases.forEach((map, m) => {
      const context = map.getContext("2d");
      const image = context.createImageData(map.width, map.height);
      for (let p = 0; p < map.width * map.height; p++) {
        const inside = block.vector ? p < c : true;
        const g = inside ? grey(block.vector ? data[p] : data[p * c + m]) : 0;
        image.data.set([g, g, g, inside ? 255 : 0], p * 4);
      }
      context.putImageData(image, 0, 0);
    });
  }

  function blankLayers() {
    for (const block of blocks) {
      block.low.textContent = block.high.textContent = "–";
      delete block.block.dataset.min; delete block.block.dataset.max;
      for (const map of block.canvases) {
        const context = map.getContext("2d");
        context.fillStyle = "black"; context.fillRect(0, 0, map.width, map.height);
      }
    }
  }

  function showBars(probabilities, best) {
    bars.forEach((bar, d) => {
      const p = probabilities ? probabilities[d] : 0;
      bar.fill.style.width = `${100 * p}%`;
      bar.value.textContent = probabilities ? `${(100 * p).toFixed(1)} %` : "–";
      if (probabilities) bar.row.dataset.probability = String(p); else delete bar.row.dataset.probability;
      bar.row.classList.toggle("lenet-best", d === best);
    });
  }

  function showSeen(digit) {
    const context = seen.getContext("2d");
    const image = context.createImageData(28, 28);
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
      const g = digit ? Math.round(digit[y][x] * 255) : 0;
      image.data.set([g, g, g, 255], (y * 28 + x) * 4);
    }
    context.putImageData(image, 0, 0);
  }

  const percent = (p) => `${(100 * p).toFixed(1)} %`;
  function say(verdict) {
    guess.dataset.verdict = verdict.reason;
    if (verdict.reason === "empty") guess.textContent = "Not sure: nothing is drawn yet.";
    else if (verdict.reason === "small") guess.textContent = "Not sure: this is too small to be a digit. Draw it bigger.";
    else if (verdict.reason === "not a digit") guess.textContent = "Not sure: this does not look like a digit.";
    else if (verdict.reason === "doubtful") guess.textContent = `Not sure: perhaps ${verdict.digit === 8 ? "an" : "a"} ${verdict.digit} (${percent(verdict.probability)}).`;
    else guess.textContent = `It is ${verdict.digit === 8 ? "an" : "a"} ${verdict.digit} (${percent(verdict.probability)}).`;
  }

  // ---- reading the drawing ----

  function readInk() {
    const pixels = pen.getImageData(0, 0, canvas.width, canvas.height).data;
    const ink = [];
    for (let y = 0; y < canvas.height; y++) {
      const row = new Float64Array(canvas.width);
      for (let x = 0; x < canvas.width; x++) row[x] = pixels[(y * canvas.width + x) * 4] / 255;
      ink.push(row);
    }
    return ink;
  }

  function recognise() {
    const ink = readInk();
    const box = LeNet.inkBox(ink);
    if (!box) { showNothing(); return; }
    const digit = LeNet.centerDigit(ink);
    const result = LeNet.predict(model, digit);
    const check = model.check ? { probability: LeNet.notADigit(model, digit), threshold: model.check.threshold } : null;
    const verdict = LeNet.verdict(box, result.probabilities, check);
    showSeen(digit);
    showBars(result.probabilities, verdict.sure ? verdict.digit : -1);
    blocks.forEach((block) => paintLayer(block, result.activations[block.index]));
    say(verdict);
    barsBox.classList.toggle("lenet-unsure", !verdict.sure);
  }

  function showNothing() {
    showSeen(null);
    showBars(null, -1);
    blankLayers();
    say(LeNet.verdict(null, []));
    barsBox.classList.add("lenet-unsure");
  }

  function clear() {
    pen.fillStyle = "black";
    pen.fillRect(0, 0, canvas.width, canvas.height);
    showNothing();
  }

  // ---- drawing with mouse, pen or finger (pointer events) ----

  let stroke = null, pending = false;
  function point(event) {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height];
  }
  function later() {  // recognise at most once a frame while drawing
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; recognise(); });
  }
  canvas.addEventListener("pointerdown", (event) => {
    if (stroke || !event.isPrimary || event.button > 0) return;
    stroke = { id: event.pointerId, last: point(event) };
    canvas.setPointerCapture(event.pointerId);
    pen.fillStyle = "white";
    pen.beginPath(); pen.arc(...stroke.last, PEN_WIDTH / 2, 0, 2 * Math.PI); pen.fill();
    event.preventDefault();
    later();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!stroke || event.pointerId !== stroke.id) return;
    const coalesced = event.getCoalescedEvents ? event.getCoalescedEvents() : [];  // a pen's in-between points
    pen.strokeStyle = "white"; pen.lineWidth = PEN_WIDTH; pen.lineCap = "round"; pen.lineJoin = "round";
    pen.beginPath(); pen.moveTo(...stroke.last);
    for (const here of (coalesced.length ? coalesced : [event]).map(point)) { pen.lineTo(...here); stroke.last = here; }
    pen.stroke();
    event.preventDefault();
    later();
  });
  const finish = (event) => {
    if (!stroke || event.pointerId !== stroke.id) return;
    stroke = null;
    recognise();
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  document.getElementById("lenet-clear").addEventListener("click", clear);

  const rule = LeNet.NOT_SURE;
  document.getElementById("lenet-rule").textContent =
    `The page says “not sure” instead of naming a digit when nothing is drawn, when the drawing is less than ` +
    `a seventh of the square tall and wide (${rule.smallestSide} of its ${canvas.width} drawing pixels; a dot or a tick: ` +
    `MNIST's digits span 20 of their 28 pixels), when a second, smaller network, trained on digits and on ` +
    `marks that are not digits (stars, letters, scribbles, faces, …), calls it a mark, or when LeNet gives its ` +
    `best digit less than ${100 * rule.lowestProbability} %, that is, less than the nine others together. ` +
    `The photo reader of chapter 9 follows the same rule.`;
  status.textContent = "";
  clear();
})();
