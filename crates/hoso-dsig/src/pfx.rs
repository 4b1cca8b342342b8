//! PKCS#12 (`.p12` / `.pfx`) key stores: the signer's private key and the
//! certificates that come with it.
//!
//! Read in password integrity mode and password privacy mode, the only
//! modes OpenSSL, Windows, Java and the Vietnamese USB-token tools write:
//!
//! * integrity: HMAC with SHA-1, SHA-256, SHA-384 or SHA-512 over a key from
//!   the PKCS#12 KDF (RFC 7292 appendix B);
//! * privacy: PBES2 (PBKDF2 with HMAC-SHA-1/224/256/384/512, AES-128/192/256-CBC
//!   or DES-EDE3-CBC), the OpenSSL 3 default, and the legacy PKCS#12 PBEs
//!   `pbeWithSHAAnd3-KeyTripleDES-CBC`, `pbeWithSHAAnd2-KeyTripleDES-CBC`,
//!   `pbeWithSHAAnd128BitRC2-CBC` and `pbeWithSHAAnd40BitRC2-CBC`.
//!
//! The cryptography is RustCrypto's (`pkcs12::kdf`, `pkcs5`, `cbc`, `des`,
//! `rc2`) and ring's HMAC; this module only walks the structure and refuses
//! what it cannot read with a typed error.  Every count an attacker controls
//! (file size, iterations, nesting) is bounded, so a hostile file costs
//! bounded time.

use der::asn1::{AnyRef, ObjectIdentifier as Oid, OctetStringRef};
use der::{Decode, Encode};
use hoso_pki::{Certificate, PublicKey};
use zeroize::Zeroizing;

use crate::sign::{SignError, SigningKey};

/// The largest PKCS#12 file read (a key and a chain take a few KiB).
pub const MAX_PKCS12_BYTES: usize = 1 << 20;
/// The most iterations one key derivation may ask for (OpenSSL writes 2048,
/// Windows 2000, Java 10000).
const MAX_ITERATIONS: u32 = 1_000_000;
/// The most iterations all the derivations of one file may add up to.
const MAX_TOTAL_ITERATIONS: u64 = 8_000_000;
/// How deep `safeContentsBag`s may nest.
const MAX_NESTING: usize = 4;

/// Why a PKCS#12 file gave no signing key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Pkcs12Error {
    /// The integrity check failed (or, in a file without one, decryption
    /// failed): the password is wrong, or the file is damaged.
    #[error("wrong password or damaged file: the PKCS#12 file does not open with this password")]
    WrongPassword,
    /// The file uses a protection or structure hoso does not read; the text
    /// names it.
    #[error("unsupported PKCS#12 file: {0}")]
    Unsupported(String),
    /// The file is not PKCS#12 or is damaged; the text says where.
    #[error("not a readable PKCS#12 file: {0}")]
    Malformed(String),
    /// The file asks for more work or space than hoso allows.
    #[error("the PKCS#12 file exceeds a limit: {0}")]
    Limit(String),
    /// The file holds certificates but no private key.
    #[error("the PKCS#12 file holds no private key")]
    NoKey,
    /// No certificate in the file has the private key's public key.
    #[error("no certificate in the PKCS#12 file matches its private key")]
    NoMatchingCertificate,
}

fn malformed(what: &str, e: impl std::fmt::Display) -> Pkcs12Error {
    Pkcs12Error::Malformed(format!("{what}: {e}"))
}

// Object identifiers.
const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
const ENVELOPED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.3");
const ENCRYPTED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.6");

const KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.1");
const SHROUDED_KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.2");
const CERT_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.3");
const SAFE_CONTENTS_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.6");
const X509_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.22.1");

const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
const PBMAC1: Oid = Oid::new_unwrap("1.2.840.113549.1.5.14");

const PBE_SHA_RC4_128: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.1");
const PBE_SHA_RC4_40: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.2");
const PBE_SHA_3DES: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.3");
const PBE_SHA_2DES: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.4");
const PBE_SHA_RC2_128: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.5");
const PBE_SHA_RC2_40: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1.6");

