//! Writes sent to a process that does not sequence (PostgreSQL: several `truce serve`
//! processes on one database behind one address) are forwarded to the one that does, as
//! `POST /api/v1/entries/batch`, and its answers relayed: every process takes writes, and
//! each is acknowledged only once the sequencer has made it durable, as if sent there.
//!
//! The sequencer records where it is reached each time it takes the lead
//! (`Store::advertise_sequencer`); the others read it for each batch they forward. A
//! forwarded request carries [`FORWARDED`], and a process that does not sequence refuses
//! it (503) instead of forwarding it again, so two processes with stale views never pass a
//! request back and forth.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use truce_core::rejection::{Rejection, RejectionCode};
use truce_log::{SignedCheckpoint, SignedEntry};

use crate::sequencer::{Receipt, SubmitError};

/// The header marking a request forwarded by another process of the same log.
pub const FORWARDED: &str = "truce-forwarded";

/// The problem type (`/problems/<slug>`) of a forwarded request refused whole, before
/// anything was queued, by a process that does not sequence.
pub const NOT_SEQUENCER: &str = "not-sequencer";

/// Why a batch could not be handed to the sequencer.
#[derive(Debug)]
pub enum ForwardError {
    /// Nothing was sent (the sequencer was not reached): the batch may go elsewhere.
    NotSent(String),
    /// Sent, but no answer came: the entries may or may not be on the log.
    Unknown(String),
    /// Refused whole, before anything was queued (a 4xx): not appended.
    Refused(String),
}

/// Forwards batches to the sequencing process.
#[derive(Clone)]
pub struct Forwarder {
    client: reqwest::Client,
    log_vkey: Arc<str>,
    /// Notes per forwarded request: the sequencer's `submit_batch_entries_max`.
    notes_max: usize,
    /// Bytes of notes per forwarded request: half the sequencer's `request_bytes_max`, so
    /// the JSON around them (escaped newlines) fits.
    bytes_max: usize,
}

#[derive(Deserialize)]
struct BatchAnswer {
    results: Vec<NoteAnswer>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum NoteAnswer {
    Appended {
        index: u64,
        leaf_hash: String,
        checkpoint: String,
    },
    Refused {
        problem: RelayedProblem,
    },
}

#[derive(Deserialize)]
struct RelayedProblem {
    #[serde(rename = "type")]
    type_uri: String,
    detail: String,
    field: Option<String>,
}

impl Forwarder {
    #[must_use]
    pub fn new(log_vkey: Arc<str>, limits: &crate::config::Limits) -> Self {
        // Half the request's time: the client's request has already waited for its batch,
        // and should hear "outcome unknown" from here rather than its own timeout.
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(limits.request_timeout_ms / 2))
            .build()
            .expect("a default HTTP client builds");
        Self {
            client,
            log_vkey,
            notes_max: limits.submit_batch_entries_max.max(1),
            bytes_max: (limits.request_bytes_max / 2).max(1),
        }
    }

    /// Sends `entries` to the sequencer at `url`, in order, in as few requests as its
    /// limits allow; answers each entry's outcome in the same order. An error stops at the
    /// first request that failed: the entries of earlier requests have their outcomes.
    pub async fn forward(
        &self,
        url: &str,
        entries: &[&SignedEntry],
    ) -> (Vec<Result<Receipt, SubmitError>>, Option<ForwardError>) {
        // Each note encoded once, as sent (a JSON string), and requests cut by that size.
        let encoded: Vec<String> = entries
            .iter()
            .map(|e| {
                let note = String::from_utf8_lossy(e.note());
                serde_json::to_string(&note).expect("a string encodes as JSON")
            })
            .collect();
        let sizes = encoded.iter().map(|note| note.len() + 1);
        let mut outcomes = Vec::with_capacity(entries.len());
        for range in chunk_ranges(sizes, self.notes_max, self.bytes_max) {
            let body = format!(r#"{{"notes":[{}]}}"#, encoded[range.clone()].join(","));
            match self.send(url, body, &entries[range]).await {
                Ok(answers) => outcomes.extend(answers),
                Err(e) => return (outcomes, Some(e)),
            }
        }
        (outcomes, None)
    }

    /// Posts `body` (the notes of `entries`, in order) and reads each one's outcome.
    async fn send(
        &self,
        url: &str,
        body: String,
        entries: &[&SignedEntry],
    ) -> Result<Vec<Result<Receipt, SubmitError>>, ForwardError> {
        let sent = self
            .client
            .post(format!(
                "{}/api/v1/entries/batch",
                url.trim_end_matches('/')
            ))
            .header(FORWARDED, "1")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(e) if e.is_connect() => return Err(ForwardError::NotSent(e.to_string())),
            Err(e) => return Err(ForwardError::Unknown(e.to_string())),
        };
        let status = response.status();
        if !status.is_success() {
            return Err(whole_refusal(
                url,
                status,
                &response.bytes().await.unwrap_or_default(),
            ));
        }
        let answer: BatchAnswer = match response.json().await {
            Ok(answer) => answer,
            Err(e) => return Err(ForwardError::Unknown(format!("{url}: {e}"))),
        };
        if answer.results.len() != entries.len() {
            let got = answer.results.len();
            return Err(ForwardError::Unknown(format!(
                "{url} answered {got} results for {} notes",
                entries.len()
            )));
        }
        // The entries of one batch share a checkpoint: its signature is checked once.
        let mut checked = None;
        Ok(answer
            .results
            .into_iter()
            .zip(entries)
            .map(|(answer, entry)| self.outcome(answer, entry, &mut checked))
            .collect())
    }

