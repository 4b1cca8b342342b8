//! `hoso sign`: an enveloped XAdES B-B (or plain XML-DSig) signature, or a
//! JWS for a JSON form.

use std::path::PathBuf;

use clap::ValueEnum;
use hoso_dsig::{SignOptions, SigningKey};
use hoso_pki::{Certificate, SignatureScheme, Timestamp};

use crate::{EXIT_REFUSED, Failure, read_input};

#[derive(clap::Args)]
pub struct SignArgs {
    /// The signer's private key (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "KEY.pem", required_unless_present = "p12")]
    key: Option<PathBuf>,
    /// The signer's certificate (PEM).
    #[arg(long, value_name = "CERT.pem", required_unless_present = "p12")]
    cert: Option<PathBuf>,
    /// A PKCS#12 file (.p12, .pfx) holding the signer's key and
    /// certificates, instead of --key and --cert.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["key", "cert"])]
    p12: Option<PathBuf>,
    /// The environment variable holding the PKCS#12 password; without it,
    /// the password is asked for on the terminal.
    #[arg(long, value_name = "VAR", requires = "p12", conflicts_with_all = ["key", "cert"])]
    password_env: Option<String>,
    /// CA certificates to include in KeyInfo after the signer's (PEM; repeatable).
    #[arg(long, value_name = "CA.pem")]
    chain: Vec<PathBuf>,
    /// A plain XML-DSig signature without XAdES properties (XML only).
    #[arg(long)]
    no_xades: bool,
    /// Canonicalization of SignedInfo and the references (XML only)
    /// [default: exc-c14n].
    #[arg(long, value_enum)]
    c14n: Option<C14nArg>,
    /// Signature algorithm (the key's usual one by default).
    #[arg(long, value_enum)]
    alg: Option<AlgArg>,
    /// The XML document, or the JSON form (signed as a JWS in the flattened
    /// JSON serialization), to sign; `-` for standard input.
    file: PathBuf,
    /// Where to write the signed document (`-` for standard output).
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum C14nArg {
    ExcC14n,
    C14n,
    C14n11,
}

#[derive(Clone, Copy, ValueEnum)]
enum AlgArg {
    RsaSha256,
    RsaSha384,
    RsaSha512,
    RsaPssSha256,
    RsaPssSha384,
    RsaPssSha512,
    EcdsaSha256,
    EcdsaSha384,
    Ed25519,
}

impl AlgArg {
    fn scheme(self) -> SignatureScheme {
        match self {
            AlgArg::RsaSha256 => SignatureScheme::RsaPkcs1Sha256,
            AlgArg::RsaSha384 => SignatureScheme::RsaPkcs1Sha384,
            AlgArg::RsaSha512 => SignatureScheme::RsaPkcs1Sha512,
            AlgArg::RsaPssSha256 => SignatureScheme::RsaPssSha256,
            AlgArg::RsaPssSha384 => SignatureScheme::RsaPssSha384,
            AlgArg::RsaPssSha512 => SignatureScheme::RsaPssSha512,
            AlgArg::EcdsaSha256 => SignatureScheme::EcdsaP256Sha256,
            AlgArg::EcdsaSha384 => SignatureScheme::EcdsaP384Sha384,
            AlgArg::Ed25519 => SignatureScheme::Ed25519,
        }
    }
}

fn read_file(path: &PathBuf) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::usage(format!("{}: cannot read: {e}", path.display())))
}

fn certificates(path: &PathBuf) -> Result<Vec<Certificate>, Failure> {
    let certs = Certificate::from_pem(&read_file(path)?)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    if certs.is_empty() {
        return Err(Failure::usage(format!(
            "{}: no certificate",
            path.display()
        )));
    }
    Ok(certs)
}

/// Asks for the PKCS#12 password on the terminal.
const PASSWORD_PROMPT: &str = "Mật khẩu PKCS#12 / PKCS#12 password: ";