const PBES2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.13");
const PBKDF2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.12");
const SCRYPT: Oid = Oid::new_unwrap("1.3.6.1.4.1.11591.4.11");
const HMAC_SHA1: Oid = Oid::new_unwrap("1.2.840.113549.2.7");
const HMAC_SHA224: Oid = Oid::new_unwrap("1.2.840.113549.2.8");
const HMAC_SHA256: Oid = Oid::new_unwrap("1.2.840.113549.2.9");
const HMAC_SHA384: Oid = Oid::new_unwrap("1.2.840.113549.2.10");
const HMAC_SHA512: Oid = Oid::new_unwrap("1.2.840.113549.2.11");
const AES128_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.2");
const AES192_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.22");
const AES256_CBC: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.1.42");
const DES_EDE3_CBC: Oid = Oid::new_unwrap("1.2.840.113549.3.7");

/// A readable name for the algorithms people meet in PKCS#12 files.
fn name(oid: &Oid) -> String {
    let known = [
        (PBE_SHA_RC4_128, "pbeWithSHAAnd128BitRC4"),
        (PBE_SHA_RC4_40, "pbeWithSHAAnd40BitRC4"),
        (PBE_SHA_3DES, "pbeWithSHAAnd3-KeyTripleDES-CBC"),
        (PBE_SHA_2DES, "pbeWithSHAAnd2-KeyTripleDES-CBC"),
        (PBE_SHA_RC2_128, "pbeWithSHAAnd128BitRC2-CBC"),
        (PBE_SHA_RC2_40, "pbeWithSHAAnd40BitRC2-CBC"),
        (PBES2, "PBES2"),
        (PBMAC1, "PBMAC1 (RFC 9579)"),
        (SCRYPT, "scrypt"),
        (
            Oid::new_unwrap("1.2.840.113549.1.5.3"),
            "pbeWithMD5AndDES-CBC",
        ),
        (
            Oid::new_unwrap("1.2.840.113549.1.5.10"),
            "pbeWithSHA1AndDES-CBC",
        ),
        (Oid::new_unwrap("1.2.840.113549.3.2"), "RC2-CBC"),
        (Oid::new_unwrap("1.3.14.3.2.7"), "DES-CBC"),
        (Oid::new_unwrap("2.16.840.1.101.3.4.2.4"), "SHA-224"),
        (Oid::new_unwrap("1.2.840.113549.2.5"), "MD5"),
    ];
    known
        .iter()
        .find(|(o, _)| o == oid)
        .map_or_else(|| oid.to_string(), |(_, n)| (*n).to_string())
}

// The ASN.1 of RFC 7292, as far as it is read.  Attributes are kept as raw
// values: they are not needed, and a strict SET OF decoder would refuse
// files that real tools write.

#[derive(der::Sequence)]
struct Pfx<'a> {
    version: u8,
    auth_safe: ContentInfo<'a>,
    mac_data: Option<MacData<'a>>,
}

#[derive(der::Sequence)]
struct ContentInfo<'a> {
    content_type: Oid,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    content: Option<AnyRef<'a>>,
}

#[derive(der::Sequence)]
struct MacData<'a> {
    mac: DigestInfo<'a>,
    salt: OctetStringRef<'a>,
    iterations: Option<u32>,
}

#[derive(der::Sequence)]
struct DigestInfo<'a> {
    algorithm: AlgorithmId<'a>,
    digest: OctetStringRef<'a>,
}

#[derive(der::Sequence)]
struct AlgorithmId<'a> {
    oid: Oid,
    parameters: Option<AnyRef<'a>>,
}

/// CMS EncryptedData, version 0 (so without unprotectedAttrs).
#[derive(der::Sequence)]
struct EncryptedData<'a> {
    version: u8,
    content: EncryptedContentInfo<'a>,
}

#[derive(der::Sequence)]
struct EncryptedContentInfo<'a> {
    content_type: Oid,
    algorithm: AlgorithmId<'a>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    encrypted: Option<OctetStringRef<'a>>,
}

#[derive(der::Sequence)]
struct SafeBag<'a> {
    bag_id: Oid,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    value: AnyRef<'a>,
    attributes: Option<AnyRef<'a>>,
}

