/* Cablegram network page: zoom and pan the server-drawn graph.
   The graph works without this script (every circle is a link); this adds wheel and pinch
   zoom, drag to pan, buttons, and keys when the graph has focus: + and - zoom, arrows pan,
   0 resets. Only the SVG viewBox changes. */
(function () {
  "use strict";

  var MIN_ZOOM = 0.5;   // the whole canvas at half size
  var MAX_ZOOM = 10;    // a tenth of the canvas fills the frame
  var STEP = 1.25;      // one press of + or one wheel notch
  var DRAG = 4;         // pixels a pointer must move before a press becomes a drag

  function setUp(frame) {
    var svg = frame.querySelector("svg.network-graph");
    if (!svg) { return; }
    var base = svg.viewBox.baseVal;
    var home = { x: base.x, y: base.y, w: base.width, h: base.height };
    var view = { x: home.x, y: home.y, w: home.w, h: home.h };
    var pointers = new Map();
    var press = null;       // where a one-pointer press started, in screen and view units
    var pinch = null;       // the distance and view when a second pointer came down
    var dragged = false;

    function show() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) {
        return v.toFixed(2);
      }).join(" "));
      frame.setAttribute("data-zoom", (home.w / view.w).toFixed(2));
    }

    function toCanvas(clientX, clientY) {
      var box = svg.getBoundingClientRect();
      var scale = Math.max(view.w / box.width, view.h / box.height);
      var offX = (box.width * scale - view.w) / 2, offY = (box.height * scale - view.h) / 2;
      return { x: view.x - offX + (clientX - box.left) * scale,
               y: view.y - offY + (clientY - box.top) * scale, scale: scale };
    }

    function zoomAt(factor, point) {
      var zoom = home.w / (view.w / factor);
      if (zoom < MIN_ZOOM) { factor = view.w / (home.w / MIN_ZOOM); }
      if (zoom > MAX_ZOOM) { factor = view.w / (home.w / MAX_ZOOM); }
      var p = point || { x: view.x + view.w / 2, y: view.y + view.h / 2 };
      view.x = p.x - (p.x - view.x) / factor;
      view.y = p.y - (p.y - view.y) / factor;
      view.w /= factor;
      view.h /= factor;
      show();
    }

    function pan(dx, dy) {
      view.x += dx;
      view.y += dy;
      show();
    }

    function reset() {
      view = { x: home.x, y: home.y, w: home.w, h: home.h };
      show();
    }

    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var notches = event.deltaMode === 0 ? event.deltaY / 100 : event.deltaY / 3;
      zoomAt(Math.pow(STEP, -Math.max(-3, Math.min(3, notches))),
             toCanvas(event.clientX, event.clientY));
    }, { passive: false });

    svg.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) { return; }
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      dragged = false;
      if (pointers.size === 1) {
        press = { x: event.clientX, y: event.clientY, view: { x: view.x, y: view.y },
                  scale: toCanvas(event.clientX, event.clientY).scale };
      } else if (pointers.size === 2) {
        var two = Array.from(pointers.values());
        pinch = { distance: Math.hypot(two[0].x - two[1].x, two[0].y - two[1].y) || 1,
                  width: view.w };
        press = null;
      }
    });

    svg.addEventListener("pointermove", function (event) {
      if (!pointers.has(event.pointerId)) { return; }
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pinch && pointers.size === 2) {
        var two = Array.from(pointers.values());
        var distance = Math.hypot(two[0].x - two[1].x, two[0].y - two[1].y) || 1;
        var middle = toCanvas((two[0].x + two[1].x) / 2, (two[0].y + two[1].y) / 2);
        zoomAt(view.w / (pinch.width * pinch.distance / distance), middle);
        dragged = true;
      } else if (press) {
        var dx = event.clientX - press.x, dy = event.clientY - press.y;
        if (!dragged && Math.hypot(dx, dy) < DRAG) { return; }
        if (!dragged) {
          dragged = true;
          svg.setPointerCapture(event.pointerId);  // only now, so a plain click stays a click
          frame.classList.add("dragging");
        }
        view.x = press.view.x - dx * press.scale;
        view.y = press.view.y - dy * press.scale;
        show();
      }
    });

    function release(event) {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) { pinch = null; }
      if (pointers.size === 0) { press = null; frame.classList.remove("dragging"); }
    }
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);

    svg.addEventListener("click", function (event) {  // a drag that ends on a node is no click
      if (dragged) { event.preventDefault(); event.stopPropagation(); dragged = false; }
    }, true);

    frame.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      var move = view.w / 10;
      var keys = {
        "+": function () { zoomAt(STEP); }, "=": function () { zoomAt(STEP); },
        "-": function () { zoomAt(1 / STEP); }, "_": function () { zoomAt(1 / STEP); },
        "0": reset,
        ArrowLeft: function () { pan(-move, 0); }, ArrowRight: function () { pan(move, 0); },
        ArrowUp: function () { pan(0, -move); }, ArrowDown: function () { pan(0, move); }
      };
      if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
    });

    var bar = document.createElement("div");
    bar.className = "graph-tools";
    [["Zoom in", "+", function () { zoomAt(STEP); }],
     ["Zoom out", "−", function () { zoomAt(1 / STEP); }],
     ["Reset view", "Reset", reset]].forEach(function (tool) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = tool[1];
      button.setAttribute("aria-label", tool[0]);
      button.title = tool[0];
      button.addEventListener("click", tool[2]);
      bar.appendChild(button);
    });
    var hint = document.createElement("span");
    hint.className = "graph-hint";
    hint.textContent = "Scroll or pinch to zoom, drag to move; with the graph focused, " +
      "+ and − zoom, arrow keys move, 0 resets.";
    bar.appendChild(hint);
    frame.insertBefore(bar, frame.firstChild);
    frame.tabIndex = 0;
    frame.setAttribute("aria-label", "Correspondence network (zoom with + and −)");
    frame.classList.add("interactive");
    show();
  }

  document.querySelectorAll(".network .graph").forEach(setUp);
})();
