// "Verify on the record": checks, in the browser, that an entry is in the public log.
//
// 1. Fetches the entry's note and its C2SP tlog-proof (index, inclusion hashes, checkpoint).
// 2. Recomputes the entry's RFC 6962 leaf hash and, through the proof, the tree's root,
//    and compares it with the root the checkpoint states (RFC 9162 §2.1.3.2).
// 3. Checks the checkpoint's Ed25519 signature (C2SP signed-note) with WebCrypto against
//    the log key the genesis names, which the page carries; and the entry's own signature
//    against its author's registered key.
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

// A C2SP verifier key `name+hash+base64(0x01 || public key)`.
async function parseVkey(vkey) {
  // The base64 key may itself hold "+": split at the first two only.
  const first = vkey.indexOf("+");
  const name = vkey.slice(0, first);
  const hash = vkey.slice(first + 1, first + 9);
  if (first < 1 || vkey[first + 9] !== "+" || !/^[0-9a-f]{8}$/.test(hash))
    throw new Error("not a verifier key");
  const raw = b64(vkey.slice(first + 10));
  if (raw[0] !== 1 || raw.length !== 33) throw new Error("not an Ed25519 verifier key");
  const id = (await sha256(concat(enc.encode(name + "\n"), raw))).slice(0, 4);
  const expected = Uint8Array.from(hash.match(/../g).map((h) => parseInt(h, 16)));
  if (!equal(id, expected)) throw new Error("verifier key hash does not match");
  const key32 = raw.slice(1);
  const publicKey = await crypto.subtle.importKey("raw", key32, { name: "Ed25519" }, false, [
    "verify",
  ]);
  return { name, id, publicKey };
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

// Checks entry `index`; answers a message id of `#verify-messages` and its details.
async function verify(index, logVkey) {
  if (!(await ed25519Supported())) return ["unsupported", ""];
  const entry = await fetchOk(`/api/v1/entries/${index}`, "json");
  const proof = parseProof(await fetchOk(`/api/v1/entries/${index}/proof`, "text"));
  const checkpoint = parseNote(proof.checkpoint);
  const [origin, size, root] = checkpoint.text.split("\n");
  if (!(await signedBy(proof.checkpoint, logVkey))) return ["bad-signature", origin];
  const leaf = await sha256(concat([0], enc.encode(entry.note)));
  const computed = await rootFromProof(index, Number(size), leaf, proof.hashes);
  if (proof.index !== index || computed === null || !equal(computed, b64(root)))
    return ["bad-proof", `size ${size}`];
  const author = await fetchOk(`/api/v1/keys/${entry.entry.author}`, "json");
  if (!(await signedBy(entry.note, author.vkey))) return ["bad-author", entry.entry.author];
  return ["ok", `${entry.entry.author}; checkpoint ${size}, root ${root}`];
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

function start() {
  const messages = document.getElementById("verify-messages");
  if (!messages) return;
  const say = (id) => messages.dataset[id.replace(/-(.)/g, (_, c) => c.toUpperCase())] || id;
  for (const button of document.querySelectorAll("button.verify")) {
    button.addEventListener("click", async () => {
      const out = button.parentElement.querySelector("output.verdict");
      out.className = "verdict";
      out.textContent = say("checking");
      let verdict;
      try {
        verdict = await verify(Number(button.dataset.index), messages.dataset.logVkey);
      } catch (error) {
        verdict = ["failed", String(error.message || error)];
      }
      const [id, detail] = verdict;
      out.className = `verdict verdict-${id === "ok" ? "ok" : "bad"}`;
      out.dataset.verdict = id;
      out.textContent = say(id);
      if (detail) {
        const small = document.createElement("small");
        small.dir = "ltr";
        small.textContent = ` (${detail})`;
        out.append(small);
      }
    });
  }
}

document.addEventListener("DOMContentLoaded", start);
