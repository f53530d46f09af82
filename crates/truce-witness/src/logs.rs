//! The logs a witness cosigns for, each known by its checkpoint verifier key (whose name is
//! the log's origin).
//!
//! They come from `--log <vkey>` flags and from `--logs FILE`, a file in the syntax of
//! C2SP tlog-policy's log lines: `log <vkey> [<url>]` per line, `#` comments and blank
//! lines ignored. The same file can then serve as (part of) a client's policy.

use std::collections::BTreeMap;

use truce_core::keys::VerifierKey;

/// A log this witness cosigns for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogKey {
    pub origin: String,
    pub vkey: String,
    pub key_id: u32,
}

impl LogKey {
    pub fn parse(vkey: &str) -> Result<Self, String> {
        let key = VerifierKey::parse(vkey)?;
        Ok(Self {
            origin: key.name.as_str().to_string(),
            vkey: vkey.to_string(),
            key_id: key.key_id,
        })
    }
}

/// Parses a policy-style file of `log <vkey> [<url>]` lines; `source` names it in errors.
pub fn parse_file(text: &str, source: &str) -> Result<Vec<LogKey>, String> {
    let mut logs = vec![];
    for (i, line) in text.lines().enumerate() {
        let at = || format!("{source}: line {}", i + 1);
        let mut words = line.split([' ', '\t']).filter(|w| !w.is_empty());
        match words.next() {
            None => {}
            Some(word) if word.starts_with('#') => {}
            Some("log") => {
                let vkey = words
                    .next()
                    .ok_or_else(|| format!("{}: a log line needs a verifier key", at()))?;
                logs.push(LogKey::parse(vkey).map_err(|e| format!("{}: {e}", at()))?);
                if words.nth(1).is_some() {
                    return Err(format!("{}: expected log <vkey> [<url>]", at()));
                }
            }
            Some(other) => {
                return Err(format!("{}: expected a log line, not {other:?}", at()));
            }
        }
    }
    Ok(logs)
}

/// The logs by origin; one key per origin.
pub fn by_origin(logs: Vec<LogKey>) -> Result<BTreeMap<String, LogKey>, String> {
    let mut map = BTreeMap::new();
    for log in logs {
        if let Some(earlier) = map.insert(log.origin.clone(), log) {
            return Err(format!(
                "two keys for the log {}: a witness verifies one key per origin",
                earlier.origin
            ));
        }
    }
    if map.is_empty() {
        return Err("no log to witness: give --log <vkey> or --logs FILE".into());
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VKEY: &str = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";

    #[test]
    fn a_policy_file_of_log_lines_parses() {
        let text = format!("# witnessed\n\n  log {VKEY} https://log.example\n");
        let logs = parse_file(&text, "logs.txt").unwrap();
        assert_eq!(logs[0].origin, "example.com/foo");
        assert_eq!(logs[0].key_id, 0x530d_903a);
    }

    #[test]
    fn other_lines_and_bad_keys_are_refused_with_their_line() {
        let error = parse_file(&format!("witness w {VKEY}\n"), "logs.txt").unwrap_err();
        assert!(
            error.starts_with("logs.txt: line 1: expected a log line"),
            "{error}"
        );
        let bad = VKEY.replace("530d903a", "530d903b");
        let error = parse_file(&format!("\nlog {bad}\n"), "logs.txt").unwrap_err();
        assert!(error.starts_with("logs.txt: line 2:"), "{error}");
    }

    #[test]
    fn two_keys_for_one_origin_are_refused() {
        let log = LogKey::parse(VKEY).unwrap();
        let mut other = log.clone();
        other.vkey.push('x');
        assert!(
            by_origin(vec![log, other])
                .unwrap_err()
                .contains("two keys")
        );
        assert!(by_origin(vec![]).is_err());
    }
}
