// "Verify on the record": checks, in the browser, that an entry is in the public log.
//
// 1. Fetches the checkpoint the log serves, the entry's note and its C2SP tlog-proof in
//    that checkpoint's tree.
// 2. Recomputes the entry's RFC 6962 leaf hash and, through the proof, the tree's root,
//    and compares it with the root the checkpoint states (RFC 9162 §2.1.3.2).
// 3. Checks the checkpoint's Ed25519 signature (C2SP signed-note) with WebCrypto against
//    the log key the genesis names, which the page carries; when the genesis requires
//    witnesses, that the checkpoint carries the quorum's valid cosignature/v1 lines (the
//    witness keys and quorum are on the page too, from the genesis); and the entry's own
//    signature against its author's registered key.
// Nothing here trusts the server's word: only hashes and signatures decide.
"use strict";

const enc = new TextEncoder();

function b64(text) {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equal(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

const node = (left, right) => sha256(concat([1], left, right));

// The root an inclusion proof leads to (RFC 9162 §2.1.3.2); null if the proof's length
// does not fit the tree.
async function rootFromProof(index, size, leaf, proof) {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await node(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

// A signed note: the text (up to and including the line before the blank line) and its
// signature lines as {name, keyHash, signature}.
function parseNote(note) {
  const split = note.indexOf("\n\n");
  if (split < 0) throw new Error("note without signatures");
  const text = note.slice(0, split + 1);
  const signatures = note
    .slice(split + 2)
    .split("\n")
    .filter((line) => line.startsWith("\u2014 "))
    .map((line) => {
      const [name, sig] = line.slice(2).split(" ");
      const raw = b64(sig);
      return { name, keyHash: raw.slice(0, 4), signature: raw.slice(4) };
    });
  return { text, signatures };
}

// A C2SP verifier key `name+hash+base64(type || public key)`: type 0x01 signs notes
// (Ed25519), type 0x04 cosigns checkpoints (cosignature/v1, a witness's key).
async function parseVkey(vkey, type = 1) {
  // The base64 key may itself hold "+": split at the first two only.
  const first = vkey.indexOf("+");
  const name = vkey.slice(0, first);
  const hash = vkey.slice(first + 1, first + 9);
  if (first < 1 || vkey[first + 9] !== "+" || !/^[0-9a-f]{8}$/.test(hash))
    throw new Error("not a verifier key");
  const raw = b64(vkey.slice(first + 10));
  if (raw[0] !== type || raw.length !== 33) throw new Error("not an Ed25519 verifier key of the expected type");
  const id = (await sha256(concat(enc.encode(name + "\n"), raw))).slice(0, 4);
  const expected = Uint8Array.from(hash.match(/../g).map((h) => parseInt(h, 16)));
  if (!equal(id, expected)) throw new Error("verifier key hash does not match");
  const publicKey = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, [
    "verify",
  ]);
  return { name, id, vkey, publicKey };
}

// The witnesses (cosigner verifier keys) whose valid cosignature/v1 the checkpoint note
// carries: each signs "cosignature/v1\ntime T\n" followed by the checkpoint's text.
async function cosignedBy(note, witnessVkeys) {
  const { text, signatures } = parseNote(note);
  const found = [];
  for (const vkey of witnessVkeys) {
    const key = await parseVkey(vkey, 4);
    for (const s of signatures) {
      if (s.name !== key.name || !equal(s.keyHash, key.id) || s.signature.length !== 72) continue;
      const time = s.signature.slice(0, 8).reduce((t, b) => t * 256 + b, 0);
      const message = concat(enc.encode(`cosignature/v1\ntime ${time}\n`), enc.encode(text));
      if (await crypto.subtle.verify({ name: "Ed25519" }, key.publicKey, s.signature.slice(8), message)) {
        found.push(vkey);
        break;
      }
    }
  }
  return found;
}

// True when the note carries a valid signature by the key.
async function signedBy(note, vkey) {
  const key = await parseVkey(vkey);
  const { text, signatures } = parseNote(note);
  for (const s of signatures) {
    if (s.name !== key.name || !equal(s.keyHash, key.id) || s.signature.length !== 64) continue;
    if (await crypto.subtle.verify({ name: "Ed25519" }, key.publicKey, s.signature, enc.encode(text)))
      return true;
  }
  return false;
}

// A tlog-proof: `c2sp.org/tlog-proof@v1`, optional `extra`, `index N`, hashes, blank
// line, checkpoint note.
function parseProof(text) {
  const split = text.indexOf("\n\n");
  const head = text.slice(0, split).split("\n");
  if (head.shift() !== "c2sp.org/tlog-proof@v1") throw new Error("not a tlog-proof");
  if (head[0] && head[0].startsWith("extra ")) head.shift();
  const index = Number(head.shift().replace(/^index /, ""));
  return { index, hashes: head.map(b64), checkpoint: text.slice(split + 2) };
}

async function fetchOk(url, as) {
  const response = await fetch(url, { headers: { accept: as === "json" ? "application/json" : "text/plain" } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return as === "json" ? response.json() : response.text();
}

// The envelope an entry's note signs: its text is one line of JSON.
function parseEnvelope(note) {
  return JSON.parse(parseNote(note).text.split("\n")[0]);
}

// The value at a JSON Pointer (RFC 6901) in `value`, or undefined.
function pointer(value, path) {
  if (path === "") return value;
  return path
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((at, part) => (at === undefined || at === null ? undefined : at[part]), value);
}

// What the page shows of an entry, compared with the verified envelope itself: the author's
// key, and the payload's value at `field`. Answers the verified value (a string), or a
// mismatch verdict.
function bound(envelope, shown) {
  const value = pointer(envelope.payload, shown.field || "");
  const said = typeof value === "string" ? value : JSON.stringify(value);
  // An HTML attribute holds line ends as "\n" only, so compare them so.
  const lines = (text) => String(text ?? "").replace(/\r\n?/g, "\n");
  // A page names an author by key name (`origin/delegation/key`) or by delegation alone.
  const author = shown.key?.includes("/") ? envelope.author : envelope.author.split("/").at(-2);
  if (shown.key && author !== shown.key) return [null, ["mismatch", envelope.author, ""]];
  if (shown.field && lines(said) !== lines(shown.claim)) return [null, ["mismatch", "", said]];
  return [said, null];
}

// The log key this browser trusts: the one pinned for the log's origin, else the page's.
// A page naming another key than the pinned one is refused before anything is fetched.
const PIN_PREFIX = "truce-log-key:";
function pinned(pageVkey) {
  try {
    return globalThis.localStorage?.getItem(PIN_PREFIX + pageVkey.split("+")[0]) || null;
  } catch {
    return null;
  }
}

// Checks entry `index` against the checkpoint the log serves (the newest carrying the
// genesis's witness quorum), and that it holds what the page shows of it (`shown`: the
// author's key name, a JSON Pointer into the payload and the value the page shows there).
// Answers a message id of `#verify-messages`, its details, and the verified value.
async function verify(index, logVkey, witnesses = [], quorum = 0, shown = {}) {
  if (!(await ed25519Supported())) return ["unsupported", ""];
  const served = await fetchOk("/log/checkpoint", "text");
  const checkpoint = parseNote(served);
  const [origin, size, root] = checkpoint.text.split("\n");
  if (!(await signedBy(served, logVkey))) return ["bad-signature", origin];
  if (quorum > 0) {
    const cosigned = await cosignedBy(served, witnesses);
    if (cosigned.length < quorum) {
      const missing = witnesses.filter((w) => !cosigned.includes(w)).map((w) => w.split("+")[0]);
      return ["not-witnessed", `${cosigned.length} of ${quorum}; missing: ${missing.join(", ")}`];
    }
  }
  if (Number(size) <= index) return ["not-yet-witnessed", `checkpoint ${size}`];
  const entry = await fetchOk(`/api/v1/entries/${index}`, "json");
  const proof = parseProof(await fetchOk(`/api/v1/entries/${index}/proof?size=${size}`, "text"));
  const leaf = await sha256(concat([0], enc.encode(entry.note)));
  const computed = await rootFromProof(index, Number(size), leaf, proof.hashes);
  if (proof.index !== index || computed === null || !equal(computed, b64(root)))
    return ["bad-proof", `size ${size}`];
  // Everything below reads the verified note itself, never the server's decoding of it.
  const envelope = parseEnvelope(entry.note);
  const author = await fetchOk(`/api/v1/keys/${encodeURIComponent(envelope.author)}`, "json");
  if (!(await signedBy(entry.note, author.vkey))) return ["bad-author", envelope.author];
  const [said, mismatch] = bound(envelope, shown);
  if (mismatch) return mismatch;
  const witnessed = quorum > 0 ? `, ${quorum}+ witnesses` : "";
  return ["ok", `${envelope.author}, ${envelope.time}; checkpoint ${size}${witnessed}, root ${root}`, said];
}

let supported = null;
async function ed25519Supported() {
  if (supported === null) {
    supported = crypto.subtle
      .importKey("raw", new Uint8Array(32), { name: "Ed25519" }, false, ["verify"])
      .then(() => true, () => false);
  }
  return supported;
}

// The pin form: shows the key pinned in this browser, and pins the one typed (or, empty,
// the page's own, after the reader compared it with the published one).
function startPinning(messages, say) {
  const form = document.querySelector("form.pin");
  if (!form || !globalThis.localStorage) return;
  const pageVkey = messages.dataset.logVkey;
  const out = form.querySelector("output.pinned");
  const show = () => {
    const key = pinned(pageVkey);
    out.textContent = key ? `${say("pinned")} ${key}` : "";
  };
  form.hidden = false;
  show();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const typed = form.elements.key.value.trim() || pageVkey;
    try {
      localStorage.setItem(PIN_PREFIX + typed.split("+")[0], typed);
    } catch {
      return;
    }
    form.elements.key.value = "";
    show();
  });
}

function start() {
  const messages = document.getElementById("verify-messages");
  if (!messages) return;
  const say = (id) => messages.dataset[id.replace(/-(.)/g, (_, c) => c.toUpperCase())] || id;
  startPinning(messages, say);
  for (const button of document.querySelectorAll("button.verify")) {
    button.addEventListener("click", async () => {
      const out = button.parentElement.querySelector("output.verdict");
      out.className = "verdict";
      out.textContent = say("checking");
      let verdict;
      try {
        const witnesses = (messages.dataset.witnesses || "").split(" ").filter(Boolean);
        const quorum = Number(messages.dataset.quorum || "0");
        const pageVkey = messages.dataset.logVkey;
        const trusted = pinned(pageVkey);
        const shown = { key: button.dataset.key, field: button.dataset.field, claim: button.dataset.claim };
        verdict =
          trusted && trusted !== pageVkey
            ? ["key-changed", trusted]
            : await verify(Number(button.dataset.index), trusted || pageVkey, witnesses, quorum, shown);
      } catch (error) {
        verdict = ["failed", String(error.message || error)];
      }
      const [id, detail, said] = verdict;
      out.className = `verdict verdict-${id === "ok" ? "ok" : "bad"}`;
      out.dataset.verdict = id;
      out.textContent = say(id);
      if (detail) {
        const small = document.createElement("small");
        small.dir = "ltr";
        small.textContent = ` (${detail})`;
        out.append(small);
      }
      if (said) {
        // The verified text itself, so the reader sees what the record says, not the page.
        const quote = document.createElement("q");
        quote.dir = "auto";
        quote.textContent = said;
        out.append(` ${say("record-says")} `, quote);
      }
    });
  }
}

if (typeof document !== "undefined") document.addEventListener("DOMContentLoaded", start);
if (typeof module !== "undefined")
  module.exports = { cosignedBy, signedBy, rootFromProof, parseProof, parseEnvelope, pointer, bound };
