//! tlog-mirror's `add-entries` wire format, both ways: the request header, the canonical
//! sequence of entry packages, and the `text/x.tlog.mirror-info` answer.
//!
//! ```text
//! u16 origin length, origin, u64 upload_start, u64 upload_end, u16 ticket length, ticket,
//! then packages: per entry u16 length and bytes, u8 proof hash count (<= 63), hashes
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use tokio::io::{AsyncRead, AsyncReadExt};
use truce_log::consistency::PROOF_HASHES_MAX;
use truce_log::{Hash, TILE_WIDTH};

/// The media type of a 409 or 202 answer.
pub const MIRROR_INFO: &str = "text/x.tlog.mirror-info";

/// What precedes the packages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub origin: String,
    pub upload_start: u64,
    pub upload_end: u64,
    pub ticket: Vec<u8>,
}

impl Header {
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let origin = self.origin.as_bytes();
        let mut out = Vec::with_capacity(20 + origin.len() + self.ticket.len());
        out.extend_from_slice(
            &u16::try_from(origin.len())
                .expect("an origin fits")
                .to_be_bytes(),
        );
        out.extend_from_slice(origin);
        out.extend_from_slice(&self.upload_start.to_be_bytes());
        out.extend_from_slice(&self.upload_end.to_be_bytes());
        out.extend_from_slice(
            &u16::try_from(self.ticket.len())
                .expect("a ticket fits")
                .to_be_bytes(),
        );
        out.extend_from_slice(&self.ticket);
        out
    }

    /// Reads a header; a body that ends inside it, or an origin that is not UTF-8, is
    /// malformed.
    pub async fn read<R: AsyncRead + Unpin>(body: &mut R) -> Result<Self, String> {
        let origin = read_sized(body)
            .await
            .map_err(|e| format!("log_origin: {e}"))?;
        let origin = String::from_utf8(origin).map_err(|_| "log_origin: not UTF-8".to_string())?;
        let upload_start = body
            .read_u64()
            .await
            .map_err(|e| format!("upload_start: {e}"))?;
        let upload_end = body
            .read_u64()
            .await
            .map_err(|e| format!("upload_end: {e}"))?;
        let ticket = read_sized(body).await.map_err(|e| format!("ticket: {e}"))?;
        Ok(Self {
            origin,
            upload_start,
            upload_end,
            ticket,
        })
    }

    /// The canonical sequence: each package's `[start, end)`, aligned at 256.
    #[must_use]
    pub fn packages(&self) -> Vec<(u64, u64)> {
        canonical_packages(self.upload_start, self.upload_end)
    }
}

/// The canonical packages of `[start, end)`: the part of each 256-aligned bundle inside it.
#[must_use]
pub fn canonical_packages(start: u64, end: u64) -> Vec<(u64, u64)> {
    let mut packages = vec![];
    let mut at = start;
    while at < end {
        let bundle_end = (at / TILE_WIDTH + 1) * TILE_WIDTH;
        packages.push((at, end.min(bundle_end)));
        at = end.min(bundle_end);
    }
    packages
}

/// The subtree a package's proof is for: from its bundle's start to its end.
#[must_use]
pub fn package_subtree((start, end): (u64, u64)) -> (u64, u64) {
    (start / TILE_WIDTH * TILE_WIDTH, end)
}

/// One entry package, as sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    pub entries: Vec<Vec<u8>>,
    pub proof: Vec<Hash>,
}

