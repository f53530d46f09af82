//! Sealed testimony with real processes: a demo node, and `truce` commands as the monitor,
//! the custodians and the requester would run them, each with their own keys. A testimony
//! sealed under 3 of 5 custodians across three delegations (and at least one monitor, as
//! the exercise's agreement says) opens with three approvals and not with two, only on the
//! requester's machine; the node's data directory never holds the witness's identity or
//! the data key; destruction deletes every ciphertext and share; the refusals name the
//! field.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};
use truce_log::KeyPair;

use crate::support::*;

/// What the witness said, sealed: the test looks for these bytes everywhere the node keeps
/// anything.
const IDENTITY: &str = "EXERCISE-WITNESS Zarghuna Q7 of Spin Boldak";
const CONTACT: &str = "EXERCISE-CONTACT +93-700-000-777";

struct Mechanism {
    server: Server,
    data: tempfile::TempDir,
    /// The test's own files: each person's keys, the opened testimony.
    home: tempfile::TempDir,
}

impl Mechanism {
    fn start() -> Self {
        let data = tempfile::tempdir().unwrap();
        let server = Server::start(data.path(), &[]);
        Self {
            server,
            data,
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn demo_key(&self, file: &str) -> PathBuf {
        self.data.path().join(format!("demo-keys/{file}.key"))
    }

    fn home(&self, file: &str) -> PathBuf {
        self.home.path().join(file)
    }

    /// `truce ARGS` against this node.
    fn truce(&self, args: &[&str]) -> Output {
        truce()
            .args(args)
            .env("TRUCE_SERVER", self.server.url())
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.truce(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must be refused as bad input, and returns its stderr.
    fn refused(&self, args: &[&str]) -> String {
        let out = self.truce(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        stderr(&out)
    }

    fn index(&self, args: &[&str]) -> u64 {
        let mut all = args.to_vec();
        all.push("--json");
        let answer: Value = serde_json::from_str(&self.ok(&all)).unwrap();
        answer["index"].as_u64().unwrap()
    }

    /// A new officer key registered by `delegation`'s root; returns its key file.
    fn new_officer(&self, delegation: &str, name: &str, role: &str) -> PathBuf {
        let file = self.home(&format!("{delegation}-{name}.key"));
        let full = format!("{ORIGIN}/{delegation}/{name}");
        let vkey = self.ok(&[
            "keys",
            "generate",
            "--name",
            &full,
            "-o",
            file.to_str().unwrap(),
        ]);
        let root = self.demo_key(&format!("{delegation}-root"));
        self.ok(&[
            "keys",
            "register",
            "--key",
            root.to_str().unwrap(),
            "--vkey",
            vkey.trim(),
            "--role",
            role,
        ]);
        file
    }

    /// Makes a custodian key for `officer` and has their delegation's root register it.
    fn custodian(&self, delegation: &str, officer: &str) -> Result<PathBuf, String> {
        let file = self.home(&format!("{delegation}-{officer}.x25519"));
        let public = self.ok(&["custodian", "keygen", "--out", file.to_str().unwrap()]);
        let root = self.demo_key(&format!("{delegation}-root"));
        let name = format!("{ORIGIN}/{delegation}/{officer}");
        let out = self.truce(&[
            "custodian",
            "register",
            "--key",
            root.to_str().unwrap(),
            "--officer",
            &name,
            "--encryption-key",
            public.trim(),
        ]);
        if out.status.success() {
            Ok(file)
        } else {
            Err(stderr(&out))
        }
    }

    fn approve(&self, signing: &Path, custodian: &Path, request: u64) -> Output {
        self.truce(&[
            "testimony",
            "approve",
            "--key",
            signing.to_str().unwrap(),
            "--custodian-key",
            custodian.to_str().unwrap(),
            "--request",
            &request.to_string(),
        ])
    }

    fn open(&self, request: u64, out: &str) -> Output {
        let key = self.demo_key("jmt-monitor-2");
        self.truce(&[
            "testimony",
            "open",
            "--key",
            key.to_str().unwrap(),
            "--recipient-key",
            self.home("request.x25519").to_str().unwrap(),
            "--request",
            &request.to_string(),
            "--out",
            self.home(out).to_str().unwrap(),
        ])
    }

    /// A sealed file as the node serves it to `key`: the status and the body.
    async fn fetch(&self, key: &KeyPair, sha256: &str) -> (u16, Vec<u8>) {
        use truce_log::request::{KEY_HEADER, SIGNATURE_HEADER, TIME_HEADER, sign};
        let path = format!("/api/v1/sealed/{sha256}");
        let now = now().unix_seconds();
        let [name, time, signature] = sign(key, ORIGIN, "GET", &path, now);
        let response = reqwest::Client::new()
            .get(format!("{}{path}", self.server.url()))
            .header(KEY_HEADER, name)
            .header(TIME_HEADER, time)
            .header(SIGNATURE_HEADER, signature)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.bytes().await.unwrap().to_vec())
    }

    /// A second monitor asks to open `testimony`, keeping the request's key in
    /// `request.x25519`; answers the request's index.
    fn request(&self, testimony: u64, reason: &str) -> u64 {
        let requester = self.demo_key("jmt-monitor-2");
        self.index(&[
            "testimony",
            "request",
            "--key",
            requester.to_str().unwrap(),
            "--testimony",
            &testimony.to_string(),
            "--reason",
            reason,
            "--recipient-key-out",
            self.home("request.x25519").to_str().unwrap(),
        ])
    }

    /// Asks to open `testimony` as a monitor, has three of the exercise's custodians
    /// approve with their demo keys, opens it, and answers the opened `testimony.json`.
    fn opened_by_the_demo_custodians(&self, testimony: u64) -> String {
        let request = self.request(testimony, "EXERCISE: trying the unsealing");
        for who in ["jmt-monitor-1", "tr-commissioner-1", "qa-commissioner-1"] {
            let custodian = self.data.path().join(format!("demo-keys/{who}.custodian"));
            let out = self.approve(&self.demo_key(who), &custodian, request);
            assert!(out.status.success(), "{who}: {}", stderr(&out));
        }
        let out = self.open(request, "opened");
        assert!(out.status.success(), "{}", stderr(&out));
        std::fs::read_to_string(self.home("opened").join("testimony.json")).unwrap()
    }

    async fn testimony(&self, index: u64) -> Value {
        let url = format!("{}/api/v1/testimonies/{index}", self.server.url());
        reqwest::get(url).await.unwrap().json().await.unwrap()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = vec![];
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// The files under `dir` that hold `needle` anywhere in their bytes.
fn holding(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    files(dir)
        .into_iter()
        .filter(|path| {
            let bytes = std::fs::read(path).unwrap_or_default();
            bytes.windows(needle.len()).any(|w| w == needle)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn three_of_five_custodians_across_delegations_open_a_testimony_and_two_do_not() {
    let m = Mechanism::start();
    let people = custodians(&m);
    let testimony = record(&m);
    let shown = m.testimony(testimony).await;
    assert_eq!(shown["shares"].as_array().unwrap().len(), 5, "{shown}");
    assert_eq!(shown["policy"]["threshold"], 3);
    let sealed = shown["sealed_sha256"].as_str().unwrap().to_string();
    let request = two_approvals_do_not_open_it(&m, &people, testimony, &sealed).await;
    refusals_name_the_field(&m, &people, request);
    the_third_opens_it_on_the_requesters_machine(&m, &people, request, &sealed).await;
    let (released, ciphertext) = the_node_holds_no_secret(&m, testimony, &sealed).await;
    destruction_deletes_every_copy(&m, testimony, &sealed, &released, &ciphertext).await;
}

/// Each custodian's signing key file and custodian key file, in the order of `CUSTODIANS`.
struct People {
    signing: Vec<PathBuf>,
    custodian: Vec<PathBuf>,
}

const CUSTODIANS: [(&str, &str); 5] = [
    ("jmt", "monitor-1"),
    ("jmt", "monitor-2"),
    ("tr", "commissioner-1"),
    ("tr", "commissioner-2"),
    ("qa", "commissioner-1"),
];

/// Five custodians: two monitors, two Turkish commissioners, one Qatari; a sixth that
/// would let the monitors alone meet the policy is refused.
fn custodians(m: &Mechanism) -> People {
    let tr2 = m.new_officer("tr", "commissioner-2", "commissioner");
    let mut people = People {
        signing: vec![],
        custodian: vec![],
    };
    for (delegation, officer) in CUSTODIANS {
        people
            .custodian
            .push(m.custodian(delegation, officer).unwrap());
        people.signing.push(if officer == "commissioner-2" {
            tr2.clone()
        } else {
            m.demo_key(&format!("{delegation}-{officer}"))
        });
    }
    // A third monitor would let the monitors alone meet "3 approvals, one a monitor's".
    m.new_officer("jmt", "monitor-3", "monitor");
    let refused = m.custodian("jmt", "monitor-3").unwrap_err();
    assert!(refused.contains("payload.key"), "{refused}");
    assert!(refused.contains("jmt's custodians alone"), "{refused}");
    people
}

/// The monitor records the testimony; the sealed part never leaves their process clear.
fn record(m: &Mechanism) -> u64 {
    let statement = m.home("statement.txt");
    std::fs::write(&statement, "EXERCISE: the whole statement, with names.").unwrap();
    let photo = m.home("photo.jpg");
    std::fs::write(&photo, b"EXERCISE-PHOTO-BYTES").unwrap();
    let monitor = m.demo_key("jmt-monitor-1");
    m.index(&[
        "testimony",
        "record",
        "--key",
        monitor.to_str().unwrap(),
        "--pseudonym",
        "Witness K-7",
        "--consent",
        "quote,publish_redacted",
        "--statement",
        "EXERCISE: mortar rounds fell before dawn.",
        "--identity",
        IDENTITY,
        "--contact",
        CONTACT,
        "--full-statement",
        statement.to_str().unwrap(),
        "--file",
        photo.to_str().unwrap(),
    ])
}

/// A second monitor asks to open it; a monitor and a Turkish commissioner approve: not
/// enough, and the node does not serve the sealed part.
async fn two_approvals_do_not_open_it(
    m: &Mechanism,
    people: &People,
    testimony: u64,
    sealed: &str,
) -> u64 {
    let request = m.request(testimony, "EXERCISE: to re-interview the witness");
    for i in [0, 2] {
        let out = m.approve(&people.signing[i], &people.custodian[i], request);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let err = stderr(&m.open(request, "opened-early"));
    assert!(err.contains("do not meet the policy"), "{err}");
    assert!(!m.home("opened-early").join("testimony.json").exists());
    let requester_key = demo_key(m.data.path(), "jmt-monitor-2");
    assert_eq!(m.fetch(&requester_key, sealed).await.0, 404);
    // Nor the shares released so far: a request that falls short releases nothing.
    let shown = m.testimony(testimony).await;
    for approval in shown["requests"][0]["approvals"].as_array().unwrap() {
        let sha = approval["sha256"].as_str().unwrap();
        assert_eq!(m.fetch(&requester_key, sha).await.0, 404);
    }
    request
}

/// The same custodian cannot approve twice; a non-custodian cannot approve at all.
/// (`truce testimony approve` says so before it releases anything; the log refuses it
/// from whoever signs it.)
fn refusals_name_the_field(m: &Mechanism, people: &People, request: u64) {
    let err = m.refused(&[
        "testimony",
        "approve",
        "--key",
        people.signing[0].to_str().unwrap(),
        "--custodian-key",
        people.custodian[0].to_str().unwrap(),
        "--request",
        &request.to_string(),
    ]);
    assert!(
        err.contains("approved request") && err.contains("already"),
        "{err}"
    );
    let approval = json!({"request": request, "sha256": "ab".repeat(32)}).to_string();
    let submit = |key: &Path| {
        m.refused(&[
            "submit",
            "--key",
            key.to_str().unwrap(),
            "--kind",
            "testimony.unseal_approved",
            "--payload",
            &approval,
        ])
    };
    let err = submit(&people.signing[0]);
    assert!(
        err.contains("payload.request") && err.contains("already"),
        "{err}"
    );
    let err = submit(&m.demo_key("pk-liaison-1"));
    assert!(
        err.contains("author") && err.contains("not a custodian"),
        "{err}"
    );
}

/// The third approval (Qatar's) meets the policy: the requester opens it into a directory
/// of their own; a custodian who approved still cannot fetch the sealed part.
async fn the_third_opens_it_on_the_requesters_machine(
    m: &Mechanism,
    people: &People,
    request: u64,
    sealed: &str,
) {
    let out = m.approve(&people.signing[4], &people.custodian[4], request);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = m.open(request, "opened");
    assert!(out.status.success(), "{}", stderr(&out));
    let opened = std::fs::read_to_string(m.home("opened").join("testimony.json")).unwrap();
    assert!(
        opened.contains(IDENTITY) && opened.contains(CONTACT),
        "{opened}"
    );
    assert_eq!(
        std::fs::read(m.home("opened").join("photo.jpg")).unwrap(),
        b"EXERCISE-PHOTO-BYTES"
    );
    let custodian_key = demo_key(m.data.path(), "jmt-monitor-1");
    assert_eq!(m.fetch(&custodian_key, sealed).await.0, 404);
}

/// The data key, recovered here as the requester's machine did: neither it nor the
/// witness's identity is anywhere in the node's data directory or database. Answers the
/// released shares' hashes and the ciphertext.
async fn the_node_holds_no_secret(
    m: &Mechanism,
    testimony: u64,
    sealed: &str,
) -> (Vec<String>, Vec<u8>) {
    let requester_key = demo_key(m.data.path(), "jmt-monitor-2");
    let shown = m.testimony(testimony).await;
    let approvals = shown["requests"][0]["approvals"]
        .as_array()
        .unwrap()
        .clone();
    let recipient = truce_seal::SecretKey::from_base64(
        &std::fs::read_to_string(m.home("request.x25519")).unwrap(),
    )
    .unwrap();
    let mut released = vec![];
    let mut bundles = vec![];
    for approval in &approvals {
        let sha = approval["sha256"].as_str().unwrap();
        let (status, blob) = m.fetch(&requester_key, sha).await;
        assert_eq!(status, 200);
        let custodian = approval["custodian"].as_str().unwrap();
        bundles.push(truce_seal::open_released(&recipient, custodian, sealed, &blob).unwrap());
        released.push(sha.to_string());
    }
    let policy = serde_json::from_value(shown["policy"].clone()).unwrap();
    let data_key = truce_seal::recover(&bundles, &policy).unwrap();
    let (status, ciphertext) = m.fetch(&requester_key, sealed).await;
    assert_eq!(status, 200);
    for needle in [
        IDENTITY.as_bytes(),
        CONTACT.as_bytes(),
        b"EXERCISE-PHOTO-BYTES".as_slice(),
        data_key.as_slice(),
        hex_of(data_key.as_slice()).as_bytes(),
        base64_of(data_key.as_slice()).as_bytes(),
    ] {
        let found = holding(m.data.path(), needle);
        assert!(found.is_empty(), "{found:?} hold a secret");
    }
    assert_eq!(holding(m.data.path(), &ciphertext[..64]).len(), 1);
    (released, ciphertext)
}

/// The witness withdraws consent: the testimony is destroyed, every file of it deleted,
/// and the shares released before are of no use; the hash stays on the log.
async fn destruction_deletes_every_copy(
    m: &Mechanism,
    testimony: u64,
    sealed: &str,
    released: &[String],
    ciphertext: &[u8],
) {
    let shown = m.testimony(testimony).await;
    let monitor = m.demo_key("jmt-monitor-1");
    m.ok(&[
        "testimony",
        "destroy",
        "--key",
        monitor.to_str().unwrap(),
        "--testimony",
        &testimony.to_string(),
        "--reason",
        "consent_withdrawn",
    ]);
    let shares = shown["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sha256"].as_str().unwrap().to_string());
    let all: Vec<String> = std::iter::once(sealed.to_string())
        .chain(shares)
        .chain(released.iter().cloned())
        .collect();
    // (The exercise's own testimony keeps its files.)
    let held = |sha: &String| {
        m.data
            .path()
            .join("sealed")
            .join(&sha[..2])
            .join(sha)
            .exists()
    };
    for _ in 0..100 {
        if !all.iter().any(held) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let kept: Vec<&String> = all.iter().filter(|sha| held(sha)).collect();
    assert!(kept.is_empty(), "{kept:?}");
    let requester_key = demo_key(m.data.path(), "jmt-monitor-2");
    for sha in &all {
        assert_eq!(m.fetch(&requester_key, sha).await.0, 410, "{sha}");
    }
    assert!(holding(m.data.path(), &ciphertext[..64]).is_empty());
    let request = shown["requests"][0]["index"].as_u64().unwrap();
    let err = stderr(&m.open(request, "opened-after"));
    assert!(err.contains("destroyed"), "{err}");
    let shown = m.testimony(testimony).await;
    assert_eq!(shown["sealed_sha256"], sealed);
    assert_eq!(shown["destroyed_reason"], "consent_withdrawn");
    assert_eq!(shown["requests"][0]["status"], "destroyed");
}

fn hex_of(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The exercise's own testimony, sealed by `truce serve --demo`, opens with the demo
/// custodians' keys: its files on the node are the ones its entry names.
#[tokio::test(flavor = "multi_thread")]
async fn the_exercises_testimony_opens_with_the_demo_custodians_keys() {
    let m = Mechanism::start();
    let url = format!("{}/api/v1/testimonies", m.server.url());
    let list: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    let testimony = list["items"][0]["index"].as_u64().unwrap();
    assert_eq!(list["items"][0]["pseudonym"], "EXERCISE Witness W-1");
    let opened = m.opened_by_the_demo_custodians(testimony);
    assert!(
        opened.contains("shopkeeper of the Chaman market"),
        "{opened}"
    );
}

/// A way to reach a public reporter is sealed by the node as the form arrives; a monitor
/// records it as a testimony without ever seeing it, and it opens like any other.
#[tokio::test(flavor = "multi_thread")]
async fn a_public_reporters_contact_is_sealed_on_arrival_and_opened_as_testimony() {
    let m = Mechanism::start();
    let contact = "EXERCISE-REPORTER ask for Gul at the bazaar pharmacy";
    let id = send_public_report(&m, contact).await;
    assert!(holding(m.data.path(), contact.as_bytes()).is_empty());
    let monitor = m.demo_key("jmt-monitor-1");
    let testimony = m.index(&[
        "testimony",
        "record",
        "--key",
        monitor.to_str().unwrap(),
        "--public-report",
        &id,
        "--pseudonym",
        "EXERCISE public reporter",
        "--consent",
        "never",
    ]);
    let opened = m.opened_by_the_demo_custodians(testimony);
    assert!(opened.contains(contact), "{opened}");
}

/// Sends the public form as a browser would, leaving `contact`; answers the reference.
async fn send_public_report(m: &Mechanism, contact: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client
        .get(format!("{}/report", m.server.url()))
        .send()
        .await
        .unwrap();
    let jar = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("truce_public="))
        .unwrap();
    let csrf = jar.trim_start_matches("truce_public=").to_string();
    let fields = [
        ("csrf", csrf.as_str()),
        (
            "account",
            "EXERCISE: mortar rounds landed near the school at dawn.",
        ),
        ("date", "2025-10-14"),
        ("place", "Chaman, Killa Abdullah, Balochistan"),
        ("contact", contact),
    ];
    let answer = client
        .post(format!("{}/report", m.server.url()))
        .header("cookie", jar)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(&fields))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    let location = answer.headers()["location"].to_str().unwrap();
    location.strip_prefix("/report/").unwrap().to_string()
}

/// `application/x-www-form-urlencoded` of `fields`.
fn form_body(fields: &[(&str, &str)]) -> String {
    let url = reqwest::Url::parse_with_params("http://form.invalid/", fields).unwrap();
    url.query().unwrap_or_default().to_string()
}
