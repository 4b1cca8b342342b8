//! The service's configuration: a JSON file (`--config`), every key
//! optional. Without one, the service runs on an embedded SQLite database
//! under `./hoso-data`, trusts the demo (TEST) root only, and has no
//! officer accounts.
//!
//! ```json
//! {
//!   "listen": "127.0.0.1:8080",
//!   "database": "sqlite:hoso-data/hoso.db",
//!   "data_dir": "hoso-data",
//!   "trust": ["national", "government"],
//!   "trust_files": ["extra-root.pem"],
//!   "crl_files": ["ca1.crl"],
//!   "officers": [
//!     { "name": "can-bo-tnmt", "agency": "so-tnmt", "role": "reception", "token_sha256": "…64 hex…" }
//!   ],
//!   "days_off": ["2026-12-31"],
//!   "working_days": [],
//!   "max_body_bytes": 33554432,
//!   "request_timeout_seconds": 30,
//!   "public_url": "https://dichvucong.example.gov.vn",
//!   "payment": {
//!     "merchant": "HOSO-TQ", "secret": "…", "gateway_url": "https://gateway.example/",
//!     "order_minutes": 15
//!   },
//!   "receipts": {
//!     "font": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
//!     "key_file": "agency.key.pem", "certificate_files": ["agency.pem", "chain.pem"],
//!     "template": "01BLP0-001"
//!   }
//! }
//! ```
//!
//! Level 4 (online payment) is on when `payment` is given: the applicant
//! pays through the gateway (the built-in sandbox gateway signs with the
//! merchant secret, HMAC-SHA512), and the service issues a fee receipt
//! signed (PAdES) with the `receipts` key. Without `key_file`, a service
//! that trusts the demo profile signs with the TEST agency key; any other
//! service refuses to start with payment on and no receipt key.
//!
//! Officer tokens are never stored: only their SHA-256 (hex), so that the
//! file can be read without granting access. Roles: `viewer`, `reception`,
//! `specialist`, `lead`, `officer` (every action; the default).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One officer account.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Officer {
    /// Who, for the audit log.
    pub name: String,
    /// The agency whose dossiers the officer handles (`so-tnmt`, ...).
    pub agency: String,
    /// SHA-256 of the bearer token, lower-case hex.
    pub token_sha256: String,
    /// What the officer may do; `officer` (everything) when left out.
    #[serde(default)]
    pub role: Role,
}

/// An officer's role, which decides the actions they may take. Every role
/// may read the agency's dossiers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Read only.
    Viewer,
    /// The one-stop desk ("bộ phận một cửa"): receives, refuses, asks for
    /// supplements and payment, records payment, returns results.
    Reception,
    /// Handles the file: processes, asks for supplements and payment,
    /// forwards, gives opinions, stops.
    Specialist,
    /// Decides: what a specialist does, and approves.
    Lead,
    /// Every action.
    #[default]
    Officer,
}

impl Role {
    /// Whether this role may take `action`.
    pub fn may(self, action: crate::status::Action) -> bool {
        use crate::status::Action::*;
        match self {
            Role::Viewer => false,
            Role::Reception => matches!(
                action,
                Accept | Refuse | RequestSupplement | RequestPayment | RecordPayment | ReturnResult
            ),
            Role::Specialist => matches!(
                action,
                Process | RequestSupplement | RequestPayment | Forward | Opinion | Stop
            ),
            Role::Lead => matches!(
                action,
                Process | RequestSupplement | RequestPayment | Forward | Opinion | Stop | Approve
            ),
            Role::Officer => !action.by_applicant(),
        }
    }
}

