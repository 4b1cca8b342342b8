//! What the service tests share: an app on a fresh data folder, requests
//! through the router without a network, signed fixtures made with the
//! TEST PKI, and multipart bodies built from a form's manifest.
#![allow(dead_code)] // each test file uses a part

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use hoso_dsig::{SignOptions, SigningKey};
use hoso_pki::{Certificate, Timestamp};
use hoso_server::app::{App, router};
use hoso_server::config::{Config, Officer, Role};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The officer tokens of the test configuration, by agency.
pub const TOKENS: &[(&str, &str, &str)] = &[
    ("so-tp", "can-bo-tu-phap", "token-so-tp-TEST"),
    ("cong-an-tinh", "can-bo-cong-an", "token-cong-an-TEST"),
    ("so-tnmt", "can-bo-tnmt", "token-so-tnmt-TEST"),
    ("so-tp", "xem-tu-phap", "token-so-tp-viewer-TEST"),
];

pub fn token(agency: &str) -> &'static str {
    TOKENS
        .iter()
        .find(|(a, _, _)| *a == agency)
        .map(|(_, _, t)| *t)
        .unwrap()
}

fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A scratch folder for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hoso-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn config(dir: &Path, database: Option<String>) -> Config {
    Config {
        data_dir: dir.to_owned(),
        database,
        officers: TOKENS
            .iter()
            .map(|(agency, name, token)| Officer {
                name: (*name).into(),
                agency: (*agency).into(),
                token_sha256: sha256_hex(token.as_bytes()),
                role: match *name {
                    "can-bo-tnmt" => Role::Reception,
                    "xem-tu-phap" => Role::Viewer,
                    _ => Role::Officer,
                },
            })
            .collect(),
        ..Config::default()
    }
}

pub struct Service {
    pub app: Arc<App>,
    pub router: Router,
}

impl Service {
    pub async fn start(config: &Config) -> Service {
        let app = App::new(config).await.expect("the service starts");
        let router = router(app.clone(), Duration::from_secs(30));
        Service { app, router }
    }

    pub async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, value)
    }

    pub async fn get(&self, uri: &str, bearer: Option<&str>) -> (StatusCode, Value) {
        let mut request = Request::get(uri);
        if let Some(token) = bearer {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    pub async fn post_json(
        &self,
        uri: &str,
        bearer: Option<&str>,
        body: &Value,
    ) -> (StatusCode, Value) {
        let mut request = Request::post(uri).header("content-type", "application/json");
        if let Some(token) = bearer {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    pub async fn submit(
        &self,
        body: (String, Vec<u8>),
        idempotency: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut request = Request::post("/api/v1/dossiers").header("content-type", body.0);
        if let Some(key) = idempotency {
            request = request.header("idempotency-key", key);
        }
        self.send(request.body(Body::from(body.1)).unwrap()).await
    }

    /// How many dossiers the store holds, across agencies.
    pub async fn count(&self) -> usize {
        let mut total = 0;
        for agency in ["so-tnmt", "so-vhttdl", "so-gtvt", "so-tp", "ubnd-huyen"] {
            total += self
                .app
                .store()
                .list(agency, None, 10_000, 0)
                .await
                .unwrap()
                .len();
        }
        total
    }
}

/// The TEST signer of `certs/test/signers/NAME` with its CA.
pub fn signer(name: &str) -> (SigningKey, Vec<Certificate>) {
    let key = SigningKey::from_pem(&read(&format!("certs/test/signers/{name}.key.pem"))).unwrap();
    let mut certs =
        Certificate::from_pem(&read(&format!("certs/test/signers/{name}.pem"))).unwrap();
    certs.extend(Certificate::from_pem(&read("certs/test/ca/ca1.pem")).unwrap());
    (key, certs)
}

/// Signs an XML form with an enveloped XAdES signature.
pub fn sign_xml(xml: &[u8], signer_name: &str) -> Vec<u8> {
    let (key, certs) = signer(signer_name);
    hoso_dsig::sign_enveloped(xml, &key, &SignOptions::new(certs, Timestamp::now())).unwrap()
}

/// Signs a JSON payload as a JWS.
pub fn sign_json(payload: &[u8], signer_name: &str) -> Vec<u8> {
    let (key, certs) = signer(signer_name);
    hoso_dsig::sign_jws(payload, &key, &certs, None, Timestamp::now()).unwrap()
}

/// The example attachment whose SHA-256 the manifest names.
fn attachment_bytes(sha256: &str) -> Vec<u8> {
    for name in ["so-do-vi-tri.pdf", "bao-cao.pdf", "ban-sao-giay-to.pdf"] {
        let bytes = read(&format!("examples/forms/attachments/{name}"));
        if sha256_hex(&bytes) == sha256 {
            return bytes;
        }
    }
    panic!("no example attachment has SHA-256 {sha256}")
}

/// The manifest of a signed or unsigned example: (field, sha256).
pub fn manifest(xml: &[u8]) -> Vec<(String, String)> {
    let definitions = hoso_forms::Definitions::load().unwrap();
    let options_trust = {
        let mut t = hoso_pki::TrustStore::new();
        hoso_pki::profiles::Profile::Demo.load_into(&mut t);
        t
    };
    let content = match hoso_dsig::verify_form(
        xml,
        &hoso_dsig::VerifyOptions::new(&options_trust, Timestamp::now()),
    ) {
        Ok(accepted) => accepted.signed.canonical,
        Err(_) => xml.to_vec(),
    };
    let form = definitions
        .validate(&content, None)
        .expect("a valid example");
    form.attachments()
        .into_iter()
        .map(|a| (a.field, a.sha256))
        .collect()
}

pub const BOUNDARY: &str = "hoso-test-boundary-7KQ4M2XP";

/// A multipart body: the form, then the given parts.
pub fn multipart(form: &[u8], form_type: &str, parts: &[(String, Vec<u8>)]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    let mut part = |name: &str, content_type: &str, bytes: &[u8]| {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    };
    part("form", form_type, form);
    for (name, bytes) in parts {
        part(name, "application/pdf", bytes);
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// A signed XML form with all the attachments its manifest names.
pub fn submission(signed: &[u8]) -> (String, Vec<u8>) {
    let parts: Vec<(String, Vec<u8>)> = manifest(signed)
        .into_iter()
        .map(|(field, sha)| (field, attachment_bytes(&sha)))
        .collect();
    multipart(signed, "application/xml", &parts)
}
