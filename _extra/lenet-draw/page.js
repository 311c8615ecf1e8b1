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
  // Every text the page writes, in the book's two languages (the Chinese edition's pages
  // are <html lang="zh-CN">); numbers come from the model and the rule, never from here.
  const article = (d) => (d === 8 ? "an" : "a");
  const TEXTS = {
    en: {
      missing: "The network's weights are missing: build the book with `bash course.sh book`.",
      canvas: "Draw a digit here", clear: "Clear", sees: "It sees (28×28):",
      convolution: (k, same, activation) => `${k}×${k} convolution${same ? " (same padding)" : ""}, ${activation}`,
      pooling: (k, max) => `${k}×${k} ${max ? "max" : "average"} pooling`,
      dense: (activation) => `fully connected, ${activation}`,
      probabilities: "probabilities",
      percent: (p) => `${(100 * p).toFixed(1)} %`,
      map: (name, m, c) => `${name}, map ${m} of ${c}`,
      vector: (name, c) => `${name}: ${c} values, left to right, top to bottom`,
      empty: "Not sure: nothing is drawn yet.",
      small: "Not sure: this is too small to be a digit. Draw it bigger.",
      notADigit: "Not sure: this does not look like a digit.",
      doubtful: (d, p) => `Not sure: perhaps ${article(d)} ${d} (${p}).`,
      sure: (d, p) => `It is ${article(d)} ${d} (${p}).`,
      rule: (smallest, width, lowest) =>
        `The page says “not sure” instead of naming a digit when nothing is drawn, when the drawing is less than ` +
        `a seventh of the square tall and wide (${smallest} of its ${width} drawing pixels; a dot or a tick: ` +
        `MNIST's digits span 20 of their 28 pixels), when a second network, the digit check, trained on digits and on ` +
        `marks that are not digits (stars, letters, scribbles, faces, …), calls it a mark, or when LeNet gives its ` +
        `best digit less than ${lowest} %, that is, less than the nine others together. ` +
        `The photo reader of chapter 9 follows the same rule.`,
    },
    zh: {
      missing: "缺少网络的权重：请用 `bash course.sh book` 构建本书。",
      canvas: "在这里画一个数字", clear: "清除", sees: "网络看到的（28×28）：",
      convolution: (k, same, activation) => `${k}×${k} 卷积${same ? "（same 填充）" : ""}，${activation}`,
      pooling: (k, max) => `${k}×${k} ${max ? "最大" : "平均"}池化`,
      dense: (activation) => `全连接，${activation}`,
      probabilities: "概率",
      percent: (p) => `${(100 * p).toFixed(1)}%`,
      map: (name, m, c) => `${name}，第 ${m} 张特征图（共 ${c} 张）`,
      vector: (name, c) => `${name}：${c} 个值，从左到右、从上到下排列`,
      empty: "不确定：还什么都没有画。",
      small: "不确定：画得太小，不像一个数字。请画大一些。",
      notADigit: "不确定：这看起来不像一个数字。",
      doubtful: (d, p) => `不确定：也许是 ${d}（${p}）。`,
      sure: (d, p) => `这是 ${d}（${p}）。`,
      rule: (smallest, width, lowest) =>
        `在这些情况下，页面不说出数字，而是说“不确定”：还什么都没有画；画得太小，高和宽都不到方框的七分之一` +
        `（不到画布 ${width} 像素中的 ${smallest} 像素，比如一个点或一个勾；而 MNIST 的数字占满 28 像素中的 20 像素）；` +
        `第二个网络（数字检查网络）判断它不是数字（这个网络用数字和各种非数字的笔迹训练过：星形、字母、涂鸦、人脸等）；` +
        `或者 LeNet 给出的最高概率低于 ${lowest}%，也就是低于其余九个数字的概率之和。` +
        `第 9 章的照片读取程序遵循同一条规则。`,
    },
  };
  const T = TEXTS[(document.documentElement.lang || "en").startsWith("zh") ? "zh" : "en"];
  if (!window.LENET_MODEL || !window.LeNet) {
    status.textContent = T.missing;
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
    if (layer.type === "conv2d") return T.convolution(layer.kernel_size, layer.padding === "same", layer.activation);
    if (layer.type.endsWith("pooling2d")) return T.pooling(layer.pool_size, layer.type.startsWith("max"));
    if (layer.type === "dense") return T.dense(layer.activation);
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
    `${outputLayer.name} · ${shapeText(outputShape.h, outputShape.w, outputShape.c)} · ${outputLayer.activation === "softmax" ? T.probabilities : outputLayer.activation}`;
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
        map.title = T.map(layer.name, m + 1, shape.c);
        maps.appendChild(map); canvases.push(map);
      }
    } else {  // a vector: a grid of cells, read left to right, top to bottom
      const columns = Math.min(VECTOR_COLUMNS, shape.c), rows = Math.ceil(shape.c / columns);
      const map = element("canvas", "lenet-map lenet-vector");
      map.width = columns; map.height = rows;
      map.style.width = `${columns * VECTOR_CELL}px`; map.style.height = `${rows * VECTOR_CELL}px`;
      map.title = T.vector(layer.name, shape.c);
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
      bar.value.textContent = probabilities ? T.percent(p) : "–";
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

  function say(verdict) {
    guess.dataset.verdict = verdict.reason;
    if (verdict.reason === "empty") guess.textContent = T.empty;
    else if (verdict.reason === "small") guess.textContent = T.small;
    else if (verdict.reason === "not a digit") guess.textContent = T.notADigit;
    else if (verdict.reason === "doubtful") guess.textContent = T.doubtful(verdict.digit, T.percent(verdict.probability));
    else guess.textContent = T.sure(verdict.digit, T.percent(verdict.probability));
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
    T.rule(rule.smallestSide, canvas.width, 100 * rule.lowestProbability);
  canvas.setAttribute("aria-label", T.canvas);
  document.getElementById("lenet-clear").textContent = T.clear;
  document.getElementById("lenet-sees").textContent = T.sees;
  status.textContent = "";
  clear();
})();
