//! A check of canonical form that reads the text once and builds nothing.
//!
//! It answers `true` only for JSON that RFC 8785 writes identically, in a plain subset:
//! every object's keys printable ASCII without escapes and in strictly increasing order
//! (so UTF-8 and UTF-16 orders agree, and no key repeats); strings with exactly the
//! escapes RFC 8785 writes (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, and `\u00xx`
//! in lower case for the other control characters, nothing else); integers without a
//! leading zero or a negative zero, within 2^53 (beyond it RFC 8785 prints the nearest
//! double); every other number exactly as RFC 8785 writes the double `serde_json` reads
//! from it; no whitespace. Anything else answers `false`, and the caller lets the full
//! serializer decide: this is a fast path, never the last word.

/// The deepest nesting `serde_json` reads (its default recursion limit): deeper text is
/// not JSON it will read, and the scan's recursion stays bounded whatever the input.
const DEPTH_MAX: usize = 127;

/// Whether `text` is one JSON value in the plain canonical subset (see the module docs):
/// the fast path for the common case, which the log meets on every entry it admits and the
/// auditor and a rebuild on every entry they replay. `false` means only "not shown here":
/// the full serializer decides.
pub(crate) fn is_plainly_canonical(text: &str) -> bool {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    scanner.value() && scanner.at == scanner.bytes.len()
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let matched = self.peek() == Some(byte);
        self.at += usize::from(matched);
        matched
    }

    fn value(&mut self) -> bool {
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => self.string(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => false,
        }
    }

    fn nested(&mut self, inner: fn(&mut Self) -> bool) -> bool {
        if self.depth == DEPTH_MAX {
            return false;
        }
        self.depth += 1;
        self.at += 1; // the opening bracket
        let ok = inner(self);
        self.depth -= 1;
        ok
    }

    fn object(&mut self) -> bool {
        if self.eat(b'}') {
            return true;
        }
        let mut previous: Option<&[u8]> = None;
        loop {
            let Some(key) = self.key() else {
                return false;
            };
            if previous.is_some_and(|previous| previous >= key) {
                return false;
            }
            previous = Some(key);
            if !self.eat(b':') || !self.value() {
                return false;
            }
            if self.eat(b'}') {
                return true;
            }
            if !self.eat(b',') {
                return false;
            }
        }
    }

    fn array(&mut self) -> bool {
        if self.eat(b']') {
            return true;
        }
        loop {
            if !self.value() {
                return false;
            }
            if self.eat(b']') {
                return true;
            }
            if !self.eat(b',') {
                return false;
            }
        }
    }

    /// A key of printable ASCII without escapes, without its quotes.
    fn key(&mut self) -> Option<&'a [u8]> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.at;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' | 0..0x20 | 0x7f.. => return None,
                _ => self.at += 1,
            }
        }
        let key = &self.bytes[start..self.at];
        self.at += 1;
        Some(key)
    }

    fn string(&mut self) -> bool {
        self.at += 1; // the opening quote
        loop {
            let Some(byte) = self.peek() else {
                return false;
            };
            self.at += 1;
            match byte {
                b'"' => return true,
                b'\\' if !self.escape() => return false,
                0..0x20 => return false,
                // The text is a `str`, so bytes from 0x80 are whole UTF-8 characters.
                _ => {}
            }
        }
    }

    /// After a backslash: one of the escapes both serializers write.
    fn escape(&mut self) -> bool {
        let Some(byte) = self.peek() else {
            return false;
        };
        self.at += 1;
        match byte {
            b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't' => true,
            b'u' => {
                let Some(hex) = self.bytes.get(self.at..self.at + 4) else {
                    return false;
                };
                self.at += 4;
                // \u00xx for a control character without a short escape, lower-case hex.
                let lower_hex = |b: &u8| matches!(b, b'0'..=b'9' | b'a'..=b'f');
                hex.starts_with(b"00")
                    && hex[2..].iter().all(lower_hex)
                    && matches!(hex[2], b'0' | b'1')
                    && !matches!(&hex[2..], b"08" | b"09" | b"0a" | b"0c" | b"0d")
            }
            _ => false,
        }
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        let matched = self.bytes[self.at..].starts_with(word);
        self.at += word.len();
        matched
    }

    fn number(&mut self) -> bool {
        let start = self.at;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.peek() {
            self.at += 1;
        }
        let token = std::str::from_utf8(&self.bytes[start..self.at]).expect("ASCII");
        plain_number(token)
    }
}

fn plain_number(token: &str) -> bool {
    const EXACT_INTEGERS: u64 = 1 << 53;
    let digits = token.strip_prefix('-').unwrap_or(token);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return if digits.starts_with('0') {
            token == "0"
        } else {
            digits.len() <= 16 && digits.parse::<u64>().is_ok_and(|n| n <= EXACT_INTEGERS)
        };
    }
    // Read as `serde_json` reads a number in a value, and written back as RFC 8785 writes
    // a double (ECMAScript's Number to String, the formatter `to_canonical` uses).
    serde_json::from_str::<f64>(token)
        .is_ok_and(|f| f.is_finite() && ryu_js::Buffer::new().format_finite(f) == token)
}
