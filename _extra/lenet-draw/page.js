/* The "Draw a digit" page: a canvas, the 28x28 image the network sees, its two
 * best guesses and each layer's feature maps.  Runs entirely in the browser with
 * lenet.js and the weights in lenet_model.js (window.LENET_MODEL). */
(function () {
  "use strict";
  const canvas = document.getElementById("lenet-canvas");
  if (!canvas) return;  // not the drawing page
  const status = document.getElementById("lenet-status");
  if (!window.LENET_MODEL || !window.LeNet) {
    status.textContent = "The network's weights are missing: build the book with `bash course.sh book`.";
    return;
  }
  const model = window.LENET_MODEL;
  const pen = canvas.getContext("2d");
  const preview = document.getElementById("lenet-input").getContext("2d");
  const maps = document.getElementById("lenet-maps");
  const toggles = document.getElementById("lenet-layers");
  const shown = new Set();
  let last = null;

  function clear() {
    pen.fillStyle = "black";
    pen.fillRect(0, 0, canvas.width, canvas.height);
    preview.fillStyle = "black";
    preview.fillRect(0, 0, 112, 112);
    document.getElementById("lenet-first").textContent = "–";
    document.getElementById("lenet-second").textContent = "–";
    maps.innerHTML = "";
    last = null;
    status.textContent = "Draw a digit in the black square.";
  }

  // --- drawing with mouse, pen or finger (pointer events) ---
  let drawing = false, previous = null;
  function point(event) {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height];
  }
  canvas.addEventListener("pointerdown", (event) => {
    drawing = true; previous = point(event); canvas.setPointerCapture(event.pointerId); event.preventDefault();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    const here = point(event);
    pen.strokeStyle = "white"; pen.lineWidth = 18; pen.lineCap = "round"; pen.lineJoin = "round";
    pen.beginPath(); pen.moveTo(...previous); pen.lineTo(...here); pen.stroke();
    previous = here; event.preventDefault();
  });
  const finish = () => { if (drawing) { drawing = false; recognise(); } };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  document.getElementById("lenet-clear").addEventListener("click", clear);

  // --- what the network sees, and what it says ---
  function recognise() {
    const pixels = pen.getImageData(0, 0, canvas.width, canvas.height).data;
    const ink = [];
    for (let y = 0; y < canvas.height; y++) {
      const row = new Float64Array(canvas.width);
      for (let x = 0; x < canvas.width; x++) row[x] = pixels[(y * canvas.width + x) * 4] / 255;
      ink.push(row);
    }
    const digit = window.LeNet.centerDigit(ink);
    if (!digit) { clear(); return; }
    const image = preview.createImageData(28, 28);
    digit.forEach((row, y) => row.forEach((v, x) => {
      const i = (y * 28 + x) * 4, g = Math.round(v * 255);
      image.data[i] = image.data[i + 1] = image.data[i + 2] = g; image.data[i + 3] = 255;
    }));
    const small = document.createElement("canvas"); small.width = small.height = 28;
    small.getContext("2d").putImageData(image, 0, 0);
    preview.imageSmoothingEnabled = false;
    preview.drawImage(small, 0, 0, 112, 112);
    last = window.LeNet.predict(model, digit);
    const ranked = last.probabilities.map((p, d) => [p, d]).sort((a, b) => b[0] - a[0]);
    const label = ([p, d]) => `${d} (${(100 * p).toFixed(1)} %)`;
    document.getElementById("lenet-first").textContent = label(ranked[0]);
    document.getElementById("lenet-second").textContent = label(ranked[1]);
    status.textContent = "Recognised. Draw again, or press Clear.";
    showMaps();
  }

  // --- each layer's feature maps, on request ---
  function mapCanvas(values, h, w, c, channel, scale) {
    let lo = Infinity, hi = -Infinity;
    for (let i = channel; i < values.length; i += c) { lo = Math.min(lo, values[i]); hi = Math.max(hi, values[i]); }
    const element = document.createElement("canvas");
    element.width = w * scale; element.height = h * scale; element.className = "lenet-map";
    const context = element.getContext("2d");
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const v = values[(y * w + x) * c + channel], g = Math.round(255 * (v - lo) / ((hi - lo) || 1));
      context.fillStyle = `rgb(${g},${g},${g})`; context.fillRect(x * scale, y * scale, scale, scale);
    }
    return element;
  }

  function showMaps() {
    maps.innerHTML = "";
    if (!last) return;
    for (const layer of last.activations) {
      if (!shown.has(layer.name)) continue;
      const block = document.createElement("div");
      block.className = "lenet-layer";
      const title = document.createElement("p");
      title.textContent = `${layer.name}: ${layer.h}×${layer.w}×${layer.c}`;
      block.appendChild(title);
      if (layer.h > 1) {
        for (let m = 0; m < layer.c; m++) block.appendChild(mapCanvas(layer.data, layer.h, layer.w, layer.c, m, Math.max(2, Math.floor(56 / layer.h))));
      } else {  // a vector: one row of cells
        block.appendChild(mapCanvas(layer.data, 1, layer.c, 1, 0, layer.c > 100 ? 4 : 8));
      }
      maps.appendChild(block);
    }
  }

  model.layers.forEach((layer) => {
    if (layer.type === "flatten") return;
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox"; box.value = layer.name;
    box.addEventListener("change", () => { if (box.checked) shown.add(layer.name); else shown.delete(layer.name); showMaps(); });
    label.append(box, ` ${layer.name} `);
    toggles.appendChild(label);
  });
  clear();
})();
