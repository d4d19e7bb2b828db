/* dom.js: the one DOM helper the panels share (loaded before digit-panel.js and
 * convolution-panel.js, see _ext/panels.py).
 *
 * imagerecPanels.element(tag, attributes, text) creates an element with the given
 * attributes and, if given, its text.
 */
(function () {
  "use strict";
  var panels = (window.imagerecPanels = window.imagerecPanels || {});

  panels.element = function (tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text) node.textContent = text;
    return node;
  };
})();
