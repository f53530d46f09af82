// Runs the page's verification code (truce-web/static/verify.js) on a vector written by
// tests/browser.rs: a checkpoint note with cosignature lines, the witness keys, and the
// witnesses whose cosignature must be found valid. Prints the result as JSON.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const verify = require("../../../truce-web/static/verify.js");
const vector = JSON.parse(readFileSync(process.argv[2], "utf8"));
const found = await verify.cosignedBy(vector.note, vector.witnesses);
console.log(JSON.stringify({ found }));
