/* digit-panel.js: the "draw a digit" panel (directive {digit-panel} NAME, _ext/panels.py).
 *
 * The reader draws on a 280x280 canvas with a mouse, pen or finger, or with the keyboard
 * (arrow keys move the pen, Space puts it down or lifts it). The strokes become the 28x28
 * image the network reads (drawing.js), which is shown enlarged, and the network's ten
 * probabilities (network.js) are drawn as bars. For the browser test, the latest strokes,
 * input and probabilities are kept in window.imagerecPanels.digit[NAME].
 */
(function () {
  "use strict";
  var panels = (window.imagerecPanels = window.imagerecPanels || {});
  panels.digit = panels.digit || {};
  var STEP = 10; // pixels per arrow key press (one pixel of the network's input)

  var element = panels.element; // dom.js

  function percent(p) {
    return (100 * p).toFixed(p >= 0.995 || p < 0.001 ? 0 : 1) + " %";
  }

  function buildPanel(section) {
    var name = section.getAttribute("data-network");
    var network = panels.networks && panels.networks[name];
    var drawing = panels.drawing, size = drawing.CANVAS_SIZE, field = drawing.FIELD;
    if (!network) {
      section.appendChild(element("p", { class: "imagerec-panel-error" },
        "The weights of network " + name + " were not found next to this page: rebuild the book."));
      return;
    }
    var id = "imagerec-digit-" + name.replace(/[^A-Za-z0-9]/g, "_");
    var how = element("p", { class: "imagerec-panel-help", id: id + "-help" },
      "Draw a digit with the mouse, a pen or a finger. With the keyboard: focus the drawing area, " +
      "move the pen with the arrow keys and press Space to put it down or lift it.");
    var pad = element("canvas", {
      // role "application": screen readers pass the arrow keys and Space on to the pad
      width: size, height: size, tabindex: "0", role: "application", class: "imagerec-digit-pad",
      "aria-label": "Drawing area for a digit", "aria-describedby": id + "-help",
    });
    var clear = element("button", { type: "button", class: "imagerec-panel-button" }, "Clear");
    var input = element("canvas", {
      width: field, height: field, class: "imagerec-digit-input", role: "img",
      "aria-label": "The 28 by 28 pixel image network " + name + " receives",
    });
    var inputFigure = element("figure", { class: "imagerec-digit-input-figure" });
    inputFigure.appendChild(input);
    inputFigure.appendChild(element("figcaption", {}, "What network " + name + " reads: 28 × 28 pixels"));
    var bars = element("ol", { class: "imagerec-digit-bars", start: "0", "aria-label": "Probability of each digit" });
    var rows = [];
    for (var d = 0; d < 10; d++) {
      var row = element("li", {});
      var bar = element("span", { class: "imagerec-digit-bar", "aria-hidden": "true" });
      var value = element("span", { class: "imagerec-digit-value" }, "–");
      row.appendChild(element("span", { class: "imagerec-digit-label" }, String(d)));
      row.appendChild(bar);
      row.appendChild(value);
      bars.appendChild(row);
      rows.push({ row: row, bar: bar, value: value });
    }
    var status = element("p", { class: "imagerec-panel-status", "aria-live": "polite" },
      "Nothing drawn yet.");
    var source = element("p", { class: "imagerec-panel-note" },
      "Weights: network " + name + " as this build trained it, " +
      (network.quick ? "a quick build" : "the full build") + " (" +
      network.trainSize.toLocaleString("en") + " training images, " + network.epochs + " epochs; " +
      "test accuracy " + (100 * network.testAccuracy).toFixed(1) + " %)" +
      (network.quick ? ": expect more mistakes than in the full book." : "."));

    var left = element("div", { class: "imagerec-digit-draw" });
    left.appendChild(pad);
    left.appendChild(clear);
    var right = element("div", { class: "imagerec-digit-result" });
    right.appendChild(inputFigure);
    right.appendChild(bars);
    var body = element("div", { class: "imagerec-panel-body" });
    body.appendChild(left);
    body.appendChild(right);
    [how, body, status, source].forEach(function (node) { section.appendChild(node); });

    // --- state: the strokes, their ink, and the keyboard pen -------------------------------
    var strokes = [], ink = new Uint8Array(size * size);
    var pen = { x: size / 2, y: size / 2, down: false, shown: false };
    var state = (panels.digit[name] = { strokes: strokes, lastInput: null, lastProbabilities: null });
    var pending = false;

    function addPoint(x, y, newStroke) {
      var point = [Math.min(Math.max(Math.round(x), 0), size - 1), Math.min(Math.max(Math.round(y), 0), size - 1)];
      var stroke = newStroke ? [] : strokes[strokes.length - 1];
      if (newStroke) strokes.push(stroke);
      var last = stroke[stroke.length - 1];
      if (last && last[0] === point[0] && last[1] === point[1]) return;
      stroke.push(point);
      if (stroke.length === 1) drawing.inkSegment(ink, size, drawing.PEN_RADIUS, point, point);
      else drawing.inkSegment(ink, size, drawing.PEN_RADIUS, stroke[stroke.length - 2], point);
      schedule();
    }

    // Redraw at most once per frame while the pen moves.
    function schedule() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; update(false); });
    }

    function paintPad() {
      var ctx = pad.getContext("2d"), image = ctx.createImageData(size, size);
      for (var i = 0; i < ink.length; i++) {
        var v = ink[i] ? 255 : 0;
        image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = v;
        image.data[4 * i + 3] = 255;
      }
      ctx.putImageData(image, 0, 0);
      if (pen.shown) { // the keyboard pen: a ring, filled while it is down
        ctx.beginPath();
        ctx.arc(pen.x, pen.y, drawing.PEN_RADIUS, 0, 2 * Math.PI);
        ctx.strokeStyle = "#e8590c";
        ctx.lineWidth = 3;
        ctx.stroke();
        if (pen.down) { ctx.fillStyle = "rgba(232, 89, 12, 0.5)"; ctx.fill(); }
      }
    }

    function update(announce) {
      paintPad();
      var pixels = drawing.fromInk(ink);
      var ctx = input.getContext("2d"), image = ctx.createImageData(field, field);
      for (var i = 0; i < pixels.length; i++) {
        image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = pixels[i];
        image.data[4 * i + 3] = 255;
      }
      ctx.putImageData(image, 0, 0);
      state.lastInput = Array.from(pixels);
      if (!strokes.length) {
        state.lastProbabilities = null;
        rows.forEach(function (r) { r.bar.style.width = "0"; r.value.textContent = "–"; r.row.className = ""; });
        status.textContent = "Nothing drawn yet.";
        return;
      }
      var p = panels.network.probabilities(name, pixels), best = 0;
      for (var d = 0; d < 10; d++) if (p[d] > p[best]) best = d;
      state.lastProbabilities = Array.from(p);
      state.lastLabel = best;
      rows.forEach(function (r, digit) {
        r.bar.style.width = (100 * p[digit]).toFixed(1) + "%";
        r.value.textContent = percent(p[digit]);
        r.row.className = digit === best ? "imagerec-digit-best" : "";
      });
      // The status line is read out by screen readers: change it when a stroke ends, not while drawing.
      if (announce) status.textContent = "Network " + name + " reads a " + best + " (probability " + percent(p[best]) + ").";
    }

    // --- mouse, pen and finger ---------------------------------------------------------------
    var drawingPointer = null;
    function toGrid(event) {
      var rect = pad.getBoundingClientRect();
      return [(event.clientX - rect.left) * size / rect.width, (event.clientY - rect.top) * size / rect.height];
    }
    pad.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      event.preventDefault();
      drawingPointer = event.pointerId;
      pad.setPointerCapture(event.pointerId);
      pen.shown = false;
      var at = toGrid(event);
      addPoint(at[0], at[1], true);
    });
    pad.addEventListener("pointermove", function (event) {
      if (event.pointerId !== drawingPointer) return;
      var at = toGrid(event);
      addPoint(at[0], at[1], false);
    });
    function stop(event) {
      if (event.pointerId !== drawingPointer) return;
      drawingPointer = null;
      update(true);
    }
    pad.addEventListener("pointerup", stop);
    pad.addEventListener("pointercancel", stop);

    // --- keyboard ------------------------------------------------------------------------------
    var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    pad.addEventListener("keydown", function (event) {
      if (event.key === " " || event.key === "Enter") {
        pen.down = !pen.down;
        if (pen.down) addPoint(pen.x, pen.y, true);
      } else if (moves[event.key]) {
        pen.x = Math.min(Math.max(pen.x + STEP * moves[event.key][0], 0), size - 1);
        pen.y = Math.min(Math.max(pen.y + STEP * moves[event.key][1], 0), size - 1);
        if (pen.down) addPoint(pen.x, pen.y, false);
      } else {
        return;
      }
      event.preventDefault();
      pen.shown = true;
      update(true);
    });
    pad.addEventListener("focus", function () { if (drawingPointer === null) { pen.shown = true; paintPad(); } });
    pad.addEventListener("blur", function () { pen.shown = false; pen.down = false; paintPad(); });

    clear.addEventListener("click", function () {
      strokes.length = 0;
      ink.fill(0);
      pen.down = false;
      update(true);
    });
    update(false);
  }

  function init() {
    document.querySelectorAll(".imagerec-digit-panel").forEach(buildPanel);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
