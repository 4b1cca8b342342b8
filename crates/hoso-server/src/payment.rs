//! Online payment (level 4): the interface every gateway implements, and a
//! built-in sandbox gateway that follows the pattern Vietnamese gateways
//! use — a signed redirect to the gateway's payment page, then a signed
//! server-to-server notification. The signature is HMAC-SHA512, keyed with
//! the merchant secret, over the parameters sorted by name and joined as
//! `name=value&…` with percent-encoded values; it travels as the
//! `secure_hash` parameter (hex).
//!
//! The service's side of a payment (which dossier, how much, idempotency on
//! the gateway's transaction id, refunds) is built on [`PaymentProvider`];
//! this module only signs and checks.

use std::collections::BTreeMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use ring::hmac;

/// The parameter carrying the signature.
pub const HASH_PARAM: &str = "secure_hash";

/// Characters left as they are in signed values: RFC 3986's unreserved set.
const SIGNED_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What the service asks a gateway to collect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentOrder {
    /// The service's order id (unique per payment attempt).
    pub order: String,
    /// The amount in đồng.
    pub amount_vnd: u64,
    /// What is paid for, shown to the payer.
    pub description: String,
    /// Where the gateway sends the payer back.
    pub return_url: String,
}

/// The outcome a gateway reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentStatus {
    /// The money was collected.
    Paid,
    /// The payer abandoned or the bank refused.
    Failed,
}

/// A verified notification from a gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The service's order id it answers.
    pub order: String,
    /// The gateway's transaction id: the key that makes notifications
    /// idempotent.
    pub transaction: String,
    /// The amount collected, in đồng.
    pub amount_vnd: u64,
    /// Always `VND` once verified.
    pub currency: String,
    /// Paid or failed.
    pub status: PaymentStatus,
    /// When, as the gateway says (RFC 3339).
    pub paid_at: String,
}

/// Why a notification is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// No `secure_hash`, or one that is not hex.
    #[error("the notification carries no valid {HASH_PARAM}")]
    MissingSignature,
    /// The signature does not match the parameters: tampered, or not from
    /// the gateway.
    #[error("the notification's signature does not match its parameters")]
    BadSignature,
    /// A parameter is missing or malformed.
    #[error("parameter {name}: {problem}")]
    Parameter {
        /// Its name.
        name: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// Another merchant's notification.
    #[error("the notification is for merchant {0}")]
    OtherMerchant(String),
    /// A currency other than the đồng.
    #[error("currency {0} is not VND")]
    Currency(String),
}

/// A payment gateway.
pub trait PaymentProvider: Send + Sync {
    /// The gateway's name, for records.
    fn name(&self) -> &str;

    /// The signed URL of the gateway's payment page for an order.
    fn payment_url(&self, order: &PaymentOrder) -> String;

    /// Verifies a notification's signature and reads it. Whether its amount
    /// and order match what is owed is the caller's check.
    fn verify_notification(
        &self,
        params: &[(String, String)],
    ) -> Result<Notification, PaymentError>;
}

/// The built-in sandbox gateway: signs and checks exactly as a real one,
/// and can play the gateway's side in tests and demonstrations.
#[derive(Clone)]
pub struct Sandbox {
    merchant: String,
    key: hmac::Key,
    base_url: String,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("Sandbox")
            .field("merchant", &self.merchant)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// The signing input: parameters other than the hash, sorted by name, as
/// `name=value` with percent-encoded values, joined with `&`.
pub fn signing_input(params: &[(String, String)]) -> String {
    let sorted: BTreeMap<&str, &str> = params
        .iter()
        .filter(|(name, _)| name != HASH_PARAM)
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    sorted
        .iter()
        .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, SIGNED_VALUE)))
        .collect::<Vec<_>>()
        .join("&")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

