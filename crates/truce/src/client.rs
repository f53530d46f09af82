//! Talking to a node: signing a payload as the next entry of a key's chain and posting it,
//! and reading the JSON API. Every command that touches a log over HTTP goes through here,
//! so they all map the node's answers to the same exit codes: a problem with a 4xx status
//! (the request or the entry was refused for what it says) is bad input, 2, and names the
//! problem's field; a 5xx or a transport error means the log could not be reached, 3.

use std::path::Path;

use anyhow::Context;
use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use reqwest::StatusCode;
use serde_json::Value;
use truce_core::Timestamp;
use truce_log::{Author, KeyPair};

use crate::Failure;

/// Where and how a signed entry is posted: the flags every writing command shares.
#[derive(clap::Args)]
pub struct Post {
    /// The node to submit to.
    #[arg(long, env = "TRUCE_SERVER", default_value = "http://127.0.0.1:8080")]
    pub server: String,
    /// The time the entry claims (RFC 3339, UTC); now if left out.
    #[arg(long)]
    pub time: Option<String>,
    /// Print the node's JSON answer (or its problem, if it refuses the entry).
    #[arg(long)]
    pub json: bool,
}

impl Post {
    /// The node these flags name.
    #[must_use]
    pub fn node(&self) -> Node {
        Node::new(&self.server, self.json)
    }
}

/// A node's HTTP interface, and whether answers are printed as JSON.
#[derive(Clone)]
pub struct Node {
    client: reqwest::Client,
    url: String,
    json: bool,
}

/// A key ready to sign the next entry of its chain on one log.
pub struct Signer {
    author: Author,
    /// The delegation the log registered the key for (`None` if it is not registered).
    pub delegation: Option<String>,
}

impl Signer {
    /// The key's name, as registered.
    pub fn name(&self) -> &str {
        self.author.key().name().as_str()
    }

    /// Signs `payload` as the next entry of the chain, assuming the log will admit it
    /// (for entries posted together with [`Node::append_batch`]).
    pub fn sign(&mut self, kind: &str, payload: Value, time: Timestamp) -> Vec<u8> {
        self.author.write(kind, payload, time)
    }

    /// The signing key, to position a new signer where the log says the chain stands.
    pub fn key(&self) -> KeyPair {
        self.author.key().clone()
    }

    /// The chain, to keep where it stands (`offline`).
    pub fn author(&self) -> &Author {
        &self.author
    }

    /// The log's origin, which each entry names.
    pub fn origin(&self) -> String {
        self.author.origin().to_string()
    }
}

impl Node {
    pub fn new(server: &str, json: bool) -> Self {
        Self {
            client: reqwest::Client::new(),
            url: server.trim_end_matches('/').to_string(),
            json,
        }
    }

    /// Reads `key_file` and positions its chain after the key's last entry on the log.
    pub async fn signer(&self, key_file: &Path) -> Result<Signer, Failure> {
        let key = truce_server::keyfile::read_key(key_file).map_err(Failure::usage)?;
        let origin = self.origin().await?;
        self.resume(key, &origin).await
    }

    /// Signs `payload` as the signer's next entry of `kind` and posts it; returns the
    /// node's answer (`{index, leaf_hash, checkpoint}`) once the entry is durable.
    pub async fn append(
        &self,
        signer: &mut Signer,
        kind: &str,
        payload: Value,
        time: Timestamp,
    ) -> Result<Value, Failure> {
        let note = signer.author.write(kind, payload, time);
        let response = self
            .client
            .post(format!("{}/api/v1/entries", self.url))
            .header("content-type", "text/plain; charset=utf-8")
            .body(note)
            .send()
            .await
            .with_context(|| format!("posting to {}", self.url))?;
        self.answer(response, "the log refused the entry").await
    }

    /// Posts signed notes together (`POST /api/v1/entries/batch`); returns the node's
    /// answer, `{appended, results}`, each result a receipt or `{problem}`, in order.
    pub async fn append_batch(&self, notes: Vec<Vec<u8>>) -> Result<Value, Failure> {
        let notes: Vec<String> = notes
            .into_iter()
            .map(|note| String::from_utf8(note).expect("signed notes are UTF-8"))
            .collect();
        self.post_json(
            "/api/v1/entries/batch",
            &serde_json::json!({"notes": notes}),
        )
        .await
    }

    /// `POST` a JSON body to a path of the API; returns its JSON.
    pub async fn post_json(&self, path: &str, body: &Value) -> Result<Value, Failure> {
        let response = self
            .client
            .post(format!("{}{path}", self.url))
            .json(body)
            .send()
            .await
            .with_context(|| format!("posting to {}{path}", self.url))?;
        self.answer(response, "the node refused the request").await
    }

