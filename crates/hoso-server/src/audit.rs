//! The audit log of a dossier: every change appends an event whose hash
//! covers the previous event's hash, so that removing, reordering or
//! editing any event breaks the chain from there on.

use serde::Serialize;
use serde_json::json;

/// One event of a dossier's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// 1 for the submission, then one more per change.
    pub seq: i64,
    /// When, in Unix seconds.
    pub at: i64,
    /// Who: `applicant:<identity>` or `officer:<agency>/<name>`.
    pub actor: String,
    /// What: `submit`, or an action's name.
    pub action: String,
    /// The status before, if any.
    pub status_from: Option<i64>,
    /// The status after.
    pub status_to: i64,
    /// Details as JSON text (reason, forwarded agency, ...).
    pub detail: String,
    /// The previous event's hash, hex (64 zeros for the first).
    pub prev_hash: String,
    /// This event's hash, hex.
    pub hash: String,
}

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of an event: SHA-256 over the previous hash and a canonical
/// JSON text of the event's other fields (in a fixed order, no spaces),
/// bound to the dossier's code. The event's own `hash` is not read.
pub fn event_hash(code: &str, event: &Event) -> String {
    let body = json!([
        code,
        event.seq,
        event.at,
        event.actor,
        event.action,
        event.status_from,
        event.status_to,
        event.detail
    ])
    .to_string();
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(event.prev_hash.as_bytes());
    ctx.update(b"\n");
    ctx.update(body.as_bytes());
    hex(ctx.finish().as_ref())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// The sequence numbers do not run 1, 2, 3, ...
    #[error("event {position}: sequence number {found}, expected {expected}")]
    Sequence {
        /// Index in the list.
        position: usize,
        /// The number found.
        found: i64,
        /// The number expected.
        expected: i64,
    },
    /// An event does not point at its predecessor's hash.
    #[error("event {seq}: its previous hash is not the hash of event {}", seq - 1)]
    Link {
        /// The event's sequence number.
        seq: i64,
    },
    /// An event's hash does not match its contents.
    #[error("event {seq}: its hash does not match its contents")]
    Hash {
        /// The event's sequence number.
        seq: i64,
    },
}

/// Checks a dossier's exported chain of events.
pub fn check_chain(code: &str, events: &[Event]) -> Result<(), ChainError> {
    let mut prev = GENESIS.to_owned();
    for (i, e) in events.iter().enumerate() {
        let expected = i as i64 + 1;
        if e.seq != expected {
            return Err(ChainError::Sequence {
                position: i,
                found: e.seq,
                expected,
            });
        }
        if e.prev_hash != prev {
            return Err(ChainError::Link { seq: e.seq });
        }
        if event_hash(code, e) != e.hash {
            return Err(ChainError::Hash { seq: e.seq });
        }
        prev = e.hash.clone();
    }
    Ok(())
}