/// The PKCS#12 password: from the environment variable `var`, or typed on
/// the terminal without echo.  Never shown.
fn p12_password(var: Option<&str>) -> Result<String, Failure> {
    use std::io::{IsTerminal, Write};

    if let Some(var) = var {
        if var.is_empty() || var.contains(['=', '\0']) {
            return Err(Failure::usage(format!(
                "--password-env {var:?}: not an environment variable name"
            )));
        }
        return std::env::var(var).map_err(|e| {
            Failure::usage(match e {
                std::env::VarError::NotPresent => format!(
                    "--password-env {var}: biến môi trường {var} chưa được đặt / \
                     the environment variable {var} is not set"
                ),
                std::env::VarError::NotUnicode(_) => {
                    format!("--password-env {var}: the value of {var} is not UTF-8")
                }
            })
        });
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "không có terminal để hỏi mật khẩu PKCS#12: dùng --password-env VAR / \
             no terminal to ask for the PKCS#12 password: use --password-env VAR",
        ));
    }
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(PASSWORD_PROMPT.as_bytes())
        .and_then(|()| stderr.flush());
    drop(stderr);
    rpassword::read_password()
        .map_err(|e| Failure::usage(format!("cannot read the PKCS#12 password: {e}")))
}

/// The signing key and the certificates for KeyInfo, signer first: from
/// --p12, or from --key and --cert.
fn signer(args: &SignArgs) -> Result<(SigningKey, Vec<Certificate>), Failure> {
    if let Some(p12) = &args.p12 {
        let der = read_input(p12, hoso_dsig::MAX_PKCS12_BYTES)?;
        let password = p12_password(args.password_env.as_deref())?;
        return SigningKey::from_pkcs12(&der, &password).map_err(|e| {
            let why = match e {
                hoso_dsig::SignError::Pkcs12(hoso_dsig::Pkcs12Error::WrongPassword) => {
                    "mật khẩu sai hoặc tệp hỏng / wrong password or damaged file".to_string()
                }
                other => other.to_string(),
            };
            Failure::usage(format!("{}: {why}", p12.display()))
        });
    }
    let (Some(key), Some(cert)) = (&args.key, &args.cert) else {
        return Err(Failure::usage(
            "name the signer with --key and --cert, or --p12",
        ));
    };
    let key = SigningKey::from_pem(&read_file(key)?)
        .map_err(|e| Failure::usage(format!("{}: {e}", key.display())))?;
    let mut chain = certificates(cert)?;
    chain.truncate(1);
    Ok((key, chain))
}

pub fn run(args: SignArgs) -> Result<(), Failure> {
    let (key, mut chain) = signer(&args)?;
    for file in &args.chain {
        for cert in certificates(file)? {
            if !chain.contains(&cert) {
                chain.push(cert);
            }
        }
    }
    let limits = hoso_xml::Limits::default();
    let input = read_input(&args.file, limits.max_document_bytes)?;
    if input.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        return sign_json(&args, &input, &key, &chain, limits.max_document_bytes);
    }
    let mut options = SignOptions::new(chain, Timestamp::now());
    options.xades = !args.no_xades;
    options.scheme = args.alg.map(AlgArg::scheme);
    options.c14n = hoso_xml::Method::from_name(match args.c14n.unwrap_or(C14nArg::ExcC14n) {
        C14nArg::ExcC14n => "exc-c14n",
        C14nArg::C14n => "c14n",
        C14nArg::C14n11 => "c14n11",
    })
    .expect("known method");
    let signed = hoso_dsig::sign_enveloped(&input, &key, &options).map_err(|e| match e {
        hoso_dsig::SignError::Xml(x) => Failure::refused(&args.file, &x),
        other => Failure::usage(other.to_string()),
    })?;
    crate::write_output(&args.output, &signed)
}

/// A JSON form: a JWS (RFC 7515) in the flattened JSON serialization with
/// the protected header `{alg, sigT, x5c}`.
fn sign_json(
    args: &SignArgs,
    input: &[u8],
    key: &SigningKey,
    chain: &[Certificate],
    max_bytes: usize,
) -> Result<(), Failure> {
    if args.no_xades || args.c14n.is_some() {
        return Err(Failure::usage(
            "--no-xades and --c14n apply to XML signatures; a JSON form is signed as a JWS",
        ));
    }
    let name = crate::display_name(&args.file);
    if input.len() > max_bytes {
        return Err(Failure::message(
            EXIT_REFUSED,
            format!("{name}: larger than {max_bytes} bytes"),
        ));
    }
    if let Err(e) = serde_json::from_slice::<serde_json::Value>(input) {
        return Err(Failure::message(
            EXIT_REFUSED,
            format!("{name}: not valid JSON: {e}"),
        ));
    }
    let signed = hoso_dsig::sign_jws(
        input,
        key,
        chain,
        args.alg.map(AlgArg::scheme),
        Timestamp::now(),
    )
    .map_err(|e| Failure::usage(e.to_string()))?;
    crate::write_output(&args.output, &signed)
}
