/* drawing.js: strokes drawn by a reader -> the 28x28 image an MNIST network reads.
 *
 * The same three steps as the package's imagerec/drawing.py, in the same integer
 * arithmetic, so that both give the same bytes (the browser test checks it):
 *   1. ink: every pixel of a 280x280 grid within PEN_RADIUS of a stroke;
 *   2. fitBox: the ink's bounding box scaled to fit 20x20, keeping its aspect ratio,
 *      gray level = share of the pixel covered by ink, 0..255 (as MNIST was made);
 *   3. centre: the 20x20 box placed in 28x28 so that its centre of mass is in the middle.
 */
(function () {
  "use strict";
  var panels = (window.imagerecPanels = window.imagerecPanels || {});
  var CANVAS_SIZE = 280, PEN_RADIUS = 12, BOX = 20, FIELD = 28;

  // Set to 1 every pixel of `ink` (size x size) within `radius` of the segment a-b.
  function inkSegment(ink, size, radius, a, b) {
    var ax = a[0], ay = a[1], dx = b[0] - ax, dy = b[1] - ay;
    var length2 = dx * dx + dy * dy, r2 = radius * radius;
    var y0 = Math.max(Math.min(ay, b[1]) - radius, 0), y1 = Math.min(Math.max(ay, b[1]) + radius, size - 1);
    var x0 = Math.max(Math.min(ax, b[0]) - radius, 0), x1 = Math.min(Math.max(ax, b[0]) + radius, size - 1);
    for (var y = y0; y <= y1; y++) {
      for (var x = x0; x <= x1; x++) {
        var px = x - ax, py = y - ay;
        var dot = px * dx + py * dy, toA = px * px + py * py;
        var near;
        if (dot <= 0) near = toA <= r2; // closest to the start
        else if (dot >= length2) near = (px - dx) * (px - dx) + (py - dy) * (py - dy) <= r2; // the end
        else near = toA * length2 - dot * dot <= r2 * length2; // inside the segment
        if (near) ink[y * size + x] = 1;
      }
    }
  }

  // Ink of one stroke (a list of [x, y] integer points) added to `ink`.
  function inkStroke(ink, stroke, size, radius) {
    if (stroke.length === 1) inkSegment(ink, size, radius, stroke[0], stroke[0]);
    for (var i = 1; i < stroke.length; i++) inkSegment(ink, size, radius, stroke[i - 1], stroke[i]);
  }

  // coverage[i][r]: how much of source pixel r (of `length`) falls in target pixel i (of `box`).
  function coverage(length, box) {
    var rows = [];
    for (var i = 0; i < box; i++) {
      var row = new Array(length);
      for (var r = 0; r < length; r++) {
        row[r] = Math.max(Math.min((i + 1) * length, (r + 1) * box) - Math.max(i * length, r * box), 0);
      }
      rows.push(row);
    }
    return rows;
  }

  // The ink's bounding box, centred in a square, resized by area to box x box gray levels.
  function fitBox(ink, size, box) {
    var top = size, bottom = -1, left = size, right = -1;
    for (var y = 0; y < size; y++)
      for (var x = 0; x < size; x++)
        if (ink[y * size + x]) {
          top = Math.min(top, y); bottom = Math.max(bottom, y);
          left = Math.min(left, x); right = Math.max(right, x);
        }
    var out = new Uint8Array(box * box);
    if (bottom < 0) return out; // nothing drawn
    var h = bottom - top + 1, w = right - left + 1, m = Math.max(h, w);
    var offY = top - Math.floor((m - h) / 2), offX = left - Math.floor((m - w) / 2);
    var weights = coverage(m, box);
    for (var i = 0; i < box; i++) {
      for (var j = 0; j < box; j++) {
        var covered = 0; // ink area in the target pixel, in units of 1/(m*m) of it
        for (var r = 0; r < m; r++) {
          var wr = weights[i][r], sy = r + offY;
          if (!wr || sy < top || sy > bottom) continue;
          for (var c = 0; c < m; c++) {
            var wc = weights[j][c], sx = c + offX;
            if (wc && sx >= left && sx <= right && ink[sy * size + sx]) covered += wr * wc;
          }
        }
        out[i * box + j] = Math.floor((510 * covered + m * m) / (2 * m * m)); // round(255 * share)
      }
    }
    return out;
  }

  // Put a square digit in a field x field image, moved so its centre of mass is in the middle.
  function centre(digit, size, field) {
    var start = Math.floor((field - size) / 2), shifts = [0, 0];
    for (var axis = 0; axis < 2; axis++) {
      var mass = 0, moment = 0;
      for (var i = 0; i < size; i++)
        for (var j = 0; j < size; j++) {
          var v = digit[i * size + j], at = axis === 0 ? i : j;
          mass += v;
          moment += v * (start + at);
        }
      if (mass === 0) continue;
      // round((field - 1) / 2 - moment / mass), halves up: an exact integer division
      var shift = Math.floor((field * mass - 2 * moment) / (2 * mass));
      shifts[axis] = Math.min(Math.max(shift, -start), field - size - start); // stay in the field
    }
    var out = new Uint8Array(field * field), top = start + shifts[0], left = start + shifts[1];
    for (var y = 0; y < size; y++)
      for (var x = 0; x < size; x++) out[(top + y) * field + left + x] = digit[y * size + x];
    return out;
  }

  // Strokes -> 28x28 uint8 image (white digit on black), as imagerec.drawing.preprocess.
  function preprocess(strokes) {
    var ink = new Uint8Array(CANVAS_SIZE * CANVAS_SIZE);
    strokes.forEach(function (stroke) { inkStroke(ink, stroke, CANVAS_SIZE, PEN_RADIUS); });
    return fromInk(ink);
  }

  function fromInk(ink) {
    return centre(fitBox(ink, CANVAS_SIZE, BOX), BOX, FIELD);
  }

  panels.drawing = {
    CANVAS_SIZE: CANVAS_SIZE, PEN_RADIUS: PEN_RADIUS, FIELD: FIELD,
    inkStroke: inkStroke, inkSegment: inkSegment, fromInk: fromInk, preprocess: preprocess,
  };
})();
