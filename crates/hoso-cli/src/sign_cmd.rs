//! `hoso sign`: an enveloped XAdES B-B (or plain XML-DSig) signature.

use std::path::PathBuf;

use clap::ValueEnum;
use hoso_dsig::{SignOptions, SigningKey};
use hoso_pki::{Certificate, SignatureScheme, Timestamp};

use crate::{Failure, read_input};

#[derive(clap::Args)]
pub struct SignArgs {
    /// The signer's private key (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "KEY.pem")]
    key: PathBuf,
    /// The signer's certificate (PEM).
    #[arg(long, value_name = "CERT.pem")]
    cert: PathBuf,
    /// CA certificates to include in KeyInfo after the signer's (PEM; repeatable).
    #[arg(long, value_name = "CA.pem")]
    chain: Vec<PathBuf>,
    /// A plain XML-DSig signature without XAdES properties.
    #[arg(long)]
    no_xades: bool,
    /// Canonicalization of SignedInfo and the references.
    #[arg(long, value_enum, default_value = "exc-c14n")]
    c14n: C14nArg,
    /// Signature algorithm (the key's usual one by default).
    #[arg(long, value_enum)]
    alg: Option<AlgArg>,
    /// The XML document to sign, or `-` for standard input.
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

pub fn run(args: SignArgs) -> Result<(), Failure> {
    let key = SigningKey::from_pem(&read_file(&args.key)?)
        .map_err(|e| Failure::usage(format!("{}: {e}", args.key.display())))?;
    let mut chain = certificates(&args.cert)?;
    chain.truncate(1);
    for file in &args.chain {
        chain.extend(certificates(file)?);
    }
    let limits = hoso_xml::Limits::default();
    let input = read_input(&args.file, limits.max_document_bytes)?;
    let mut options = SignOptions::new(chain, Timestamp::now());
    options.xades = !args.no_xades;
    options.scheme = args.alg.map(AlgArg::scheme);
    options.c14n = hoso_xml::Method::from_name(match args.c14n {
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