/// The configuration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where to listen.
    pub listen: SocketAddr,
    /// `sqlite:PATH` or `postgres://...`; by default `hoso.db` in the data
    /// directory.
    pub database: Option<String>,
    /// Where attachments (and the default database) live.
    pub data_dir: PathBuf,
    /// Compiled-in trust profiles: `demo`, `national`, `government`.
    pub trust: Vec<String>,
    /// Further trust anchors (PEM files).
    pub trust_files: Vec<PathBuf>,
    /// Certificate revocation lists (PEM or DER) to check signers against;
    /// the ones used are kept with each dossier's evidence.
    pub crl_files: Vec<PathBuf>,
    /// Officer accounts.
    pub officers: Vec<Officer>,
    /// Days off besides the built-in calendar (`YYYY-MM-DD`).
    pub days_off: Vec<String>,
    /// Make-up working days (a Saturday declared a working day).
    pub working_days: Vec<String>,
    /// Largest request body, in bytes (form and attachments together).
    pub max_body_bytes: usize,
    /// Longest time a request may take, in seconds.
    pub request_timeout_seconds: u64,
    /// Where the public reaches the service (the receipts' verification
    /// URL); `http://<listen>` by default.
    pub public_url: Option<String>,
    /// Online payment (level 4); without it, fees are paid at the desk.
    pub payment: Option<PaymentConfig>,
    /// How fee receipts are printed and signed.
    pub receipts: ReceiptConfig,
}

/// The payment gateway.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentConfig {
    /// The merchant code the gateway knows the service by.
    pub merchant: String,
    /// The shared secret notifications are signed with (HMAC-SHA512).
    pub secret: String,
    /// The gateway's base URL; payers are sent to `<gateway_url>/pay?…`.
    pub gateway_url: String,
    /// How long a payment order stays open; a payment after it is taken
    /// but flagged late.
    #[serde(default = "default_order_minutes")]
    pub order_minutes: u32,
}

fn default_order_minutes() -> u32 {
    15
}

/// Fee receipts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReceiptConfig {
    /// The TrueType font embedded (a subset) in receipts.
    pub font: PathBuf,
    /// The agency's signing key (PEM, PKCS#8 or PKCS#1/SEC 1).
    pub key_file: Option<PathBuf>,
    /// Its certificate, then the chain up to (not including) the root.
    pub certificate_files: Vec<PathBuf>,
    /// The receipt template code (mẫu số) registered by the agency.
    pub template: String,
}

impl Default for ReceiptConfig {
    fn default() -> Self {
        ReceiptConfig {
            font: PathBuf::from("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
            key_file: None,
            certificate_files: Vec::new(),
            template: "01BLP0-001".into(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: None,
            data_dir: PathBuf::from("hoso-data"),
            trust: vec!["demo".into()],
            trust_files: Vec::new(),
            crl_files: Vec::new(),
            officers: Vec::new(),
            days_off: Vec::new(),
            working_days: Vec::new(),
            max_body_bytes: 32 << 20,
            request_timeout_seconds: 30,
            public_url: None,
            payment: None,
            receipts: ReceiptConfig::default(),
        }
    }
}

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid configuration JSON.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// A value is out of place.
    #[error("{field}: {problem}")]
    Invalid {
        /// The key.
        field: String,
        /// What is wrong.
        problem: String,
    },
}

impl Config {
    /// Reads a configuration file.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let config: Config = serde_json::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        config.check()?;
        Ok(config)
    }

