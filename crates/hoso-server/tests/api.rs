//! The service through HTTP (in process, on SQLite): every procedure's
//! signed example is accepted with its attachments; refused submissions
//! store nothing; retries are idempotent; dossiers move only by the
//! allowed transitions and only for those entitled to move them.

mod support;

use axum::http::{Request, StatusCode};
use serde_json::{Value, json};
use support::*;

/// A request body with its content type.
type Body = (String, Vec<u8>);

fn examples() -> Vec<String> {
    hoso_forms::Definitions::load()
        .unwrap()
        .forms()
        .iter()
        .map(|f| f.procedure.clone())
        .collect()
}

#[tokio::test]
async fn every_procedures_signed_example_is_accepted_and_can_be_looked_up() {
    let dir = scratch("examples");
    let service = Service::start(&config(&dir, None)).await;
    let mut digests = std::collections::BTreeSet::new();
    for id in examples() {
        let signed = read(&format!("examples/forms/{id}/signed.xml"));
        digests.extend(manifest(&signed).into_iter().map(|(_, sha)| sha));
        let (status, answer) = service.submit(submission(&signed), None).await;
        assert_eq!(status, StatusCode::CREATED, "{id}: {answer}");
        let code = answer["code"].as_str().unwrap();
        let secret = answer["secret"].as_str().unwrap();
        assert_eq!(answer["procedure"], id.as_str());
        assert_eq!(answer["status"]["code"], 1);
        assert_eq!(answer["status"]["vi"], "Mới đăng ký");
        assert!(
            answer["appointment"].as_str().unwrap()
                >= &answer["received_at"].as_str().unwrap()[..10]
        );

        // The applicant looks it up with the secret.
        let (status, found) = service
            .get(&format!("/api/v1/dossiers/{code}?secret={secret}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{id}: {found}");
        assert_eq!(found["history"][0]["action"], "submit");
        assert!(
            found.get("applicant").is_none(),
            "the public lookup shows no personal data"
        );
        // A wrong secret, or none, finds nothing.
        let (status, _) = service
            .get(&format!("/api/v1/dossiers/{code}?secret=AAAAA-BBBBB"), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = service.get(&format!("/api/v1/dossiers/{code}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    assert_eq!(service.count().await, 31);
    // Each dossier kept what was signed, the evidence and the attachments.
    let tp = service
        .app
        .store()
        .list("so-tp", None, 100, 0)
        .await
        .unwrap();
    assert_eq!(
        tp.len(),
        4,
        "procedures 20–23 go to the Department of Justice"
    );
    let (_, signed_content, _) = service
        .app
        .store()
        .document(&tp[0].code)
        .await
        .map(|(m, d, c)| (m, c, d))
        .unwrap();
    assert!(
        signed_content.starts_with(b"<f:"),
        "the signed content is stored"
    );
    let evidence: Value =
        serde_json::from_str(&service.app.store().evidence(&tp[0].code).await.unwrap()).unwrap();
    assert!(evidence["signer"].as_str().unwrap().contains("(TEST)"));
    assert!(!evidence["certificates"].as_array().unwrap().is_empty());
    assert!(
        evidence["report"]["vi"]
            .as_str()
            .unwrap()
            .contains("Người ký")
    );
    let files = std::fs::read_dir(dir.join("attachments")).unwrap().count();
    assert_eq!(
        files,
        digests.len(),
        "attachments are kept once each, by digest"
    );
}

#[tokio::test]
async fn refused_submissions_say_why_and_store_nothing() {
    let dir = scratch("refusals");
    let mut cfg = config(&dir, None);
    cfg.max_body_bytes = 64 * 1024;
    let service = Service::start(&cfg).await;
    let id = "tnmt-02-khai-thac-nuoc-duoi-dat";
    let signed = read(&format!("examples/forms/{id}/signed.xml"));

    // A changed byte in what was signed.
    let tampered = String::from_utf8(signed.clone()).unwrap().replacen(
        "<totalFlow>1130.5</totalFlow>",
        "<totalFlow>1130.6</totalFlow>",
        1,
    );
    // A signer whose chain leads to the impostor root.
    let untrusted = sign_xml(
        &read(&format!("examples/forms/{id}/valid.xml")),
        "untrusted-signer",
    );
    // A correctly signed form that breaks its definition.
    let invalid = sign_xml(
        &read(&format!("examples/forms/{id}/invalid.xml")),
        "organisation",
    );
    let parts = manifest(&signed);
    let wrong_bytes: Vec<(String, Vec<u8>)> = parts
        .iter()
        .map(|(field, _)| {
            (
                field.clone(),
                b"%PDF-1.4 not the file that was signed".to_vec(),
            )
        })
        .collect();
    // Every part but the first, with the right bytes.
    let right: Vec<(String, Vec<u8>)> = parts
        .iter()
        .map(|(f, _)| {
            (
                f.clone(),
                read("examples/forms/attachments/so-do-vi-tri.pdf"),
            )
        })
        .collect();
    let missing = multipart(&signed, "application/xml", &right[1..]);
    let mut with_extra = right.clone();
    with_extra.push(("notListed".into(), b"x".to_vec()));
    let extra = multipart(&signed, "application/xml", &with_extra);
    let oversized = multipart(
        &signed,
        "application/xml",
        &[("big".into(), vec![b'x'; 80 * 1024])],
    );
    let malformed = (
        format!("multipart/form-data; boundary={BOUNDARY}"),
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"form\"\r\n\r\n<unfinished")
            .into_bytes(),
    );
    let cases: Vec<(&str, Body, StatusCode, &str)> = vec![
        (
            "tampered",
            submission(tampered.as_bytes()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "signature-refused",
        ),
        (
            "untrusted",
            submission(&untrusted),
            StatusCode::UNPROCESSABLE_ENTITY,
            "signature-refused",
        ),
        (
            "invalid form",
            multipart(&invalid, "application/xml", &[]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "form-invalid",
        ),
        (
            "attachment hash",
            multipart(&signed, "application/xml", &wrong_bytes),
            StatusCode::UNPROCESSABLE_ENTITY,
            "attachment-mismatch",
        ),
        (
            "attachment missing",
            missing,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attachment-mismatch",
        ),
        (
            "attachment not listed",
            extra,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attachment-mismatch",
        ),
        (
            "no attachments at all",
            ("application/xml".into(), signed.clone()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "attachment-mismatch",
        ),
        (
            "oversized",
            oversized,
            StatusCode::PAYLOAD_TOO_LARGE,
            "body-too-large",
        ),
        (
            "malformed multipart",
            malformed,
            StatusCode::BAD_REQUEST,
            "multipart-malformed",
        ),
        (
            "not a document",
            ("application/xml".into(), b"hello".to_vec()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "signature-refused",
        ),
    ];
    for (what, body, status, code) in cases {
        let (got, problem) = service.submit(body, None).await;
        assert_eq!(got, status, "{what}: {problem}");
        assert_eq!(
            problem["type"],
            format!("urn:hoso:problem:{code}"),
            "{what}: {problem}"
        );
        assert!(!problem["detail"].as_str().unwrap().is_empty(), "{what}");
        assert!(!problem["detail_vi"].as_str().unwrap().is_empty(), "{what}");
    }
    // The invalid form's errors name the field.
    let (_, problem) = service
        .submit(multipart(&invalid, "application/xml", &[]), None)
        .await;
    assert_eq!(problem["errors"][0]["path"], "extraction.totalFlow");
    assert_eq!(problem["errors"][0]["code"], "beyond_competence");
    assert_eq!(service.count().await, 0, "nothing was stored");
    assert_eq!(
        std::fs::read_dir(dir.join("attachments")).unwrap().count(),
        0,
        "no attachment was kept"
    );
}

#[tokio::test]
async fn retries_with_the_same_idempotency_key_give_the_same_dossier() {
    let dir = scratch("idempotency");
    let service = Service::start(&config(&dir, None)).await;
    let signed = read("examples/forms/tp-20-ly-lich-tu-phap-so-1/signed.xml");
    let (status, first) = service.submit(submission(&signed), Some("retry-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, again) = service.submit(submission(&signed), Some("retry-1")).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["code"], first["code"]);
    assert_eq!(again["replayed"], true);
    assert!(again["secret"].is_null(), "the secret is shown once");
    // The same key with another body is refused.
    let other = read("examples/forms/tp-21-ly-lich-tu-phap-so-2/signed.xml");
    let (status, problem) = service.submit(submission(&other), Some("retry-1")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["type"], "urn:hoso:problem:idempotency-key-reused");
    // Without a key, the same body is a new dossier.
    let (status, third) = service.submit(submission(&signed), None).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_ne!(third["code"], first["code"]);
    assert_eq!(service.count().await, 2);
}

async fn act(
    service: &Service,
    code: &str,
    action: &str,
    agency: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    service
        .post_json(
            &format!("/api/v1/dossiers/{code}/actions/{action}"),
            agency.map(token),
            &body,
        )
        .await
}

#[tokio::test]
async fn officers_move_dossiers_through_the_allowed_transitions_only() {
    let dir = scratch("workflow");
    let service = Service::start(&config(&dir, None)).await;
    let signed = read("examples/forms/tp-20-ly-lich-tu-phap-so-1/signed.xml");
    let (_, submitted) = service.submit(submission(&signed), None).await;
    let code = submitted["code"].as_str().unwrap().to_owned();
    let secret = submitted["secret"].as_str().unwrap().to_owned();

    // Credentials.
    let (status, _) = act(&service, &code, "accept", None, json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = service
        .post_json(
            &format!("/api/v1/dossiers/{code}/actions/accept"),
            Some("not-a-token"),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = act(&service, &code, "accept", Some("so-tnmt"), json!({})).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another agency does not see it"
    );
    let (status, _) = service
        .get(&format!("/api/v1/dossiers/{code}"), Some(token("so-tnmt")))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, listed) = service
        .get("/api/v1/dossiers", Some(token("so-tnmt")))
        .await;
    assert_eq!(
        (status, listed["dossiers"].as_array().unwrap().len()),
        (StatusCode::OK, 0)
    );

    // Not allowed from here.
    let (status, problem) = act(&service, &code, "approve", Some("so-tp"), json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["status"], 1);
    let (status, _) = act(&service, &code, "refuse", Some("so-tp"), json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a refusal needs a reason");
    let (status, _) = act(&service, &code, "fly", Some("so-tp"), json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The way through: accept, process (the fee assessed from the form
    // is requested first, and paid at the desk), forward to the police,
    // their opinion, approve, return the result.
    for (action, agency, body, expected) in [
        ("accept", "so-tp", json!({}), 2),
        ("process", "so-tp", json!({}), 6),
        (
            "record-payment",
            "so-tp",
            json!({ "reason": "Nộp tiền mặt tại bộ phận một cửa" }),
            4,
        ),
        (
            "forward",
            "so-tp",
            json!({ "agency": "cong-an-tinh", "reason": "Tra cứu lý lịch" }),
            4,
        ),
        (
            "opinion",
            "cong-an-tinh",
            json!({ "opinion": "Không có án tích" }),
            4,
        ),
        ("approve", "so-tp", json!({}), 9),
    ] {
        let (status, answer) = act(&service, &code, action, Some(agency), body).await;
        assert_eq!(status, StatusCode::OK, "{action}: {answer}");
        assert_eq!(answer["status"]["code"], expected, "{action}");
    }
    // The result is returned as a document the agency signed.
    let (status, _) = service
        .get(
            &format!("/api/v1/dossiers/{code}/result?secret={secret}"),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no result before it is returned"
    );
    let unsigned = format!("<ketQua xmlns=\"urn:hoso:result:1\"><hoSo>{code}</hoSo></ketQua>");
    let return_result = |body: Vec<u8>| {
        Request::post(format!("/api/v1/dossiers/{code}/actions/return-result"))
            .header("authorization", format!("Bearer {}", token("so-tp")))
            .header("content-type", "application/xml")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let (status, _) = service
        .send(return_result(unsigned.clone().into_bytes()))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an unsigned result is refused"
    );
    let signed_result = sign_xml(unsigned.as_bytes(), "agency");
    let (status, answer) = service.send(return_result(signed_result.clone())).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["status"]["code"], 10);
    let response = tower::ServiceExt::oneshot(
        service.router.clone(),
        Request::get(format!("/api/v1/dossiers/{code}/result?secret={secret}"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(
        &bytes[..],
        &signed_result[..],
        "the applicant gets the result as signed"
    );
    let (status, _) = service
        .get(
            &format!("/api/v1/dossiers/{code}/result?secret=WRONG"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The police saw it once forwarded, but cannot approve it.
    let (status, _) = service
        .get(
            &format!("/api/v1/dossiers/{code}"),
            Some(token("cong-an-tinh")),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Final: nothing more.
    let (status, _) = act(&service, &code, "process", Some("so-tp"), json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The applicant sees the whole history with the secret.
    let (_, found) = service
        .get(&format!("/api/v1/dossiers/{code}?secret={secret}"), None)
        .await;
    let steps: Vec<i64> = found["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"]["code"].as_i64().unwrap())
        .collect();
    assert_eq!(steps, [1, 2, 6, 4, 4, 4, 9, 10]);

    // The audit chain is intact, and says who did what.
    let (status, audit) = service
        .get(
            &format!("/api/v1/dossiers/{code}/audit"),
            Some(token("so-tp")),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(audit["chain"], "intact");
    assert_eq!(
        audit["events"][5]["actor"],
        "officer:cong-an-tinh/can-bo-cong-an"
    );
    assert_eq!(audit["events"][5]["action"], "opinion");
    let events: Vec<hoso_server::audit::Event> = service.app.store().events(&code).await.unwrap();
    hoso_server::audit::check_chain(&code, &events).unwrap();
    let mut edited = events.clone();
    edited[2].detail = json!({ "reason": "changed" }).to_string();
    assert!(hoso_server::audit::check_chain(&code, &edited).is_err());
    let mut dropped = events.clone();
    dropped.remove(1);
    assert!(hoso_server::audit::check_chain(&code, &dropped).is_err());
}

#[tokio::test]
async fn applicants_withdraw_with_a_request_signed_by_themselves() {
    let dir = scratch("withdraw");
    let service = Service::start(&config(&dir, None)).await;
    let signed = read("examples/forms/tp-20-ly-lich-tu-phap-so-1/signed.xml");
    let (_, submitted) = service.submit(submission(&signed), None).await;
    let code = submitted["code"].as_str().unwrap();
    let request =
        json!({ "dossier": code, "action": "withdraw", "reason": "Nộp nhầm thủ tục" }).to_string();
    let send = |body: Vec<u8>| {
        Request::post(format!("/api/v1/dossiers/{code}/actions/withdraw"))
            .header("content-type", "application/jose+json")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    // Someone else's signature: as if the dossier did not exist.
    let (status, _) = service
        .send(send(sign_json(request.as_bytes(), "organisation")))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A request for another dossier, even signed by the applicant.
    let other = json!({ "dossier": "20-261127-AAAAAAAA", "action": "withdraw" }).to_string();
    let (status, _) = service
        .send(send(sign_json(other.as_bytes(), "person-cccd")))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Unsigned.
    let (status, _) = service.send(send(request.clone().into_bytes())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The applicant's own signature.
    let (status, answer) = service
        .send(send(sign_json(request.as_bytes(), "person-cccd")))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["status"]["code"], 7);
    assert_eq!(answer["event"]["actor"], "applicant:CCCD:001203004567");
}

#[tokio::test]
async fn the_catalog_schemas_health_and_openapi_answer() {
    let dir = scratch("catalog");
    let service = Service::start(&config(&dir, None)).await;
    let (status, list) = service.get("/api/v1/procedures", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["procedures"].as_array().unwrap().len(), 31);
    let (status, one) = service
        .get("/api/v1/procedures/tnmt-05-xa-nuoc-thai", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        one["form"]["namespace"],
        "urn:hoso:form:tnmt-05-xa-nuoc-thai:1"
    );
    let (status, xsd) = service
        .get("/api/v1/procedures/tnmt-05-xa-nuoc-thai/schema.xsd", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        xsd.as_str().unwrap(),
        std::fs::read_to_string(repo().join("schemas/xsd/tnmt-05-xa-nuoc-thai.xsd")).unwrap()
    );
    let (status, schema) = service
        .get("/api/v1/procedures/tnmt-05-xa-nuoc-thai/schema.json", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(schema["$id"], "urn:hoso:form:tnmt-05-xa-nuoc-thai:1:json");
    let (status, problem) = service.get("/api/v1/procedures/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(problem["title_vi"], "Không tìm thấy thủ tục");
    for path in ["/healthz", "/readyz", "/metrics"] {
        assert_eq!(service.get(path, None).await.0, StatusCode::OK, "{path}");
    }
    // Every documented operation is mounted (a missing route would be a
    // plain 404 without a problem body, or a 405).
    let (_, doc) = service.get("/api/v1/openapi.json", None).await;
    assert_eq!(doc["openapi"], "3.1.0");
    for (method, path, _, _) in hoso_server::app::openapi::OPERATIONS {
        let concrete = path
            .replace("{id}", "tnmt-05-xa-nuoc-thai")
            .replace("{code}", "05-261127-AAAAAAAA")
            .replace("{action}", "accept");
        let request = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(&concrete)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = tower::ServiceExt::oneshot(service.router.clone(), request)
            .await
            .unwrap();
        assert_ne!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        let is_problem = response.headers().get("content-type").is_some_and(|v| {
            v.to_str().unwrap().contains("json")
                || v.to_str().unwrap().contains("text")
                || v.to_str().unwrap().contains("xml")
        });
        assert!(
            response.status() != StatusCode::NOT_FOUND || is_problem,
            "{method} {path} is not mounted"
        );
    }
}

#[tokio::test]
async fn applicants_see_their_own_dossiers_by_signing_the_request() {
    let dir = scratch("mine");
    let service = Service::start(&config(&dir, None)).await;
    // Two dossiers signed by the citizen (CCCD), one by the organisation.
    let mut mine = Vec::new();
    for id in ["tp-20-ly-lich-tu-phap-so-1", "tp-21-ly-lich-tu-phap-so-2"] {
        let (_, answer) = service
            .submit(
                submission(&read(&format!("examples/forms/{id}/signed.xml"))),
                None,
            )
            .await;
        mine.push(answer["code"].as_str().unwrap().to_owned());
    }
    let (_, theirs) = service
        .submit(
            submission(&read(
                "examples/forms/tnmt-02-khai-thac-nuoc-duoi-dat/signed.xml",
            )),
            None,
        )
        .await;
    let header = |action: &str, signer: &str, at: hoso_pki::Timestamp| {
        let payload = json!({ "action": action, "at": at.to_string() }).to_string();
        String::from_utf8(sign_json(payload.as_bytes(), signer)).unwrap()
    };
    let get = |uri: String, value: String| {
        Request::get(uri)
            .header("x-applicant-signature", value)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let now = hoso_pki::Timestamp::now();
    let (status, list) = service
        .send(get(
            "/api/v1/dossiers".into(),
            header("list", "person-cccd", now),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["applicant"], "CCCD:001203004567");
    let mut codes: Vec<String> = list["dossiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    codes.sort();
    mine.sort();
    assert_eq!(codes, mine);
    // Their own dossier without the secret; not someone else's.
    let (status, _) = service
        .send(get(
            format!("/api/v1/dossiers/{}", mine[0]),
            header("lookup", "person-cccd", now),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let other = theirs["code"].as_str().unwrap();
    let (status, _) = service
        .send(get(
            format!("/api/v1/dossiers/{other}"),
            header("lookup", "person-cccd", now),
        ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A stale header, one for another action, and a forged one.
    let stale = now.plus_seconds(-600);
    for value in [
        header("list", "person-cccd", stale),
        header("lookup", "person-cccd", now),
        r#"{"payload":"e30","signature":"x"}"#.to_owned(),
    ] {
        let (status, _) = service.send(get("/api/v1/dossiers".into(), value)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = service.get("/api/v1/dossiers", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn roles_limit_what_officers_may_do() {
    let dir = scratch("roles");
    let service = Service::start(&config(&dir, None)).await;
    let (_, tp) = service
        .submit(
            submission(&read(
                "examples/forms/tp-20-ly-lich-tu-phap-so-1/signed.xml",
            )),
            None,
        )
        .await;
    let tp = tp["code"].as_str().unwrap();
    // A viewer reads but cannot act.
    let viewer = "token-so-tp-viewer-TEST";
    let (status, _) = service
        .get(&format!("/api/v1/dossiers/{tp}"), Some(viewer))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = service
        .post_json(
            &format!("/api/v1/dossiers/{tp}/actions/accept"),
            Some(viewer),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    // The reception desk accepts, but does not approve.
    let (_, tnmt) = service
        .submit(
            submission(&read(
                "examples/forms/tnmt-02-khai-thac-nuoc-duoi-dat/signed.xml",
            )),
            None,
        )
        .await;
    let tnmt = tnmt["code"].as_str().unwrap();
    let (status, _) = act(&service, tnmt, "accept", Some("so-tnmt"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = act(&service, tnmt, "process", Some("so-tnmt"), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let events = service.app.store().events(tnmt).await.unwrap();
    assert_eq!(events.len(), 2, "a refused action changes nothing");
}

#[tokio::test]
async fn a_supplement_request_is_answered_with_a_signed_supplement() {
    let dir = scratch("supplement");
    let service = Service::start(&config(&dir, None)).await;
    let signed = read("examples/forms/tp-20-ly-lich-tu-phap-so-1/signed.xml");
    let (_, submitted) = service.submit(submission(&signed), None).await;
    let code = submitted["code"].as_str().unwrap();
    let (status, _) = act(&service, code, "accept", Some("so-tp"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, answer) = act(
        &service,
        code,
        "request-supplement",
        Some("so-tp"),
        json!({ "reason": "Bổ sung bản sao giấy khai sinh" }),
    )
    .await;
    assert_eq!(
        (status, answer["status"]["code"].as_i64()),
        (StatusCode::OK, Some(5))
    );
    // An officer cannot answer in the applicant's place.
    let (status, _) = act(&service, code, "supplement", Some("so-tp"), json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let supplement = json!({
        "dossier": code,
        "action": "supplement",
        "reason": "Đã bổ sung bản sao giấy khai sinh có chứng thực",
    })
    .to_string();
    let (status, answer) = service
        .send(
            Request::post(format!("/api/v1/dossiers/{code}/actions/supplement"))
                .header("content-type", "application/jose+json")
                .body(axum::body::Body::from(sign_json(
                    supplement.as_bytes(),
                    "person-cccd",
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["status"]["code"], 4, "back to processing");
    let detail: serde_json::Value =
        serde_json::from_str(answer["event"]["detail"].as_str().unwrap()).unwrap();
    assert_eq!(
        detail["reason"],
        "Đã bổ sung bản sao giấy khai sinh có chứng thực"
    );
    assert_eq!(detail["request_sha256"].as_str().unwrap().len(), 64);
}

#[tokio::test]
async fn revocation_lists_refuse_revoked_signers_and_are_kept_as_evidence() {
    let dir = scratch("revocation");
    let mut cfg = config(&dir, None);
    cfg.crl_files = vec![repo().join("certs/test/crl/ca1.crl")];
    let service = Service::start(&cfg).await;
    let id = "tp-20-ly-lich-tu-phap-so-1";
    let (status, answer) = service
        .submit(
            submission(&read(&format!("examples/forms/{id}/signed.xml"))),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let code = answer["code"].as_str().unwrap();
    let evidence: serde_json::Value =
        serde_json::from_str(&service.app.store().evidence(code).await.unwrap()).unwrap();
    let data = evidence["revocation_data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{evidence}");
    assert!(
        data[0]["issuer"]
            .as_str()
            .unwrap()
            .contains("TEST Hoso Public CA 1")
    );
    assert!(!data[0]["der"].as_str().unwrap().is_empty());
    assert_eq!(evidence["revocation"], "not revoked (CRL)");

    // The same form signed with a certificate CA 1 revoked in 2025.
    let revoked = sign_xml(&read(&format!("examples/forms/{id}/valid.xml")), "revoked");
    let (status, problem) = service.submit(submission(&revoked), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["type"], "urn:hoso:problem:signature-refused");
    assert_eq!(service.count().await, 1);
}

#[tokio::test]
async fn a_json_form_signed_as_a_jws_is_accepted_like_an_xml_one() {
    let dir = scratch("jws");
    let service = Service::start(&config(&dir, None)).await;
    let id = "tp-20-ly-lich-tu-phap-so-1";
    let json = read(&format!("examples/forms/{id}/valid.json"));
    let jws = sign_json(&json, "person-cccd");
    // The same attachments as the XML example's manifest.
    let xml_signed = read(&format!("examples/forms/{id}/signed.xml"));
    let parts: Vec<(String, Vec<u8>)> = manifest(&xml_signed)
        .into_iter()
        .map(|(field, _)| (field, read("examples/forms/attachments/so-do-vi-tri.pdf")))
        .collect();
    let (status, answer) = service
        .submit(multipart(&jws, "application/jose+json", &parts), None)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let code = answer["code"].as_str().unwrap();
    let (media, document, signed) = service.app.store().document(code).await.unwrap();
    assert_eq!(media, "application/jose+json");
    assert_eq!(document, jws, "the JWS is kept as received");
    assert_eq!(signed, json, "what was signed is the JSON form");
    // A JWS over an invalid form is refused with the form's errors.
    let invalid = sign_json(
        &read(&format!("examples/forms/{id}/invalid.json")),
        "person-cccd",
    );
    let (status, problem) = service
        .submit(multipart(&invalid, "application/jose+json", &parts), None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["type"], "urn:hoso:problem:form-invalid");
}