#[derive(der::Sequence)]
struct CertBag<'a> {
    cert_id: Oid,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    value: OctetStringRef<'a>,
}

#[derive(der::Sequence)]
struct EncryptedPrivateKeyInfo<'a> {
    algorithm: AlgorithmId<'a>,
    data: OctetStringRef<'a>,
}

#[derive(der::Sequence)]
struct Pkcs12PbeParams<'a> {
    salt: OctetStringRef<'a>,
    iterations: u32,
}

#[derive(der::Sequence)]
struct Pbes2Params<'a> {
    kdf: AlgorithmId<'a>,
    encryption: AlgorithmId<'a>,
}

#[derive(der::Sequence)]
struct Pbkdf2Params<'a> {
    salt: AnyRef<'a>,
    iterations: u32,
    key_length: Option<u16>,
    prf: Option<AlgorithmId<'a>>,
}

/// What a file holds: private keys (PKCS#8 DER) and certificates (DER), in
/// file order.
#[derive(Default)]
struct Contents {
    keys: Vec<Zeroizing<Vec<u8>>>,
    certs: Vec<Vec<u8>>,
}

/// The password in the forms the schemes use, and the work done so far.
struct Reader<'p> {
    /// UTF-8, for PBES2 (as OpenSSL and RFC 9579 do).
    utf8: &'p [u8],
    /// UTF-16BE with a terminating NUL, for the PKCS#12 KDF.  For an empty
    /// password, whichever of "" or "no password" the MAC accepted.
    bmp: Zeroizing<Vec<u8>>,
    /// Whether a MAC proved the password right: a later decryption failure
    /// then means damage, not a wrong password.
    mac_verified: bool,
    iterations_left: u64,
}

