// Pan and zoom for the server-drawn SVG map: the map is whole without this script; with it,
// the wheel, a drag, the keyboard (+, -, arrows, 0) and three buttons move the viewBox.
"use strict";

function enhance(svg) {
  const [x0, y0, w0, h0] = svg.getAttribute("viewBox").split(/\s+/).map(Number);
  let view = { x: x0, y: y0, w: w0, h: h0 };
  const apply = () => svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
  const zoom = (factor, cx = view.x + view.w / 2, cy = view.y + view.h / 2) => {
    const w = Math.min(w0, Math.max(w0 / 16, view.w * factor));
    const h = (w / view.w) * view.h;
    view = { x: cx - ((cx - view.x) * w) / view.w, y: cy - ((cy - view.y) * h) / view.h, w, h };
    apply();
  };
  const pan = (dx, dy) => {
    view.x += dx;
    view.y += dy;
    apply();
  };
  const reset = () => {
    view = { x: x0, y: y0, w: w0, h: h0 };
    apply();
  };
  const toMap = (event) => {
    const box = svg.getBoundingClientRect();
    return {
      x: view.x + ((event.clientX - box.left) / box.width) * view.w,
      y: view.y + ((event.clientY - box.top) / box.height) * view.h,
    };
  };
  svg.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const at = toMap(event);
      zoom(event.deltaY < 0 ? 0.8 : 1.25, at.x, at.y);
    },
    { passive: false },
  );
  let drag = null;
  svg.addEventListener("pointerdown", (event) => {
    drag = { x: event.clientX, y: event.clientY };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const box = svg.getBoundingClientRect();
    pan(((drag.x - event.clientX) / box.width) * view.w, ((drag.y - event.clientY) / box.height) * view.h);
    drag = { x: event.clientX, y: event.clientY };
  });
  svg.addEventListener("pointerup", () => (drag = null));
  svg.setAttribute("tabindex", "0");
  svg.addEventListener("keydown", (event) => {
    const step = view.w / 10;
    const keys = {
      "+": () => zoom(0.8),
      "=": () => zoom(0.8),
      "-": () => zoom(1.25),
      0: reset,
      ArrowLeft: () => pan(-step, 0),
      ArrowRight: () => pan(step, 0),
      ArrowUp: () => pan(0, -step),
      ArrowDown: () => pan(0, step),
    };
    if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    }
  });
  const controls = document.getElementById("map-controls");
  if (controls) {
    controls.hidden = false;
    controls.querySelector('[data-zoom="in"]').addEventListener("click", () => zoom(0.8));
    controls.querySelector('[data-zoom="out"]').addEventListener("click", () => zoom(1.25));
    controls.querySelector('[data-zoom="reset"]').addEventListener("click", reset);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const svg = document.querySelector(".map svg");
  if (svg) enhance(svg);
});
