//! The body of a tlog-witness `add-checkpoint` request: an old size line, up to 63
//! consistency proof lines, an empty line, then the checkpoint note.

use tlog_tiles::Hash;
use truce_log::consistency::PROOF_HASHES_MAX;

/// A request body whose form is right; nothing in it is verified yet.
#[derive(Debug, Clone, PartialEq)]
pub struct AddCheckpoint {
    pub old_size: u64,
    pub proof: Vec<Hash>,
    /// The checkpoint note, with every signature line it carries.
    pub note: Vec<u8>,
}

/// Why a body is malformed (answered with 400 Bad Request).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct Malformed(pub String);

impl AddCheckpoint {
    pub fn parse(body: &[u8]) -> Result<Self, Malformed> {
        let bad = |why: &str| Malformed(why.to_string());
        let text = std::str::from_utf8(body).map_err(|_| bad("the body is not UTF-8"))?;
        let (head, note) = text
            .split_once("\n\n")
            .ok_or_else(|| bad("no empty line before the checkpoint"))?;
        let mut lines = head.split('\n');
        let old_size = lines
            .next()
            .and_then(|line| line.strip_prefix("old "))
            .ok_or_else(|| bad("the first line must be \"old <size>\""))
            .and_then(|n| {
                decimal(n)
                    .ok_or_else(|| bad("the old size is not a decimal without leading zeroes"))
            })?;
        let proof = lines
            .map(|line| {
                Hash::parse_hash(line)
                    .map_err(|_| bad("a consistency proof line is not a base64 SHA-256 hash"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if proof.len() > PROOF_HASHES_MAX {
            return Err(bad("more than 63 consistency proof lines"));
        }
        Ok(Self {
            old_size,
            proof,
            note: note.as_bytes().to_vec(),
        })
    }
}

impl AddCheckpoint {
    /// The request body, as [`AddCheckpoint::parse`] reads it: what a client (the log
    /// asking its witnesses, a mirror client) sends.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut body = format!("old {}\n", self.old_size);
        for hash in &self.proof {
            body.push_str(&hash.to_string());
            body.push('\n');
        }
        body.push('\n');
        let mut body = body.into_bytes();
        body.extend_from_slice(&self.note);
        body
    }
}

/// An ASCII decimal with no leading zeroes (`0` itself excepted).
fn decimal(text: &str) -> Option<u64> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let canonical = text == "0" || !text.starts_with('0');
    (digits && canonical).then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

    #[test]
    fn the_spec_example_parses() {
        let body = format!(
            "old 20852014\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\njrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n\n{NOTE}"
        );
        let request = AddCheckpoint::parse(body.as_bytes()).unwrap();
        assert_eq!(request.old_size, 20_852_014);
        assert_eq!(request.proof.len(), 2);
        assert_eq!(request.note, NOTE.as_bytes());
    }

    #[test]
    fn a_body_written_reads_back() {
        let body = format!(
            "old 20852014\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\njrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n\n{NOTE}"
        );
        let request = AddCheckpoint::parse(body.as_bytes()).unwrap();
        assert_eq!(request.to_bytes(), body.as_bytes());
        let empty = AddCheckpoint::parse(format!("old 0\n\n{NOTE}").as_bytes()).unwrap();
        assert_eq!(AddCheckpoint::parse(&empty.to_bytes()).unwrap(), empty);
    }

    #[test]
    fn an_empty_proof_parses() {
        let request = AddCheckpoint::parse(format!("old 0\n\n{NOTE}").as_bytes()).unwrap();
        assert_eq!((request.old_size, request.proof.len()), (0, 0));
    }

    #[test]
    fn malformed_bodies_are_refused_naming_what_is_wrong() {
        for (body, why) in [
            (format!("old 01\n\n{NOTE}"), "leading zeroes"),
            (format!("old -1\n\n{NOTE}"), "decimal"),
            (format!("old\n\n{NOTE}"), "old <size>"),
            (format!("new 3\n\n{NOTE}"), "old <size>"),
            (format!("old 3\nnot-a-hash\n\n{NOTE}"), "base64 SHA-256"),
            ("old 3\n".to_string(), "empty line"),
        ] {
            let error = AddCheckpoint::parse(body.as_bytes()).unwrap_err();
            assert!(error.0.contains(why), "{body:?}: {error}");
        }
        let hash = "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n".repeat(64);
        let error = AddCheckpoint::parse(format!("old 3\n{hash}\n{NOTE}").as_bytes()).unwrap_err();
        assert!(error.0.contains("63"), "{error}");
    }
}