impl Reader<'_> {
    fn spend(&mut self, iterations: u32) -> Result<(), Pkcs12Error> {
        if iterations == 0 {
            return Err(Pkcs12Error::Malformed("an iteration count is zero".into()));
        }
        if iterations > MAX_ITERATIONS {
            return Err(Pkcs12Error::Limit(format!(
                "an iteration count of {iterations} (at most {MAX_ITERATIONS})"
            )));
        }
        self.iterations_left = self
            .iterations_left
            .checked_sub(u64::from(iterations))
            .ok_or_else(|| {
                Pkcs12Error::Limit(format!(
                    "more than {MAX_TOTAL_ITERATIONS} key-derivation iterations in all"
                ))
            })?;
        Ok(())
    }

    /// A decryption or a decode after decryption failed.
    fn decryption_failed(&self, what: &str) -> Pkcs12Error {
        if self.mac_verified {
            Pkcs12Error::Malformed(format!(
                "{what} does not decrypt although the password passed the integrity check"
            ))
        } else {
            Pkcs12Error::WrongPassword
        }
    }

    fn read(&mut self, der: &[u8]) -> Result<Contents, Pkcs12Error> {
        if der.len() > MAX_PKCS12_BYTES {
            return Err(Pkcs12Error::Limit(format!(
                "{} bytes (at most {MAX_PKCS12_BYTES})",
                der.len()
            )));
        }
        let pfx = Pfx::from_der(der).map_err(|e| malformed("PFX", e))?;
        if pfx.version != 3 {
            return Err(Pkcs12Error::Unsupported(format!(
                "PFX version {}",
                pfx.version
            )));
        }
        let auth_safe = match pfx.auth_safe.content_type {
            DATA => data_content(&pfx.auth_safe, "authSafe")?,
            SIGNED_DATA => {
                return Err(Pkcs12Error::Unsupported(
                    "public-key integrity mode (signedData)".into(),
                ));
            }
            other => {
                return Err(Pkcs12Error::Unsupported(format!(
                    "authSafe content type {other}"
                )));
            }
        };
        if let Some(mac) = &pfx.mac_data {
            self.verify_mac(mac, auth_safe)?;
        }
        let safes: Vec<ContentInfo<'_>> =
            Vec::from_der(auth_safe).map_err(|e| malformed("AuthenticatedSafe", e))?;
        let mut contents = Contents::default();
        for safe in &safes {
            match safe.content_type {
                DATA => {
                    let bags = data_content(safe, "SafeContents")?;
                    self.bags(bags, false, 0, &mut contents)?;
                }
                ENCRYPTED_DATA => {
                    let content = safe
                        .content
                        .ok_or_else(|| malformed("EncryptedData", "no content"))?;
                    let encrypted = content
                        .decode_as::<EncryptedData<'_>>()
                        .map_err(|e| malformed("EncryptedData", e))?;
                    if encrypted.version != 0 {
                        return Err(Pkcs12Error::Unsupported(format!(
                            "EncryptedData version {}",
                            encrypted.version
                        )));
                    }
                    let info = encrypted.content;
                    let Some(ciphertext) = info.encrypted else {
                        continue;
                    };
                    let plain =
                        self.decrypt(&info.algorithm, ciphertext.as_bytes(), "a SafeContents")?;
                    self.bags(&plain, true, 0, &mut contents)?;
                }
                ENVELOPED_DATA => {
                    return Err(Pkcs12Error::Unsupported(
                        "public-key privacy mode (envelopedData)".into(),
                    ));
                }
                other => {
                    return Err(Pkcs12Error::Unsupported(format!(
                        "SafeContents content type {other}"
                    )));
                }
            }
        }
        Ok(contents)
    }

    fn verify_mac(&mut self, mac: &MacData<'_>, data: &[u8]) -> Result<(), Pkcs12Error> {
        use pkcs12::kdf::{Pkcs12KeyType, derive_key};
        type Derive = fn(&[u8], &[u8], Pkcs12KeyType, i32, usize) -> Vec<u8>;
        let (hmac, derive): (ring::hmac::Algorithm, Derive) = match mac.mac.algorithm.oid {
            SHA1 => (
                ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
                derive_key::<sha1::Sha1>,
            ),
            SHA256 => (ring::hmac::HMAC_SHA256, derive_key::<sha2::Sha256>),
            SHA384 => (ring::hmac::HMAC_SHA384, derive_key::<sha2::Sha384>),
            SHA512 => (ring::hmac::HMAC_SHA512, derive_key::<sha2::Sha512>),
            other => {
                return Err(Pkcs12Error::Unsupported(format!(
                    "integrity check (MAC) with {}",
                    name(&other)
                )));
            }
        };
        let length = hmac.digest_algorithm().output_len();
        if mac.mac.digest.as_bytes().len() != length {
            return Err(malformed("MacData", "the MAC has the wrong length"));
        }
        let iterations = mac.iterations.unwrap_or(1);
        // OpenSSL tries an empty password as "" (a lone NUL) and as no
        // password at all; files exist written either way.
        let mut candidates = vec![std::mem::take(&mut self.bmp)];
        if self.utf8.is_empty() {
            candidates.push(Zeroizing::new(Vec::new()));
        }
        for candidate in candidates {
            self.spend(iterations)?;
            let key = Zeroizing::new(derive(
                &candidate,
                mac.salt.as_bytes(),
                Pkcs12KeyType::Mac,
                iterations as i32,
                length,
            ));
            let key = ring::hmac::Key::new(hmac, &key);
            if ring::hmac::verify(&key, data, mac.mac.digest.as_bytes()).is_ok() {
                self.bmp = candidate;
                self.mac_verified = true;
                return Ok(());
            }
        }
        Err(Pkcs12Error::WrongPassword)
    }

    fn bags(
        &mut self,
        der: &[u8],
        decrypted: bool,
        depth: usize,
        out: &mut Contents,
    ) -> Result<(), Pkcs12Error> {
        let bags: Vec<SafeBag<'_>> = match Vec::from_der(der) {
            Ok(bags) => bags,
            Err(_) if decrypted && !self.mac_verified => return Err(Pkcs12Error::WrongPassword),
            Err(e) => return Err(malformed("SafeContents", e)),
        };
        for bag in &bags {
            match bag.bag_id {
                KEY_BAG => out.keys.push(Zeroizing::new(
                    bag.value.to_der().map_err(|e| malformed("keyBag", e))?,
                )),
                SHROUDED_KEY_BAG => {
                    let info = bag
                        .value
                        .decode_as::<EncryptedPrivateKeyInfo<'_>>()
                        .map_err(|e| malformed("pkcs8ShroudedKeyBag", e))?;
                    let key =
                        self.decrypt(&info.algorithm, info.data.as_bytes(), "the private key")?;
                    // Without a MAC, a wrong password can still unpad (1 in
                    // 256): the plaintext is then no DER at all.
                    if AnyRef::from_der(&key).is_err() {
                        return Err(self.decryption_failed("the private key"));
                    }
                    out.keys.push(key);
                }
                CERT_BAG => {
                    let cert = bag
                        .value
                        .decode_as::<CertBag<'_>>()
                        .map_err(|e| malformed("certBag", e))?;
                    if cert.cert_id == X509_CERTIFICATE {
                        out.certs.push(cert.value.as_bytes().to_vec());
                    }
                }
                SAFE_CONTENTS_BAG => {
                    if depth + 1 >= MAX_NESTING {
                        return Err(Pkcs12Error::Limit(format!(
                            "safeContentsBag nested more than {MAX_NESTING} deep"
                        )));
                    }
                    let inner = bag
                        .value
                        .to_der()
                        .map_err(|e| malformed("safeContentsBag", e))?;
                    self.bags(&inner, decrypted, depth + 1, out)?;
                }
                // CRLs, secrets and unknown bags say nothing about the signer.
                _ => {}
            }
        }
        Ok(())
    }

    /// Decrypts `ciphertext` as `algorithm` says; `what` names it in errors.
    fn decrypt(
        &mut self,
        algorithm: &AlgorithmId<'_>,
        ciphertext: &[u8],
        what: &str,
    ) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
        let parameters = || {
            algorithm
                .parameters
                .ok_or_else(|| malformed(&name(&algorithm.oid), "no parameters"))
        };
        match algorithm.oid {
            PBES2 => self.pbes2(parameters()?, ciphertext, what),
            PBE_SHA_3DES | PBE_SHA_2DES | PBE_SHA_RC2_128 | PBE_SHA_RC2_40 => {
                self.pkcs12_pbe(&algorithm.oid, parameters()?, ciphertext, what)
            }
            other => Err(Pkcs12Error::Unsupported(format!(
                "encryption {} of {what}",
                name(&other)
            ))),
        }
    }

    fn pbes2(
        &mut self,
        parameters: AnyRef<'_>,
        ciphertext: &[u8],
        what: &str,
    ) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
        let bad = |e: &dyn std::fmt::Display| malformed("PBES2 parameters", e);
        let outline = parameters
            .decode_as::<Pbes2Params<'_>>()
            .map_err(|e| bad(&e))?;
        if outline.kdf.oid != PBKDF2 {
            return Err(Pkcs12Error::Unsupported(format!(
                "PBES2 key derivation {} of {what}",
                name(&outline.kdf.oid)
            )));
        }
        let kdf = outline
            .kdf
            .parameters
            .ok_or_else(|| bad(&"no PBKDF2 parameters"))?;
        let kdf = kdf.decode_as::<Pbkdf2Params<'_>>().map_err(|e| bad(&e))?;
        let prf = kdf.prf.as_ref().map_or(HMAC_SHA1, |p| p.oid);
        if ![
            HMAC_SHA1,
            HMAC_SHA224,
            HMAC_SHA256,
            HMAC_SHA384,
            HMAC_SHA512,
        ]
        .contains(&prf)
        {
            return Err(Pkcs12Error::Unsupported(format!(
                "PBKDF2 pseudo-random function {} of {what}",
                name(&prf)
            )));
        }
        if ![AES128_CBC, AES192_CBC, AES256_CBC, DES_EDE3_CBC].contains(&outline.encryption.oid) {
            return Err(Pkcs12Error::Unsupported(format!(
                "PBES2 cipher {} of {what}",
                name(&outline.encryption.oid)
            )));
        }
        self.spend(kdf.iterations)?;
        let params = pkcs5::pbes2::Parameters::try_from(parameters).map_err(|e| bad(&e))?;
        let mut buffer = Zeroizing::new(ciphertext.to_vec());
        let length = match params.decrypt_in_place(self.utf8, &mut buffer) {
            Ok(plain) => plain.len(),
            Err(pkcs5::Error::UnsupportedAlgorithm { oid }) => {
                return Err(Pkcs12Error::Unsupported(format!(
                    "PBES2 algorithm {} of {what}",
                    name(&oid)
                )));
            }
            // pkcs5 0.7 reports a bad padding on decryption as EncryptFailed.
            Err(pkcs5::Error::DecryptFailed | pkcs5::Error::EncryptFailed) => {
                return Err(self.decryption_failed(what));
            }
            Err(e) => return Err(bad(&e)),
        };
        buffer.truncate(length);
        Ok(buffer)
    }

    fn pkcs12_pbe(
        &mut self,
        oid: &Oid,
        parameters: AnyRef<'_>,
        ciphertext: &[u8],
        what: &str,
    ) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
        use cbc::cipher::block_padding::Pkcs7;
        use cbc::cipher::{BlockDecryptMut, InnerIvInit, KeyInit, KeyIvInit};
        use pkcs12::kdf::{Pkcs12KeyType, derive_key};

        let params = parameters
            .decode_as::<Pkcs12PbeParams<'_>>()
            .map_err(|e| malformed(&format!("{} parameters", name(oid)), e))?;
        // The key and the IV are two derivations.
        self.spend(params.iterations)?;
        self.spend(params.iterations)?;
        let derive = |kind, length| {
            Zeroizing::new(derive_key::<sha1::Sha1>(
                &self.bmp,
                params.salt.as_bytes(),
                kind,
                params.iterations as i32,
                length,
            ))
        };
        let key_length = match *oid {
            PBE_SHA_3DES => 24,
            PBE_SHA_2DES | PBE_SHA_RC2_128 => 16,
            _ => 5,
        };
        let key = derive(Pkcs12KeyType::EncryptionKey, key_length);
        let iv = derive(Pkcs12KeyType::Iv, 8);
        if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(8) {
            return Err(self.decryption_failed(what));
        }
        let mut buffer = Zeroizing::new(ciphertext.to_vec());
        let internal = |_| malformed(&name(oid), "key or IV of the wrong size");
        let plain = match *oid {
            PBE_SHA_3DES => cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
                .map_err(internal)?
                .decrypt_padded_mut::<Pkcs7>(&mut buffer)
                .map(<[u8]>::len),
            PBE_SHA_2DES => cbc::Decryptor::<des::TdesEde2>::new_from_slices(&key, &iv)
                .map_err(internal)?
                .decrypt_padded_mut::<Pkcs7>(&mut buffer)
                .map(<[u8]>::len),
            _ => {
                // RC2's effective key length is the key's (40 or 128 bits).
                let cipher = rc2::Rc2::new_from_slice(&key).map_err(internal)?;
                cbc::Decryptor::<rc2::Rc2>::inner_iv_slice_init(cipher, &iv)
                    .map_err(internal)?
                    .decrypt_padded_mut::<Pkcs7>(&mut buffer)
                    .map(<[u8]>::len)
            }
        };
        let length = plain.map_err(|_| self.decryption_failed(what))?;
        buffer.truncate(length);
        Ok(buffer)
    }
}

