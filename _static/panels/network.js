/* network.js: the forward pass of the book's networks, in the page.
 *
 * The build writes each network's layers and weights (see _ext/panels.py) into
 * window.imagerecPanels.networks[name]. This file computes what Keras's model.predict
 * computes for them: Rescaling, Conv2D (stride 1), MaxPooling2D, Dense, with ReLU,
 * sigmoid or softmax; Reshape, Flatten and Dropout change nothing at prediction time.
 * A tensor is a flat Float64Array in (height, width, channels) order, as in Keras.
 * Arithmetic is in float64 on float32 weights, so the results differ from Keras's
 * float32 ones by rounding only (about 1e-6).
 *
 * Written by hand on purpose, not taken from a library (TensorFlow.js, ONNX Runtime Web):
 * the pages work offline and load no framework of megabytes for a few small layers, this
 * file is short enough to read beside the lessons, and tests/test_panels.py checks that
 * for 100 MNIST test digits its probabilities equal those of Keras's model.predict for
 * the book's trained networks (to 1e-4).
 */
(function () {
  "use strict";
  var panels = (window.imagerecPanels = window.imagerecPanels || {});

  // base64 of little-endian float32 values -> Float32Array
  function decodeFloats(text) {
    var bytes = atob(text);
    var view = new DataView(new ArrayBuffer(bytes.length));
    for (var i = 0; i < bytes.length; i++) view.setUint8(i, bytes.charCodeAt(i));
    var values = new Float32Array(bytes.length / 4);
    for (var j = 0; j < values.length; j++) values[j] = view.getFloat32(4 * j, true);
    return values;
  }

  function activate(values, name) {
    if (name === "relu") {
      for (var i = 0; i < values.length; i++) if (values[i] < 0) values[i] = 0;
    } else if (name === "sigmoid") {
      for (var j = 0; j < values.length; j++) values[j] = 1 / (1 + Math.exp(-values[j]));
    } else if (name === "softmax") {
      return softmax(values);
    }
    return values;
  }

  // Probabilities from logits; the largest logit is subtracted first, so exp cannot overflow.
  function softmax(logits) {
    var top = Math.max.apply(null, logits), total = 0;
    var out = new Float64Array(logits.length);
    for (var i = 0; i < logits.length; i++) total += (out[i] = Math.exp(logits[i] - top));
    for (var j = 0; j < out.length; j++) out[j] /= total;
    return out;
  }

  // Cross-correlation of an (h, w, c) tensor with a (kh, kw, c, filters) kernel, stride 1.
  function conv2d(x, shape, layer) {
    var h = shape[0], w = shape[1], c = shape[2];
    var kh = layer.size[0], kw = layer.size[1], f = layer.filters;
    var same = layer.padding === "same";
    var top = same ? Math.floor((kh - 1) / 2) : 0, left = same ? Math.floor((kw - 1) / 2) : 0;
    var oh = same ? h : h - kh + 1, ow = same ? w : w - kw + 1;
    var out = new Float64Array(oh * ow * f);
    for (var y = 0; y < oh; y++) {
      for (var x0 = 0; x0 < ow; x0++) {
        for (var k = 0; k < f; k++) {
          var sum = layer.biasValues[k];
          for (var m = 0; m < kh; m++) {
            var sy = y + m - top;
            if (sy < 0 || sy >= h) continue; // zero padding
            for (var n = 0; n < kw; n++) {
              var sx = x0 + n - left;
              if (sx < 0 || sx >= w) continue;
              for (var ch = 0; ch < c; ch++) {
                sum += x[(sy * w + sx) * c + ch] * layer.kernelValues[((m * kw + n) * c + ch) * f + k];
              }
            }
          }
          out[(y * ow + x0) * f + k] = sum;
        }
      }
    }
    return { values: activate(out, layer.activation), shape: [oh, ow, f] };
  }

  // Maximum over each pool window, no padding ("valid").
  function maxpool(x, shape, layer) {
    var h = shape[0], w = shape[1], c = shape[2];
    var ph = layer.size[0], pw = layer.size[1], sh = layer.strides[0], sw = layer.strides[1];
    var oh = Math.floor((h - ph) / sh) + 1, ow = Math.floor((w - pw) / sw) + 1;
    var out = new Float64Array(oh * ow * c);
    for (var y = 0; y < oh; y++)
      for (var x0 = 0; x0 < ow; x0++)
        for (var ch = 0; ch < c; ch++) {
          var best = -Infinity;
          for (var m = 0; m < ph; m++)
            for (var n = 0; n < pw; n++)
              best = Math.max(best, x[((y * sh + m) * w + x0 * sw + n) * c + ch]);
          out[(y * ow + x0) * c + ch] = best;
        }
    return { values: out, shape: [oh, ow, c] };
  }

  // y = x W + b for a flat input x and a (inputs, units) kernel W.
  function dense(x, layer) {
    var units = layer.units, out = new Float64Array(units);
    for (var o = 0; o < units; o++) out[o] = layer.biasValues[o];
    for (var i = 0; i < x.length; i++) {
      var xi = x[i];
      if (xi === 0) continue;
      for (var u = 0; u < units; u++) out[u] += xi * layer.kernelValues[i * units + u];
    }
    return { values: activate(out, layer.activation), shape: [1, 1, units] };
  }

  // The network `name`'s output for one image: logits, or probabilities if it ends in softmax.
  function forward(name, pixels) {
    var network = panels.networks && panels.networks[name];
    if (!network) throw new Error("no weights for network " + name + " on this page");
    var shape = network.inputShape.concat([1]).slice(0, 3);
    var x = Float64Array.from(pixels);
    network.layers.forEach(function (layer) {
      if (layer.kernel && !layer.kernelValues) {
        layer.kernelValues = decodeFloats(layer.kernel);
        layer.biasValues = decodeFloats(layer.bias);
      }
      var result;
      if (layer.type === "rescaling") {
        result = { values: x.map(function (v) { return v * layer.scale + layer.offset; }), shape: shape };
      } else if (layer.type === "conv2d") result = conv2d(x, shape, layer);
      else if (layer.type === "maxpool") result = maxpool(x, shape, layer);
      else if (layer.type === "dense") result = dense(x, layer);
      else throw new Error("unknown layer type " + layer.type);
      x = result.values;
      shape = result.shape;
    });
    return x;
  }

  // The ten class probabilities for one image of 0..255 pixels (the networks output logits).
  function probabilities(name, pixels) {
    var layers = panels.networks[name] ? panels.networks[name].layers : [];
    var last = layers[layers.length - 1];
    var output = forward(name, pixels);
    return last && last.activation === "softmax" ? output : softmax(output);
  }

  panels.network = { forward: forward, probabilities: probabilities, softmax: softmax };
})();