impl Package {
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        for entry in &self.entries {
            let length = u16::try_from(entry.len()).expect("an entry is at most 65535 bytes");
            out.extend_from_slice(&length.to_be_bytes());
            out.extend_from_slice(entry);
        }
        out.push(u8::try_from(self.proof.len()).expect("at most 63 hashes"));
        for hash in &self.proof {
            out.extend_from_slice(&hash.0);
        }
    }

    /// Reads a package of `count` entries. Any error (the body ended, or was cut, inside
    /// it) means the package is not there: the caller discards it.
    pub async fn read<R: AsyncRead + Unpin>(body: &mut R, count: u64) -> Result<Self, String> {
        let mut entries = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
        for i in 0..count {
            entries.push(
                read_sized(body)
                    .await
                    .map_err(|e| format!("entry {i}: {e}"))?,
            );
        }
        let hashes = body
            .read_u8()
            .await
            .map_err(|e| format!("num_hashes: {e}"))?;
        if usize::from(hashes) > PROOF_HASHES_MAX {
            return Err(format!("num_hashes: {hashes} is more than 63"));
        }
        let mut proof = Vec::with_capacity(usize::from(hashes));
        for _ in 0..hashes {
            let mut hash = [0; 32];
            body.read_exact(&mut hash)
                .await
                .map_err(|e| format!("proof hash: {e}"))?;
            proof.push(Hash(hash));
        }
        Ok(Self { entries, proof })
    }
}

async fn read_sized<R: AsyncRead + Unpin>(body: &mut R) -> std::io::Result<Vec<u8>> {
    let length = body.read_u16().await?;
    let mut bytes = vec![0; usize::from(length)];
    body.read_exact(&mut bytes).await?;
    Ok(bytes)
}

/// A 409 or 202 answer: a valid pending size, the next entry, and a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorInfo {
    pub pending_size: u64,
    pub next_entry: u64,
    pub ticket: Vec<u8>,
}

impl MirrorInfo {
    #[must_use]
    pub fn to_text(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.pending_size,
            self.next_entry,
            BASE64.encode(&self.ticket)
        )
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let lines: Vec<&str> = text.split('\n').collect();
        let [size, next, ticket, ""] = lines[..] else {
            return Err(format!("{MIRROR_INFO}: expected three lines, got {text:?}"));
        };
        let number = |line: &str, name: &str| {
            line.parse::<u64>()
                .map_err(|_| format!("{MIRROR_INFO}: the {name} {line:?} is not a decimal"))
        };
        Ok(Self {
            pending_size: number(size, "pending size")?,
            next_entry: number(next, "next entry")?,
            ticket: BASE64
                .decode(ticket)
                .map_err(|_| format!("{MIRROR_INFO}: the ticket is not base64"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_header_and_a_package_read_back() {
        let header = Header {
            origin: "example.com/log".into(),
            upload_start: 300,
            upload_end: 1000,
            ticket: b"t".to_vec(),
        };
        let package = Package {
            entries: vec![b"one".to_vec(), vec![], vec![7; 300]],
            proof: vec![Hash([1; 32]), Hash([2; 32])],
        };
        let mut body = header.encode();
        package.encode_into(&mut body);
        let mut reader = body.as_slice();
        assert_eq!(Header::read(&mut reader).await.unwrap(), header);
        assert_eq!(Package::read(&mut reader, 3).await.unwrap(), package);
        assert!(reader.is_empty());
        let mut cut = &body[..body.len() - 1];
        Header::read(&mut cut).await.unwrap();
        assert!(
            Package::read(&mut cut, 3)
                .await
                .unwrap_err()
                .contains("proof hash")
        );
    }

    #[test]
    fn the_canonical_sequence_is_aligned_at_256() {
        assert_eq!(
            canonical_packages(300, 1000),
            [(300, 512), (512, 768), (768, 1000)]
        );
        assert_eq!(canonical_packages(0, 256), [(0, 256)]);
        assert!(canonical_packages(5, 5).is_empty());
        assert_eq!(package_subtree((300, 512)), (256, 512));
    }

    #[test]
    fn mirror_info_round_trips_and_refuses_junk() {
        let info = MirrorInfo {
            pending_size: 1000,
            next_entry: 512,
            ticket: vec![],
        };
        assert_eq!(info.to_text(), "1000\n512\n\n");
        assert_eq!(MirrorInfo::parse(&info.to_text()).unwrap(), info);
        assert!(MirrorInfo::parse("1000\n512\n").is_err());
        assert!(
            MirrorInfo::parse("x\n512\n\n")
                .unwrap_err()
                .contains("pending size")
        );
    }
}