    fn outcome(
        &self,
        answer: NoteAnswer,
        entry: &SignedEntry,
        checked: &mut Option<(String, Arc<SignedCheckpoint>)>,
    ) -> Result<Receipt, SubmitError> {
        match answer {
            NoteAnswer::Appended {
                index,
                leaf_hash,
                checkpoint: note,
            } => {
                let checkpoint = match checked {
                    Some((known, checkpoint)) if *known == note => checkpoint.clone(),
                    _ => {
                        let checkpoint = SignedCheckpoint::verify(note.as_bytes(), &self.log_vkey)
                            .map_err(|e| unknown(&format!("the sequencer's checkpoint: {e}")))?;
                        let checkpoint = Arc::new(checkpoint);
                        *checked = Some((note, checkpoint.clone()));
                        checkpoint
                    }
                };
                let ours = entry.leaf_hash();
                if leaf_hash != ours.to_string() || index >= checkpoint.size {
                    return Err(unknown("the sequencer's receipt is not for this entry"));
                }
                Ok(Receipt {
                    index,
                    leaf_hash: ours,
                    checkpoint,
                })
            }
            NoteAnswer::Refused { problem } => {
                let slug = problem.type_uri.rsplit('/').next().unwrap_or_default();
                if slug == "outcome-unknown" {
                    return Err(SubmitError::Unknown(problem.detail));
                }
                let Some(code) = RejectionCode::from_slug(slug) else {
                    // Not a refusal of the entry (503, 500): it may be sent again.
                    return Err(SubmitError::Unavailable(problem.detail));
                };
                let field = problem.field.unwrap_or_default();
                let reason = problem
                    .detail
                    .strip_prefix(&format!("{field}: "))
                    .unwrap_or(&problem.detail)
                    .to_string();
                Err(Rejection::new(code, field, reason).into())
            }
        }
    }
}

/// Consecutive ranges of notes of these sizes, each of at most `notes_max` notes and
/// `bytes_max` bytes (a single larger note alone), covering them all in order.
fn chunk_ranges(
    sizes: impl Iterator<Item = usize>,
    notes_max: usize,
    bytes_max: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut ranges = vec![];
    let (mut start, mut bytes, mut end) = (0, 0, 0);
    for (i, size) in sizes.enumerate() {
        if i > start && (i - start == notes_max || bytes + size > bytes_max) {
            ranges.push(start..i);
            (start, bytes) = (i, 0);
        }
        bytes += size;
        end = i + 1;
    }
    if start < end {
        ranges.push(start..end);
    }
    ranges
}

/// What a whole request's refusal (no per-note answers) means for its notes. Only a
/// process saying it no longer sequences certainly queued nothing and may be passed by;
/// any other 503 or 5xx (a timeout, a proxy) may come after the notes were queued.
fn whole_refusal(url: &str, status: reqwest::StatusCode, body: &[u8]) -> ForwardError {
    let problem: Option<RelayedProblem> = serde_json::from_slice(body).ok();
    let slug = problem
        .as_ref()
        .and_then(|p| p.type_uri.rsplit('/').next())
        .unwrap_or_default();
    let detail = problem.as_ref().map_or("", |p| p.detail.as_str());
    let why = format!("{url} answered {status}: {detail}");
    if slug == NOT_SEQUENCER {
        ForwardError::NotSent(why)
    } else if status.is_client_error() {
        ForwardError::Refused(why)
    } else {
        ForwardError::Unknown(why)
    }
}

fn unknown(why: &str) -> SubmitError {
    SubmitError::Unknown(format!(
        "forwarded to the sequencer, but {why}; look the entry up before submitting it again"
    ))
}

#[cfg(test)]
mod tests {
    use super::chunk_ranges;

    fn sizes(list: &[usize]) -> impl Iterator<Item = usize> + '_ {
        list.iter().copied()
    }

    #[test]
    fn notes_are_split_by_count_and_bytes_in_order() {
        assert_eq!(chunk_ranges(sizes(&[]), 2, 100), vec![]);
        assert_eq!(
            chunk_ranges(sizes(&[10; 5]), 2, 100),
            vec![0..2, 2..4, 4..5]
        );
        assert_eq!(
            chunk_ranges(sizes(&[60, 60, 30, 10]), 10, 100),
            vec![0..1, 1..4]
        );
        // A note larger than the bytes allowed goes alone rather than not at all.
        assert_eq!(
            chunk_ranges(sizes(&[10, 500, 10]), 10, 100),
            vec![0..1, 1..2, 2..3]
        );
    }
}