    /// Positions a signer after its key's last entry on the log, as the log says.
    pub async fn resync(&self, signer: &Signer) -> Result<Signer, Failure> {
        let origin = self.origin().await?;
        self.resume(signer.key(), &origin).await
    }

    /// `GET` a path of the API (`/api/v1/...`) with query parameters; returns its JSON.
    pub async fn get_query(
        &self,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Value, Failure> {
        let url = format!("{}{path}", self.url);
        let parsed = if query.is_empty() {
            reqwest::Url::parse(&url)
        } else {
            reqwest::Url::parse_with_params(&url, query)
        };
        let url = parsed
            .with_context(|| format!("{url} is not a URL"))
            .map_err(Failure::usage)?;
        let response = self
            .client
            .get(url.clone())
            .send()
            .await
            .with_context(|| format!("reading {url}"))?;
        self.answer(response, "the node refused the request").await
    }

    /// `GET` a path with query parameters; returns its body, whatever its type.
    pub async fn get_bytes(
        &self,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Vec<u8>, Failure> {
        let (url, response) = self
            .get_ok(path, query, "the node refused the request")
            .await?;
        let body = response
            .bytes()
            .await
            .with_context(|| format!("reading {url}"))?;
        Ok(body.to_vec())
    }

    /// `GET` a path with query parameters: the URL and the answer if it succeeded;
    /// otherwise the failure its problem describes (`what` the node refused).
    async fn get_ok(
        &self,
        path: &str,
        query: &[(String, String)],
        what: &str,
    ) -> Result<(reqwest::Url, reqwest::Response), Failure> {
        let url = reqwest::Url::parse_with_params(&format!("{}{path}", self.url), query)
            .with_context(|| format!("{}{path} is not a URL", self.url))
            .map_err(Failure::usage)?;
        let response = self
            .client
            .get(url.clone())
            .send()
            .await
            .with_context(|| format!("reading {url}"))?;
        if response.status().is_success() {
            return Ok((url, response));
        }
        Err(self
            .answer(response, what)
            .await
            .err()
            .unwrap_or_else(|| Failure::check(anyhow::anyhow!("{url}: an unexpected answer"))))
    }

    /// Stores a sealed file (`PUT /api/v1/sealed/{sha256}`), the request signed by `key`.
    pub async fn put_sealed(
        &self,
        key: &KeyPair,
        origin: &str,
        sha256: &str,
        bytes: Vec<u8>,
    ) -> Result<(), Failure> {
        let path = format!("/api/v1/sealed/{sha256}");
        let request = self.client.put(format!("{}{path}", self.url)).body(bytes);
        let response = signed(request, key, origin, "PUT", &path)
            .send()
            .await
            .with_context(|| format!("storing {path}"))?;
        self.answer(response, "the node refused the sealed file")
            .await
            .map(|_| ())
    }

    /// A sealed file (`GET /api/v1/sealed/{sha256}`), the request signed by `key`.
    pub async fn get_sealed(
        &self,
        key: &KeyPair,
        origin: &str,
        sha256: &str,
    ) -> Result<Vec<u8>, Failure> {
        self.get_signed(key, origin, &format!("/api/v1/sealed/{sha256}"))
            .await
    }

    /// `GET` a path of the API with a request signed by `key`; returns its body.
    pub async fn get_signed(
        &self,
        key: &KeyPair,
        origin: &str,
        path: &str,
    ) -> Result<Vec<u8>, Failure> {
        let request = self.client.get(format!("{}{path}", self.url));
        let response = signed(request, key, origin, "GET", path)
            .send()
            .await
            .with_context(|| format!("reading {path}"))?;
        if !response.status().is_success() {
            return Err(self
                .answer(response, "the node refused the sealed file")
                .await
                .err()
                .unwrap_or_else(|| {
                    Failure::check(anyhow::anyhow!("{path}: an unexpected answer"))
                }));
        }
        let body = response.bytes().await.context("reading a sealed file")?;
        Ok(body.to_vec())
    }

    /// The node's address, without a trailing `/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `GET` a path of the API with query parameters and write its body to `target`, a
    /// chunk at a time; the file appears only once the whole body has arrived (it is
    /// written beside `target` and renamed), so a failure leaves nothing half written.
    /// Returns the bytes written.
    pub async fn download(
        &self,
        path: &str,
        query: &[(String, String)],
        target: &Path,
    ) -> Result<u64, Failure> {
        use std::io::Write;
        let (url, mut response) = self
            .get_ok(path, query, "the node refused the export")
            .await?;
        let mut file = beside(target)?;
        let mut written = 0;
        while let Some(chunk) = response
            .chunk()
            .await
            .with_context(|| format!("reading {url}"))?
        {
            file.write_all(&chunk).context("writing the export")?;
            written += chunk.len() as u64;
        }
        into_place(file, target)?;
        Ok(written)
    }

    /// The body of a successful answer; otherwise the failure its problem describes (and,
    /// with `--json`, the problem printed on standard output).
    async fn answer(&self, response: reqwest::Response, what: &str) -> Result<Value, Failure> {
        let status = response.status();
        let text = response.text().await.context("reading the node's answer")?;
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if status.is_success() {
            return Ok(body);
        }
        if self.json && body.is_object() {
            println!("{body}");
        }
        Err(refusal(what, status, &body))
    }

    /// The log's origin: the name in its verifier key.
    async fn origin(&self) -> Result<String, Failure> {
        let vkey = self
            .client
            .get(format!("{}/log/vkey", self.url))
            .send()
            .await
            .with_context(|| format!("reading {}/log/vkey", self.url))?
            .error_for_status()?
            .text()
            .await?;
        let name = vkey.trim().split('+').next().unwrap_or_default();
        if name.is_empty() {
            return Err(Failure::check(anyhow::anyhow!(
                "{}/log/vkey is not a verifier key",
                self.url
            )));
        }
        Ok(name.to_string())
    }

    /// The author positioned after its last entry on the log (or at the start if the key
    /// is not registered yet: the log will then say why it refuses).
    async fn resume(&self, key: KeyPair, origin: &str) -> Result<Signer, Failure> {
        let url = format!("{}/api/v1/keys/{}", self.url, key.name());
        let response = self.client.get(url).send().await?;
        if response.status() == StatusCode::NOT_FOUND {
            let author = Author::new(key, origin);
            return Ok(Signer {
                author,
                delegation: None,
            });
        }
        let head: Value = response.error_for_status()?.json().await?;
        let seq = head["seq"].as_u64().unwrap_or(0);
        let last = head["last_leaf_hash"]
            .as_str()
            .and_then(|h| BASE64.decode(h).ok())
            .and_then(|h| <[u8; 32]>::try_from(h).ok());
        Ok(Signer {
            author: Author::resume(key, origin, seq, last),
            delegation: head["delegation"].as_str().map(str::to_string),
        })
    }
}

/// The failure a problem answer means: a 4xx is bad input (exit 2) and names the field;
/// anything else means the log could not serve the request (exit 3).
/// Adds the headers of a request signed by `key` (`truce_log::request`).
fn signed(
    request: reqwest::RequestBuilder,
    key: &KeyPair,
    origin: &str,
    method: &str,
    path: &str,
) -> reqwest::RequestBuilder {
    use truce_log::request::{KEY_HEADER, SIGNATURE_HEADER, TIME_HEADER, sign};
    let [name, time, signature] = sign(key, origin, method, path, now_unix_s());
    request
        .header(KEY_HEADER, name)
        .header(TIME_HEADER, time)
        .header(SIGNATURE_HEADER, signature)
}

fn refusal(what: &str, status: StatusCode, problem: &Value) -> Failure {
    let detail = problem["detail"].as_str().unwrap_or("no detail");
    let message = match problem["field"].as_str() {
        Some(field) => {
            let reason = detail.strip_prefix(&format!("{field}: ")).unwrap_or(detail);
            format!("{what} ({status}): field {field}: {reason}")
        }
        None => format!("{what} ({status}): {detail}"),
    };
    if status.is_client_error() {
        Failure::usage(anyhow::anyhow!(message))
    } else {
        Failure::unreachable(anyhow::anyhow!(message))
    }
}

/// The time an entry claims: `--time` if given, otherwise now.
pub fn entry_time(time: Option<&str>) -> Result<Timestamp, Failure> {
    match time {
        Some(text) => {
            Timestamp::parse(text).map_err(|e| Failure::usage(anyhow::anyhow!("--time: {e}")))
        }
        None => Ok(Timestamp::from_unix_seconds(now_unix_s())),
    }
}

fn now_unix_s() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
}

/// A new file beside `target` (same folder, so the final rename is atomic).
pub(crate) fn beside(target: &Path) -> Result<tempfile::NamedTempFile, Failure> {
    let folder = target.parent().filter(|p| !p.as_os_str().is_empty());
    tempfile::NamedTempFile::new_in(folder.unwrap_or(Path::new(".")))
        .with_context(|| format!("writing beside {}", target.display()))
        .map_err(Failure::usage)
}

/// Makes `file` durable and renames it to `target`: a failure before this leaves nothing
/// half written under the target's name.
pub(crate) fn into_place(file: tempfile::NamedTempFile, target: &Path) -> Result<(), Failure> {
    file.as_file()
        .sync_all()
        .with_context(|| format!("writing {}", target.display()))?;
    file.persist(target)
        .with_context(|| format!("writing {}", target.display()))
        .map_err(Failure::usage)?;
    Ok(())
}