/// The content octets of a `data` ContentInfo.
fn data_content<'a>(info: &ContentInfo<'a>, what: &str) -> Result<&'a [u8], Pkcs12Error> {
    let content = info.content.ok_or_else(|| malformed(what, "no content"))?;
    content
        .decode_as::<OctetStringRef<'_>>()
        .map(|o| o.as_bytes())
        .map_err(|e| malformed(what, e))
}

/// Whether `cert` carries `key`'s public key.
fn matches(cert: &Certificate, key: &SigningKey) -> bool {
    let bytes = key.public_key_bytes();
    match (cert.public_key(), key) {
        (PublicKey::Rsa { key: k, .. }, SigningKey::Rsa(_))
        | (PublicKey::EcP256 { point: k }, SigningKey::EcdsaP256(_))
        | (PublicKey::EcP384 { point: k }, SigningKey::EcdsaP384(_))
        | (PublicKey::Ed25519 { key: k }, SigningKey::Ed25519(_)) => k.as_bytes() == bytes,
        _ => false,
    }
}

/// `signer`, then its issuer, that one's issuer and so on as far as `rest`
/// has them, then what is left of `rest` in its order.  Where two
/// certificates bear the issuer's name, the one whose key verifies the
/// signature wins.
fn order_chain(signer: Certificate, mut rest: Vec<Certificate>) -> Vec<Certificate> {
    let mut chain = vec![signer];
    while let Some(last) = chain.last() {
        if last.is_self_issued() {
            break;
        }
        let next = rest
            .iter()
            .position(|c| last.verify_issued_by(c, true).is_ok())
            .or_else(|| {
                rest.iter()
                    .position(|c| c.subject_der() == last.issuer_der())
            });
        match next {
            Some(i) => chain.push(rest.remove(i)),
            None => break,
        }
    }
    chain.extend(rest);
    chain
}

