/* convolution-panel.js: the "filter the photo" panel (directive {convolution-panel}).
 *
 * The reader types the nine weights of a 3x3 kernel (numbers such as -1, 0.25 or 1/16)
 * or picks one from a menu; the course photo, written next to the page by the build
 * (window.imagerecPanels.photo), is filtered with it as imagerec.convolution.convolve
 * does: pixels divided by 255, zero padding, each colour channel on its own, every
 * result clipped to [0, 1], then shown as 0..255. The latest kernel and filtered pixels
 * are kept in window.imagerecPanels.convolution for the browser test.
 */
(function () {
  "use strict";
  var panels = (window.imagerecPanels = window.imagerecPanels || {});

  // The menu: the lesson's sharpen and edges kernels, a 3x3 Gaussian blur, and identity.
  var PRESETS = {
    sharpen: { label: "Sharpen", weights: ["0", "-1", "0", "-1", "5", "-1", "0", "-1", "0"] },
    edges: { label: "Edges", weights: ["-1", "-1", "-1", "-1", "8", "-1", "-1", "-1", "-1"] },
    blur: { label: "Blur (Gaussian, 3 × 3)",
            weights: ["1/16", "2/16", "1/16", "2/16", "4/16", "2/16", "1/16", "2/16", "1/16"] },
    identity: { label: "Identity", weights: ["0", "0", "0", "0", "1", "0", "0", "0", "0"] },
  };

  var element = panels.element; // dom.js

  // "0.25", "-1", "1/16" -> a number; anything else -> NaN.
  function parseWeight(text) {
    var parts = text.trim().split("/");
    var number = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
    if (parts.length > 2 || !parts.every(function (p) { return number.test(p.trim()); })) return NaN;
    var value = parts.length === 2 ? Number(parts[0]) / Number(parts[1]) : Number(parts[0]);
    return isFinite(value) ? value : NaN;
  }

  // Zero-padded 3x3 cross-correlation of RGB bytes, clipped to [0, 1], returned as bytes.
  function convolve(rgb, width, height, kernel) {
    var out = new Uint8ClampedArray(rgb.length);
    for (var y = 0; y < height; y++) {
      for (var x = 0; x < width; x++) {
        for (var c = 0; c < 3; c++) {
          var sum = 0;
          for (var m = 0; m < 3; m++) {
            var sy = y + m - 1;
            if (sy < 0 || sy >= height) continue;
            for (var n = 0; n < 3; n++) {
              var sx = x + n - 1;
              if (sx < 0 || sx >= width) continue;
              sum += kernel[3 * m + n] * (rgb[(sy * width + sx) * 3 + c] / 255);
            }
          }
          out[(y * width + x) * 3 + c] = Math.round(Math.min(Math.max(sum, 0), 1) * 255);
        }
      }
    }
    return out;
  }

  function buildPanel(section, photo) {
    var id = "imagerec-convolution-" + document.querySelectorAll(".imagerec-convolution-panel > fieldset").length;
    var menu = element("select", { id: id + "-preset" });
    Object.keys(PRESETS).forEach(function (key) { menu.appendChild(element("option", { value: key }, PRESETS[key].label)); });
    menu.appendChild(element("option", { value: "own" }, "Your own"));
    var menuLabel = element("label", { for: id + "-preset" }, "Kernel: ");
    var controls = element("div", { class: "imagerec-convolution-controls" });
    controls.appendChild(menuLabel);
    controls.appendChild(menu);

    var grid = element("fieldset", { class: "imagerec-convolution-grid" });
    grid.appendChild(element("legend", {}, "The nine weights (numbers such as -1, 0.25 or 1/16)"));
    var cells = element("div", { class: "imagerec-convolution-cells" });
    grid.appendChild(cells);
    var inputs = [];
    for (var i = 0; i < 9; i++) {
      var input = element("input", {
        type: "text", inputmode: "decimal", size: "5", autocomplete: "off", spellcheck: "false",
        "aria-label": "Weight in row " + (Math.floor(i / 3) + 1) + ", column " + (i % 3 + 1),
      });
      cells.appendChild(input);
      inputs.push(input);
    }
    var original = element("img", { src: photo.src, width: photo.width, height: photo.height,
      alt: "The course photo, unfiltered: two kittens, one ginger and white, one black and white, on a tree stump." });
    var result = element("canvas", { width: photo.width, height: photo.height, role: "img",
      "aria-label": "The photo filtered with the kernel typed above" });
    function figure(content, caption) {
      var node = element("figure", {});
      node.appendChild(content);
      node.appendChild(element("figcaption", {}, caption));
      return node;
    }
    var images = element("div", { class: "imagerec-convolution-images" });
    images.appendChild(figure(original, "The photo"));
    images.appendChild(figure(result, "Filtered, each value clipped to 0–255"));
    var status = element("p", { class: "imagerec-panel-status", "aria-live": "polite" });
    [controls, grid, images, status].forEach(function (node) { section.appendChild(node); });

    var state = (panels.convolution = { lastKernel: null, lastOutput: null, width: photo.width, height: photo.height });
    var rgb = null;

    function refresh() {
      var kernel = inputs.map(function (input) {
        var value = parseWeight(input.value);
        input.setAttribute("aria-invalid", isNaN(value) ? "true" : "false");
        return value;
      });
      if (kernel.some(isNaN)) {
        status.textContent = "Each weight must be a number such as -1, 0.25 or 1/16; the picture shows the last valid kernel.";
        return;
      }
      if (!rgb) return;
      var out = convolve(rgb, photo.width, photo.height, kernel);
      var ctx = result.getContext("2d"), image = ctx.createImageData(photo.width, photo.height);
      for (var p = 0; p < photo.width * photo.height; p++) {
        image.data[4 * p] = out[3 * p];
        image.data[4 * p + 1] = out[3 * p + 1];
        image.data[4 * p + 2] = out[3 * p + 2];
        image.data[4 * p + 3] = 255;
      }
      ctx.putImageData(image, 0, 0);
      state.lastKernel = kernel;
      state.lastOutput = out;
      var sum = kernel.reduce(function (a, b) { return a + b; }, 0);
      status.textContent = "The weights sum to " + Number(sum.toFixed(6)) +
        (Math.abs(sum - 1) < 1e-9 ? ": flat areas keep their brightness." :
          Math.abs(sum) < 1e-9 ? ": flat areas turn black." :
            sum > 1 ? ": flat areas get brighter." : ": flat areas get darker.");
    }

    function usePreset(key) {
      if (!PRESETS[key]) return;
      PRESETS[key].weights.forEach(function (w, k) { inputs[k].value = w; });
      refresh();
    }
    menu.addEventListener("change", function () { usePreset(menu.value); });
    inputs.forEach(function (input) {
      input.addEventListener("input", function () {
        var match = Object.keys(PRESETS).filter(function (key) {
          return PRESETS[key].weights.every(function (w, k) { return parseWeight(w) === parseWeight(inputs[k].value); });
        });
        menu.value = match.length ? match[0] : "own";
        refresh();
      });
    });

    // The photo's pixels: drawn once onto a canvas (a data URL never taints it) and read back.
    var source = new Image();
    source.onload = function () {
      var canvas = element("canvas", { width: photo.width, height: photo.height });
      var ctx = canvas.getContext("2d");
      ctx.drawImage(source, 0, 0);
      var rgba = ctx.getImageData(0, 0, photo.width, photo.height).data;
      rgb = new Uint8Array(photo.width * photo.height * 3);
      for (var p = 0; p < photo.width * photo.height; p++) {
        rgb[3 * p] = rgba[4 * p];
        rgb[3 * p + 1] = rgba[4 * p + 1];
        rgb[3 * p + 2] = rgba[4 * p + 2];
      }
      state.photo = rgb;
      refresh();
      state.ready = true;
    };
    source.src = photo.src;
    usePreset("sharpen");
  }

  function init() {
    document.querySelectorAll(".imagerec-convolution-panel").forEach(function (section) {
      if (panels.photo) buildPanel(section, panels.photo);
      else section.appendChild(element("p", { class: "imagerec-panel-error" },
        "The photo was not found next to this page: rebuild the book."));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