impl Sandbox {
    /// A sandbox gateway for `merchant`, keyed with `secret`, whose payment
    /// page lives at `base_url`.
    pub fn new(merchant: &str, secret: &[u8], base_url: &str) -> Sandbox {
        Sandbox {
            merchant: merchant.to_owned(),
            key: hmac::Key::new(hmac::HMAC_SHA512, secret),
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// Signs parameters: returns them with `secure_hash` appended.
    pub fn sign(&self, params: &[(String, String)]) -> Vec<(String, String)> {
        let tag = hmac::sign(&self.key, signing_input(params).as_bytes());
        let mut signed: Vec<(String, String)> = params
            .iter()
            .filter(|(n, _)| n != HASH_PARAM)
            .cloned()
            .collect();
        signed.push((HASH_PARAM.into(), hex(tag.as_ref())));
        signed
    }

    /// The gateway's notification for an order, as the sandbox sends it:
    /// signed with the merchant secret.
    pub fn notification(
        &self,
        order: &PaymentOrder,
        transaction: &str,
        status: PaymentStatus,
        paid_at: &str,
    ) -> Vec<(String, String)> {
        let params = [
            ("merchant", self.merchant.clone()),
            ("order", order.order.clone()),
            ("transaction", transaction.to_owned()),
            ("amount", order.amount_vnd.to_string()),
            ("currency", "VND".into()),
            (
                "status",
                match status {
                    PaymentStatus::Paid => "00".into(),
                    PaymentStatus::Failed => "24".into(),
                },
            ),
            ("paid_at", paid_at.to_owned()),
        ];
        self.sign(&params.map(|(n, v)| (n.to_owned(), v)))
    }
}

impl PaymentProvider for Sandbox {
    fn name(&self) -> &str {
        "sandbox"
    }

    fn payment_url(&self, order: &PaymentOrder) -> String {
        let params = [
            ("merchant", self.merchant.clone()),
            ("order", order.order.clone()),
            ("amount", order.amount_vnd.to_string()),
            ("currency", "VND".into()),
            ("description", order.description.clone()),
            ("return_url", order.return_url.clone()),
        ];
        let signed = self.sign(&params.map(|(n, v)| (n.to_owned(), v)));
        format!("{}/pay?{}", self.base_url, signing_input_with_hash(&signed))
    }

    fn verify_notification(
        &self,
        params: &[(String, String)],
    ) -> Result<Notification, PaymentError> {
        let mut hashes = params.iter().filter(|(n, _)| n == HASH_PARAM);
        let (Some((_, given)), None) = (hashes.next(), hashes.next()) else {
            return Err(PaymentError::MissingSignature);
        };
        let given = unhex(given).ok_or(PaymentError::MissingSignature)?;
        // A name given twice would sign differently than it reads.
        let mut names: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        if names.windows(2).any(|w| w[0] == w[1]) {
            return Err(PaymentError::BadSignature);
        }
        hmac::verify(&self.key, signing_input(params).as_bytes(), &given)
            .map_err(|_| PaymentError::BadSignature)?;
        let get = |name: &'static str| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .ok_or(PaymentError::Parameter {
                    name,
                    problem: "missing".into(),
                })
        };
        let merchant = get("merchant")?;
        if merchant != self.merchant {
            return Err(PaymentError::OtherMerchant(merchant));
        }
        let currency = get("currency")?;
        if currency != "VND" {
            return Err(PaymentError::Currency(currency));
        }
        let amount = get("amount")?;
        let amount_vnd = amount.parse::<u64>().map_err(|_| PaymentError::Parameter {
            name: "amount",
            problem: format!("{amount:?} is not a whole number of đồng"),
        })?;
        let status = match get("status")?.as_str() {
            "00" => PaymentStatus::Paid,
            _ => PaymentStatus::Failed,
        };
        Ok(Notification {
            order: get("order")?,
            transaction: get("transaction")?,
            amount_vnd,
            currency,
            status,
            paid_at: get("paid_at")?,
        })
    }
}