/// The signing key of a PKCS#12 file and its certificates, signer first
/// (see [`SigningKey::from_pkcs12`]).
pub(crate) fn signer_from_pkcs12(
    der: &[u8],
    password: &str,
) -> Result<(SigningKey, Vec<Certificate>), SignError> {
    let bmp: Vec<u8> = password
        .encode_utf16()
        .chain([0])
        .flat_map(u16::to_be_bytes)
        .collect();
    let mut reader = Reader {
        utf8: password.as_bytes(),
        bmp: Zeroizing::new(bmp),
        mac_verified: false,
        iterations_left: MAX_TOTAL_ITERATIONS,
    };
    let contents = reader.read(der)?;
    let mut certs: Vec<Certificate> = Vec::with_capacity(contents.certs.len());
    for (i, der) in contents.certs.iter().enumerate() {
        let cert = Certificate::from_der(der)
            .map_err(|e| malformed(&format!("certificate {}", i + 1), e))?;
        if !certs.contains(&cert) {
            certs.push(cert);
        }
    }
    if contents.keys.is_empty() {
        return Err(Pkcs12Error::NoKey.into());
    }
    let mut unusable = None;
    for key in &contents.keys {
        match SigningKey::from_pkcs8_der(key) {
            Ok(key) => {
                if let Some(at) = certs.iter().position(|c| matches(c, &key)) {
                    let signer = certs.remove(at);
                    return Ok((key, order_chain(signer, certs)));
                }
                // A usable key without its certificate says more than a
                // key hoso cannot use.
                unusable = Some(Pkcs12Error::NoMatchingCertificate.into());
            }
            Err(e) => {
                unusable.get_or_insert(e);
            }
        }
    }
    Err(unusable.unwrap_or_else(|| Pkcs12Error::NoKey.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(name: &str) -> Certificate {
        let path = format!("{}/../../certs/test/{name}.der", env!("CARGO_MANIFEST_DIR"));
        Certificate::from_der(&std::fs::read(&path).unwrap()).unwrap()
    }

    #[test]
    fn the_chain_follows_issuers_and_prefers_the_key_that_signed() {
        let signer = cert("signers/person-cccd");
        // The impostor CA 1 bears CA 1's name; only the real one's key
        // verifies the signer's certificate.
        let rest = vec![
            cert("ca/root"),
            cert("signers/person-cmnd"),
            cert("ca/untrusted-ca1"),
            cert("ca/ca1"),
        ];
        let chain = order_chain(signer.clone(), rest);
        assert_eq!(
            chain,
            vec![
                signer,
                cert("ca/ca1"),
                cert("ca/root"),
                cert("signers/person-cmnd"),
                cert("ca/untrusted-ca1"),
            ]
        );
    }

    #[test]
    fn a_self_issued_signer_ends_the_chain() {
        let root = cert("ca/root");
        let chain = order_chain(root.clone(), vec![cert("ca/ca1")]);
        assert_eq!(chain, vec![root, cert("ca/ca1")]);
    }

    #[test]
    fn the_names_of_algorithms_are_readable() {
        assert_eq!(name(&PBE_SHA_RC2_40), "pbeWithSHAAnd40BitRC2-CBC");
        assert_eq!(name(&Oid::new_unwrap("1.2.3.4")), "1.2.3.4");
    }
}