    /// Checks values serde cannot.
    pub fn check(&self) -> Result<(), ConfigError> {
        let invalid = |field: &str, problem: String| ConfigError::Invalid {
            field: field.to_owned(),
            problem,
        };
        for name in &self.trust {
            if hoso_pki::profiles::Profile::from_name(name).is_none() {
                return Err(invalid(
                    "trust",
                    format!("{name:?} is not demo, national, government or received"),
                ));
            }
        }
        for (i, o) in self.officers.iter().enumerate() {
            if o.token_sha256.len() != 64 || !o.token_sha256.bytes().all(|b| b.is_ascii_hexdigit())
            {
                return Err(invalid(
                    &format!("officers[{i}].token_sha256"),
                    "64 hexadecimal digits expected".into(),
                ));
            }
            if !is_agency_id(&o.agency) {
                return Err(invalid(
                    &format!("officers[{i}].agency"),
                    format!("{:?} is not an agency id", o.agency),
                ));
            }
        }
        for (field, days) in [
            ("days_off", &self.days_off),
            ("working_days", &self.working_days),
        ] {
            for d in days {
                if hoso_forms::Date::parse(d).is_none() {
                    return Err(invalid(field, format!("{d:?} is not a date YYYY-MM-DD")));
                }
            }
        }
        if self.max_body_bytes < 1024 {
            return Err(invalid("max_body_bytes", "at least 1024".into()));
        }
        if let Some(p) = &self.payment {
            if p.secret.len() < 16 {
                return Err(invalid("payment.secret", "at least 16 characters".into()));
            }
            if p.merchant.is_empty() || !p.merchant.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(invalid(
                    "payment.merchant",
                    "visible ASCII characters expected".into(),
                ));
            }
            if !(1..=24 * 60).contains(&p.order_minutes) {
                return Err(invalid("payment.order_minutes", "1 to 1440".into()));
            }
            let no_key = self.receipts.key_file.is_none();
            if no_key && !self.trust.iter().any(|t| t == "demo") {
                return Err(invalid(
                    "receipts.key_file",
                    "online payment issues signed receipts: give the agency's key".into(),
                ));
            }
        }
        if self.receipts.key_file.is_some() && self.receipts.certificate_files.is_empty() {
            return Err(invalid(
                "receipts.certificate_files",
                "the key's certificate is needed".into(),
            ));
        }
        Ok(())
    }

    /// The base of public URLs.
    pub fn public_base(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_owned()
    }

    /// The database URL to use.
    pub fn database_url(&self) -> String {
        self.database
            .clone()
            .unwrap_or_else(|| format!("sqlite:{}", self.data_dir.join("hoso.db").display()))
    }
}

/// Agency ids are short ASCII slugs (`so-tnmt`, `cong-an-tinh`).
pub fn is_agency_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The agency a procedure is routed to, from its catalog id's prefix.
pub fn lead_agency(procedure: &str) -> String {
    match procedure.split('-').next().unwrap_or_default() {
        "tnmt" => "so-tnmt",
        "vhttdl" => "so-vhttdl",
        "gtvt" => "so-gtvt",
        "tp" => "so-tp",
        _ => "ubnd-huyen",
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Config, String> {
        let config: Config = serde_json::from_str(text).map_err(|e| e.to_string())?;
        config.check().map_err(|e| e.to_string())?;
        Ok(config)
    }

    #[test]
    fn level4_settings_are_checked() {
        let ok = parsed(
            r#"{ "public_url": "https://dvc.example/", "payment": { "merchant": "HOSO-TQ",
                 "secret": "0123456789abcdef", "gateway_url": "https://gw.example" } }"#,
        )
        .unwrap();
        assert_eq!(ok.public_base(), "https://dvc.example");
        assert_eq!(ok.payment.unwrap().order_minutes, 15);
        assert_eq!(Config::default().public_base(), "http://127.0.0.1:8080");
        for (text, expected) in [
            (
                r#"{ "payment": { "merchant": "M", "secret": "short", "gateway_url": "g" } }"#,
                "payment.secret: at least 16 characters",
            ),
            (
                r#"{ "payment": { "merchant": "M M", "secret": "0123456789abcdef", "gateway_url": "g" } }"#,
                "payment.merchant: visible ASCII characters expected",
            ),
            (
                r#"{ "payment": { "merchant": "M", "secret": "0123456789abcdef", "gateway_url": "g", "order_minutes": 0 } }"#,
                "payment.order_minutes: 1 to 1440",
            ),
            (
                r#"{ "trust": ["national"], "payment": { "merchant": "M", "secret": "0123456789abcdef", "gateway_url": "g" } }"#,
                "receipts.key_file: online payment issues signed receipts: give the agency's key",
            ),
            (
                r#"{ "receipts": { "key_file": "agency.key.pem" } }"#,
                "receipts.certificate_files: the key's certificate is needed",
            ),
        ] {
            assert_eq!(parsed(text).unwrap_err(), expected, "{text}");
        }
        let unknown = parsed(
            r#"{ "payment": { "merchant": "M", "secret": "0123456789abcdef", "gateway_url": "g", "hash": "md5" } }"#,
        )
        .unwrap_err();
        assert!(unknown.contains("unknown field `hash`"), "{unknown}");
    }
}
