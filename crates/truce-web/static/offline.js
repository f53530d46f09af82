// Keeps a report form's draft when the network fails, and sends it when the link returns
// (the desk's forms and the public report form).
//
// A form marked `data-offline` is sent by this script rather than by the browser: on
// success the browser goes where the server redirected (the desk, naming the new entry);
// when the request cannot reach the server at all, the form's fields (CSRF token included)
// are kept in localStorage and sent again on the `online` event or the next page load. A
// refusal by the server (4xx) is never queued: the page showing why is displayed instead.
// Without JavaScript the forms post normally.
"use strict";

const QUEUE = "truce-outbox";

function outbox() {
  try {
    return JSON.parse(localStorage.getItem(QUEUE) || "[]");
  } catch {
    return [];
  }
}

function keep(list) {
  localStorage.setItem(QUEUE, JSON.stringify(list));
  showCount();
}

function showCount() {
  const box = document.getElementById("outbox");
  if (!box) return;
  const n = outbox().length;
  box.hidden = n === 0;
  box.textContent = n === 0 ? "" : box.dataset.waiting.replace("{n}", String(n));
}

// Sends one queued or live form; answers the Response, or throws when offline.
function send(action, fields) {
  return fetch(action, {
    method: "POST",
    body: new URLSearchParams(fields),
    credentials: "same-origin",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

// A public report's sender has no desk to come back to: the only way to follow it is the
// reference page the server answers with, so a public report sent from the outbox leaves
// that address here until the form's page can show it.
const REFERENCE = "truce-public-reference";

async function flush() {
  const list = outbox();
  const left = [];
  for (const item of list) {
    try {
      const response = await send(item.action, item.fields);
      if (response.status >= 500) left.push(item);
      // A 4xx is a refusal the author must see; the draft is kept under "refused".
      else if (!response.ok) keepRefused(item, response.status);
      else if (item.action === "/report" && response.redirected) localStorage.setItem(REFERENCE, response.url);
    } catch {
      left.push(item);
    }
  }
  keep(left);
  showReference();
}

// On the public form's page, goes to the reference page of a report the outbox sent.
function showReference() {
  const url = localStorage.getItem(REFERENCE);
  if (url && window.location.pathname === "/report") {
    localStorage.removeItem(REFERENCE);
    window.location.assign(url);
  }
}

function keepRefused(item, status) {
  const refused = JSON.parse(localStorage.getItem(`${QUEUE}-refused`) || "[]");
  refused.push({ ...item, status });
  localStorage.setItem(`${QUEUE}-refused`, JSON.stringify(refused));
}

// The public form's proof of work (the server's `work.rs`): a nonce whose SHA-256 with the
// form's challenge starts with the zero bits the form asks for (`data-work-bits`, 0 while
// the monitors' queue is short). `crypto.subtle` exists only on https (and localhost);
// without it the nonce stays empty and the server says why it refuses.
async function work(form) {
  const bits = Number(form.dataset.workBits || 0);
  const challenge = form.elements.namedItem("work");
  const nonce = form.elements.namedItem("nonce");
  if (!bits || !challenge || !nonce || !window.crypto?.subtle) return;
  const button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  const encoder = new TextEncoder();
  for (let n = 0; ; n++) {
    const text = encoder.encode(`${challenge.value}:${n}`);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", text));
    if (zeroBits(digest) >= bits) {
      nonce.value = String(n);
      break;
    }
  }
  if (button) button.disabled = false;
}

function zeroBits(bytes) {
  let bits = 0;
  for (const byte of bytes) {
    if (byte !== 0) return bits + Math.clz32(byte) - 24;
    bits += 8;
  }
  return bits;
}

async function submit(event) {
  const form = event.target;
  event.preventDefault();
  await work(form);
  const fields = [...new FormData(form).entries()].map(([k, v]) => [k, String(v)]);
  const action = form.getAttribute("action");
  let response;
  try {
    response = await send(action, fields);
  } catch {
    keep([...outbox(), { action, fields, saved: new Date().toISOString() }]);
    const note = document.getElementById("outbox");
    if (note) note.focus();
    return;
  }
  // Show the server's answer as the browser would have: its page, at its address.
  if (response.redirected) {
    window.location.assign(response.url);
  } else {
    document.open();
    document.write(await response.text());
    document.close();
  }
}

function start() {
  for (const form of document.querySelectorAll("form[data-offline]")) {
    form.addEventListener("submit", submit);
  }
  showCount();
  showReference();
  if (navigator.onLine && outbox().length > 0) flush();
}

window.addEventListener("online", flush);
document.addEventListener("DOMContentLoaded", start);
