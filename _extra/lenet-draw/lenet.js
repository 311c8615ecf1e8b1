/* LeNet in the browser: the forward pass of a Keras model exported by
 * lenet_lib.export (format "lenet-course/1") and the MNIST-style preparation
 * of a drawing (lenet_lib.photo.center_digit), in plain JavaScript.
 *
 * Tensors are {h, w, c, data} with data a Float64Array in (row, column, channel)
 * order, as in Keras (channels last).  Works in a browser (window.LeNet) and
 * in Node (module.exports), with no dependencies.
 */
(function (root) {
  "use strict";

  const ACTIVATIONS = {
    linear: (x) => x,
    relu: (x) => (x > 0 ? x : 0),
    sigmoid: (x) => 1 / (1 + Math.exp(-x)),
    tanh: (x) => Math.tanh(x),
  };

  function activate(values, name) {
    if (name === "softmax") {
      let max = -Infinity;
      for (const v of values) max = Math.max(max, v);
      let sum = 0;
      for (let i = 0; i < values.length; i++) { values[i] = Math.exp(values[i] - max); sum += values[i]; }
      for (let i = 0; i < values.length; i++) values[i] /= sum;
      return values;
    }
    const f = ACTIVATIONS[name];
    if (!f) throw new Error("unsupported activation " + name);
    for (let i = 0; i < values.length; i++) values[i] = f(values[i]);
    return values;
  }

  // Output size and the padding added before (top/left), as Keras computes them.
  function geometry(n, k, stride, padding) {
    if (padding === "same") {
      const out = Math.ceil(n / stride);
      const total = Math.max((out - 1) * stride + k - n, 0);
      return { out, before: Math.floor(total / 2) };
    }
    return { out: Math.floor((n - k) / stride) + 1, before: 0 };
  }

  // Cross-correlation, as keras.layers.Conv2D: zeros outside the image.
  function conv2d(x, layer) {
    const k = layer.kernel_size, s = layer.strides, cout = layer.filters, cin = x.c;
    const gy = geometry(x.h, k, s, layer.padding), gx = geometry(x.w, k, s, layer.padding);
    const out = new Float64Array(gy.out * gx.out * cout);
    for (let i = 0; i < gy.out; i++) {
      for (let j = 0; j < gx.out; j++) {
        const o = (i * gx.out + j) * cout;
        for (let f = 0; f < cout; f++) out[o + f] = layer.bias[f];
        for (let di = 0; di < k; di++) {
          const y = i * s + di - gy.before;
          if (y < 0 || y >= x.h) continue;
          for (let dj = 0; dj < k; dj++) {
            const xx = j * s + dj - gx.before;
            if (xx < 0 || xx >= x.w) continue;
            for (let c = 0; c < cin; c++) {
              const v = x.data[(y * x.w + xx) * cin + c];
              const base = ((di * k + dj) * cin + c) * cout;
              for (let f = 0; f < cout; f++) out[o + f] += v * layer.kernel[base + f];
            }
          }
        }
      }
    }
    return { h: gy.out, w: gx.out, c: cout, data: activate(out, layer.activation) };
  }

  // Max or average pooling per channel; padded cells take no part (as in Keras).
  function pool2d(x, layer, isMax) {
    const k = layer.pool_size, s = layer.strides;
    const gy = geometry(x.h, k, s, layer.padding), gx = geometry(x.w, k, s, layer.padding);
    const out = new Float64Array(gy.out * gx.out * x.c);
    for (let i = 0; i < gy.out; i++) {
      for (let j = 0; j < gx.out; j++) {
        for (let c = 0; c < x.c; c++) {
          let acc = isMax ? -Infinity : 0, count = 0;
          for (let di = 0; di < k; di++) {
            const y = i * s + di - gy.before;
            if (y < 0 || y >= x.h) continue;
            for (let dj = 0; dj < k; dj++) {
              const xx = j * s + dj - gx.before;
              if (xx < 0 || xx >= x.w) continue;
              const v = x.data[(y * x.w + xx) * x.c + c];
              if (isMax) acc = Math.max(acc, v); else acc += v;
              count++;
            }
          }
          out[(i * gx.out + j) * x.c + c] = isMax ? acc : acc / count;
        }
      }
    }
    return { h: gy.out, w: gx.out, c: x.c, data: out };
  }

  function dense(x, layer) {
    const n = x.data.length, units = layer.units;
    const out = Float64Array.from(layer.bias);
    for (let i = 0; i < n; i++) {
      const v = x.data[i];
      if (v === 0) continue;
      const row = i * units;
      for (let u = 0; u < units; u++) out[u] += v * layer.kernel[row + u];
    }
    return { h: 1, w: 1, c: units, data: activate(out, layer.activation) };
  }

  /* Run the model on one image (Float64Array of h*w*c values, or a nested array).
   * Returns {probabilities, activations: [{name, type, h, w, c, data}, ...]}. */
  function predict(model, image) {
    if (model.format !== "lenet-course/1") throw new Error("unknown model format " + model.format);
    const [h, w, c] = model.input_shape;
    const data = Float64Array.from(image.flat ? image.flat(Infinity) : image);
    if (data.length !== h * w * c) throw new Error(`expected ${h * w * c} input values, got ${data.length}`);
    let x = { h, w, c, data };
    const activations = [];
    for (const layer of model.layers) {
      if (layer.type === "conv2d") x = conv2d(x, layer);
      else if (layer.type === "max_pooling2d") x = pool2d(x, layer, true);
      else if (layer.type === "average_pooling2d") x = pool2d(x, layer, false);
      else if (layer.type === "flatten") x = { h: 1, w: 1, c: x.data.length, data: x.data };
      else if (layer.type === "dense") x = dense(x, layer);
      else throw new Error("unsupported layer type " + layer.type);
      activations.push({ name: layer.name, type: layer.type, h: x.h, w: x.w, c: x.c, data: x.data });
    }
    return { probabilities: Array.from(x.data), activations };
  }

  // ---- preparing a drawing: crop, fit 20x20 keeping the aspect, centre of mass ----

  function overlaps(nIn, nOut) {           // (nOut x nIn) area weights, rows sum to 1
    const step = nIn / nOut, m = [];
    for (let o = 0; o < nOut; o++) {
      const row = new Float64Array(nIn), start = o * step;
      for (let p = 0; p < nIn; p++) {
        const overlap = Math.min(start + step, p + 1) - Math.max(start, p);
        row[p] = overlap > 0 ? overlap / step : 0;
      }
      m.push(row);
    }
    return m;
  }

  /* Area resize of an (h x w) array (array of rows) to (height x width), as
   * lenet_lib.photo.area_resize: each output pixel averages the area it covers. */
  function areaResize(rows, height, width) {
    const h = rows.length, w = rows[0].length;
    const ay = overlaps(h, height), ax = overlaps(w, width);
    const tmp = ay.map((weights) => {               // (height x w)
      const r = new Float64Array(w);
      for (let p = 0; p < h; p++) if (weights[p]) for (let q = 0; q < w; q++) r[q] += weights[p] * rows[p][q];
      return r;
    });
    return tmp.map((r) => ax.map((weights) => {
      let v = 0;
      for (let q = 0; q < w; q++) if (weights[q]) v += weights[q] * r[q];
      return v;
    }));
  }

  function shiftRows(rows, d) {
    const whole = Math.floor(d), fraction = d - whole, n = rows.length;
    return rows.map((_, k) => {
      const out = new Float64Array(rows[0].length);
      for (const [offset, weight] of [[whole, 1 - fraction], [whole + 1, fraction]]) {
        const source = k - offset;
        if (weight && source >= 0 && source < n) for (let q = 0; q < out.length; q++) out[q] += weight * rows[source][q];
      }
      return out;
    });
  }

  function transpose(rows) {
    return Array.from(rows[0], (_, j) => Float64Array.from(rows, (r) => r[j]));
  }

  /* Bilinear shift by (dy, dx) with zeros coming in, as lenet_lib.photo.shift_image. */
  function shiftImage(rows, dy, dx) {
    return transpose(shiftRows(transpose(shiftRows(rows, dy)), dx));
  }

  /* The smallest box holding every inked pixel (value > 0) of an array of rows:
   * {top, left, height, width}, or null when nothing is inked. */
  function inkBox(ink) {
    let top = -1, bottom = -1, left = Infinity, right = -1;
    ink.forEach((row, i) => row.forEach((v, j) => {
      if (v > 0) { if (top < 0) top = i; bottom = i; left = Math.min(left, j); right = Math.max(right, j); }
    }));
    return top < 0 ? null : { top, left, height: bottom - top + 1, width: right - left + 1 };
  }

  /* When the page says "not sure" instead of naming a digit.  A drawing whose ink
   * fits in a square of `smallestSide` canvas pixels (40 of the 280: a seventh of the
   * side, 4 pixels of a 28x28 image) is a dot or a scribble, too small to be a digit:
   * MNIST's digits span 20 of 28 pixels.  Below `lowestProbability` (one half) the
   * network gives the nine other digits together more weight than its best one.
   * The same rule as lenet_lib.reading.verdict. */
  const NOT_SURE = Object.freeze({ smallestSide: 40, lowestProbability: 0.5 });

  /* The digit check's probability that a 28x28 digit is not a digit at all (the model file's
   * `check`, the network lenet_lib.models.build_digit_check trains), or null without a check. */
  function notADigit(model, digit) {
    return model.check ? predict(model.check, digit).probabilities[0] : null;
  }

  /* What to say about a drawing: {sure, reason, digit, probability}.  `box` is
   * inkBox's answer, `probabilities` the network's ten (ignored without ink),
   * `check` {probability, threshold}: the digit check's "not a digit" probability and the
   * threshold above which it calls the drawing a mark (null: no check).
   * reason: "empty" | "small" | "not a digit" | "doubtful" | "sure". */
  function verdict(box, probabilities, check = null, rule = NOT_SURE) {
    if (!box) return { sure: false, reason: "empty", digit: null, probability: null };
    let digit = 0;
    probabilities.forEach((p, d) => { if (p > probabilities[digit]) digit = d; });
    const probability = probabilities[digit];
    let reason = "sure";
    if (Math.max(box.height, box.width) < rule.smallestSide) reason = "small";
    else if (check && check.probability > check.threshold) reason = "not a digit";
    else if (probability < rule.lowestProbability) reason = "doubtful";
    return { sure: reason === "sure", reason, digit, probability };
  }

  /* A light-on-dark ink image (array of rows, values 0..1) -> 28x28 MNIST-style
   * digit (array of 28 rows), or null if there is no ink.  The same steps as
   * lenet_lib.photo.center_digit. */
  function centerDigit(ink) {
    const box = inkBox(ink);
    if (!box) return null;
    const crop = ink.slice(box.top, box.top + box.height)
      .map((row) => Float64Array.from(row.slice(box.left, box.left + box.width), (v) => Math.min(Math.max(v, 0), 1)));
    const scale = 20 / Math.max(crop.length, crop[0].length);
    const round = (v) => { const r = Math.round(v); return Math.abs(v % 1) === 0.5 && r % 2 ? r - 1 : r; }; // like Python's round
    const height = Math.max(1, round(crop.length * scale)), width = Math.max(1, round(crop[0].length * scale));
    const small = areaResize(crop, height, width);
    const field = Array.from({ length: 28 }, () => new Float64Array(28));
    const y0 = Math.floor((28 - height) / 2), x0 = Math.floor((28 - width) / 2);
    let total = 0, cy = 0, cx = 0;
    small.forEach((row, i) => row.forEach((v, j) => { field[y0 + i][x0 + j] = v; }));
    field.forEach((row, i) => row.forEach((v, j) => { total += v; cy += i * v; cx += j * v; }));
    const shifted = shiftImage(field, 13.5 - cy / total, 13.5 - cx / total);
    return shifted.map((row) => Array.from(row, (v) => Math.min(Math.max(v, 0), 1)));
  }

  const api = { predict, centerDigit, inkBox, verdict, notADigit, NOT_SURE, areaResize, shiftImage };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.LeNet = api;
})(typeof window !== "undefined" ? window : this);
