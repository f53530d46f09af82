//! `truce genesis draft|sign|assemble`: the ceremony that constitutes a mechanism's record,
//! each delegation's root key staying on its own machine (see `truce_agreement`).

use std::path::{Path, PathBuf};

use truce_agreement::{AgreementError, AgreementFile, Draft, SignatureLine};

use crate::Failure;

/// The largest draft or signature file read, in bytes: a genesis is one entry.
const DRAFT_BYTES_MAX: u64 = truce_core::ENTRY_BYTES_MAX as u64;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Write the exact genesis text to sign from an agreement file (TOML; see
    /// crates/truce-demo/agreement.toml), and print its SHA-256 for every delegation to
    /// compare out of band before signing.
    Draft {
        /// The agreement file.
        agreement: PathBuf,
        /// Where to write the draft.
        #[arg(long, short = 'o', default_value = "genesis.json")]
        output: PathBuf,
    },
    /// Sign a draft with a delegation's root key, without the network: writes the one
    /// signature line that leaves the delegation's machine.
    Sign {
        /// The draft (`genesis.json`).
        draft: PathBuf,
        /// The delegation's root private key file.
        #[arg(long)]
        key: PathBuf,
        /// Where to write the signature line.
        #[arg(long, short = 'o')]
        output: PathBuf,
    },
    /// Check every delegation's signature over the draft and write the signed genesis,
    /// which `truce serve --genesis` takes as entry 0. A missing, extra or wrong
    /// signature is refused, naming the delegation and the file.
    Assemble {
        /// The draft (`genesis.json`).
        draft: PathBuf,
        /// One signature file per delegation.
        #[arg(required = true)]
        signatures: Vec<PathBuf>,
        /// Where to write the signed genesis.
        #[arg(long, short = 'o', default_value = "genesis.note")]
        output: PathBuf,
    },
}

pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Draft { agreement, output } => draft(&agreement, &output),
        Command::Sign { draft, key, output } => sign(&draft, &key, &output),
        Command::Assemble {
            draft,
            signatures,
            output,
        } => assemble(&draft, &signatures, &output),
    }
}

fn draft(agreement: &Path, output: &Path) -> Result<(), Failure> {
    let limit = truce_agreement::AGREEMENT_BYTES_MAX as u64;
    let text = read_bounded(agreement, limit)?;
    let file = AgreementFile::parse(&text).map_err(|e| refused(agreement, &e))?;
    let geometry = geometry_sha256(agreement, &file)?;
    let now = crate::client::entry_time(None)?;
    let draft = file
        .draft(geometry, now)
        .map_err(|e| refused(agreement, &e))?;
    write(output, draft.text().as_bytes())?;
    let genesis = draft.genesis();
    println!(
        "{}: the genesis of {:?} ({})",
        output.display(),
        genesis.title,
        genesis.log.origin
    );
    for delegation in &genesis.delegations {
        println!(
            "  to be signed by {} ({:?}) with {}",
            delegation.id,
            delegation.name,
            root_name(&delegation.root_key)
        );
    }
    println!("SHA-256 {}", draft.sha256_hex());
    println!("Every delegation compares this SHA-256 out of band before signing.");
    Ok(())
}

/// The hash of the geometry file the agreement names, read and checked relative to it.
fn geometry_sha256(agreement: &Path, file: &AgreementFile) -> Result<Option<String>, Failure> {
    let Some(path) = file.geometry.as_ref().and_then(|g| g.file.as_ref()) else {
        return Ok(None);
    };
    let path = agreement.parent().unwrap_or(Path::new(".")).join(path);
    let (geometry, _) = crate::geo::read_checked(&path).map_err(|failure| {
        Failure::usage(anyhow::anyhow!(
            "{}: geometry.file: {}",
            agreement.display(),
            failure.error
        ))
    })?;
    Ok(Some(geometry.sha256().to_string()))
}

fn sign(draft_file: &Path, key_file: &Path, output: &Path) -> Result<(), Failure> {
    let draft = read_draft(draft_file)?;
    let key = truce_server::keyfile::read_key(key_file).map_err(Failure::usage)?;
    let line = draft.sign(&key).map_err(|e| refused(key_file, &e))?;
    let delegation = draft.delegation_of(&key).expect("sign checked it");
    write(output, line.to_string().as_bytes())?;
    println!(
        "{}: delegation {delegation}'s signature over the draft with SHA-256 {}",
        output.display(),
        draft.sha256_hex()
    );
    Ok(())
}

fn assemble(draft_file: &Path, files: &[PathBuf], output: &Path) -> Result<(), Failure> {
    let draft = read_draft(draft_file)?;
    let mut signatures = Vec::with_capacity(files.len());
    for file in files {
        let source = file.display().to_string();
        let text = read_bounded(file, DRAFT_BYTES_MAX)?;
        let line = SignatureLine::parse(&source, &text).map_err(|e| refused(draft_file, &e))?;
        signatures.push((source, line));
    }
    let note = draft
        .assemble(&signatures)
        .map_err(|e| refused(draft_file, &e))?;
    write(output, &note)?;
    println!(
        "{}: the genesis signed by all {} delegations (draft SHA-256 {})",
        output.display(),
        signatures.len(),
        draft.sha256_hex()
    );
    Ok(())
}

fn read_draft(path: &Path) -> Result<Draft, Failure> {
    let text = read_bounded(path, DRAFT_BYTES_MAX)?;
    Draft::parse(&text).map_err(|e| refused(path, &e))
}

/// A file's text, refused past `limit` bytes before it is read whole.
fn read_bounded(path: &Path, limit: u64) -> Result<String, Failure> {
    let fail =
        |e: &dyn std::fmt::Display| Failure::usage(anyhow::anyhow!("{}: {e}", path.display()));
    let bytes = std::fs::metadata(path).map_err(|e| fail(&e))?.len();
    if bytes > limit {
        return Err(fail(&format!("is {bytes} bytes; at most {limit}")));
    }
    std::fs::read_to_string(path).map_err(|e| fail(&e))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .map_err(|e| Failure::usage(anyhow::anyhow!("writing {}: {e}", path.display())))
}

/// A refusal names the file, then the field and the reason.
fn refused(file: &Path, error: &AgreementError) -> Failure {
    Failure::usage(anyhow::anyhow!("{}: {error}", file.display()))
}

fn root_name(vkey: &str) -> &str {
    vkey.split('+').next().unwrap_or(vkey)
}