/// A query string of signed parameters, in the signing order, with the hash
/// last.
fn signing_input_with_hash(signed: &[(String, String)]) -> String {
    let hash = signed
        .iter()
        .find(|(n, _)| n == HASH_PARAM)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    format!("{}&{HASH_PARAM}={hash}", signing_input(signed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gateway() -> Sandbox {
        Sandbox::new(
            "HOSO-TEST",
            b"sandbox-secret-TEST",
            "https://sandbox.example/gateway/",
        )
    }

    fn order() -> PaymentOrder {
        PaymentOrder {
            order: "20-261127-7KQ4M2XP-1".into(),
            amount_vnd: 200_000,
            description: "Lệ phí cấp phiếu lý lịch tư pháp".into(),
            return_url: "https://portal.example/ket-qua?ma=20-261127-7KQ4M2XP".into(),
        }
    }

    fn params(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| ((*n).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn signing_input_sorts_names_and_encodes_values() {
        let input = signing_input(&params(&[
            ("zeta", "a b&c=d"),
            ("alpha", "Lệ phí"),
            (HASH_PARAM, "ignored"),
            ("mid", "x-y_z.~"),
        ]));
        assert_eq!(
            input,
            "alpha=L%E1%BB%87%20ph%C3%AD&mid=x-y_z.~&zeta=a%20b%26c%3Dd"
        );
    }

    #[test]
    fn a_notification_the_gateway_signed_verifies_in_any_order() {
        let gw = gateway();
        let mut sent = gw.notification(
            &order(),
            "TXN-0001",
            PaymentStatus::Paid,
            "2026-11-27T07:00:00Z",
        );
        sent.reverse();
        let n = gw.verify_notification(&sent).unwrap();
        assert_eq!(
            n,
            Notification {
                order: order().order,
                transaction: "TXN-0001".into(),
                amount_vnd: 200_000,
                currency: "VND".into(),
                status: PaymentStatus::Paid,
                paid_at: "2026-11-27T07:00:00Z".into(),
            }
        );
        let failed = gw.notification(
            &order(),
            "TXN-0002",
            PaymentStatus::Failed,
            "2026-11-27T07:01:00Z",
        );
        assert_eq!(
            gw.verify_notification(&failed).unwrap().status,
            PaymentStatus::Failed
        );
    }

    #[test]
    fn tampered_forged_and_malformed_notifications_are_refused() {
        let gw = gateway();
        let sent = gw.notification(
            &order(),
            "TXN-0003",
            PaymentStatus::Paid,
            "2026-11-27T07:02:00Z",
        );
        let with = |name: &str, value: &str| -> Vec<(String, String)> {
            sent.iter()
                .map(|(n, v)| {
                    (
                        n.clone(),
                        if n == name {
                            value.to_owned()
                        } else {
                            v.clone()
                        },
                    )
                })
                .collect()
        };
        // A changed amount, order or status.
        for (name, value) in [("amount", "2000000"), ("order", "other"), ("status", "00 ")] {
            assert_eq!(
                gw.verify_notification(&with(name, value)),
                Err(PaymentError::BadSignature),
                "{name}"
            );
        }
        // Signed with another secret.
        let forger = Sandbox::new("HOSO-TEST", b"guessed", "https://sandbox.example");
        let forged = forger.notification(
            &order(),
            "TXN-0004",
            PaymentStatus::Paid,
            "2026-11-27T07:03:00Z",
        );
        assert_eq!(
            gw.verify_notification(&forged),
            Err(PaymentError::BadSignature)
        );
        // No hash, a hash that is not hex, two hashes, a name given twice.
        let unsigned: Vec<(String, String)> = sent
            .iter()
            .filter(|(n, _)| n != HASH_PARAM)
            .cloned()
            .collect();
        assert_eq!(
            gw.verify_notification(&unsigned),
            Err(PaymentError::MissingSignature)
        );
        assert_eq!(
            gw.verify_notification(&with(HASH_PARAM, "zz")),
            Err(PaymentError::MissingSignature)
        );
        let mut twice = sent.clone();
        twice.push((HASH_PARAM.into(), "00".into()));
        assert_eq!(
            gw.verify_notification(&twice),
            Err(PaymentError::MissingSignature)
        );
        let mut repeated = unsigned.clone();
        repeated.push(("amount".into(), "1".into()));
        let repeated = gw.sign(&repeated);
        assert_eq!(
            gw.verify_notification(&repeated),
            Err(PaymentError::BadSignature)
        );
        // Properly signed, but for another merchant or currency, or a bad amount.
        for (name, value, expected) in [
            (
                "merchant",
                "OTHER",
                PaymentError::OtherMerchant("OTHER".into()),
            ),
            ("currency", "USD", PaymentError::Currency("USD".into())),
        ] {
            let resigned = gw.sign(&with(name, value));
            assert_eq!(gw.verify_notification(&resigned), Err(expected));
        }
        let resigned = gw.sign(&with("amount", "12.5"));
        assert!(matches!(
            gw.verify_notification(&resigned),
            Err(PaymentError::Parameter { name: "amount", .. })
        ));
    }

    #[test]
    fn the_payment_url_is_signed_and_its_secret_never_shown() {
        let gw = gateway();
        let url = gw.payment_url(&order());
        assert!(
            url.starts_with("https://sandbox.example/gateway/pay?amount=200000&currency=VND&"),
            "{url}"
        );
        let (_, query) = url.split_once('?').unwrap();
        let (signed, hash) = query.rsplit_once("&secure_hash=").unwrap();
        let tag = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA512, b"sandbox-secret-TEST"),
            signed.as_bytes(),
        );
        assert_eq!(hash, hex(tag.as_ref()));
        assert_eq!(hash.len(), 128);
        assert!(!format!("{gw:?}").contains("sandbox-secret"));
    }
}
