//! The storage suite, run against SQLite and against PostgreSQL (the
//! server at 127.0.0.1:5432; a fresh database per test). In CI
//! (`CI=true`) an unreachable PostgreSQL fails the tests instead of
//! skipping them.

use std::sync::atomic::{AtomicUsize, Ordering};

use hoso_server::audit::check_chain;
use hoso_server::payment::{Notification, PaymentStatus};
use hoso_server::status::{Action, Status};
use hoso_server::store::{
    AttachmentRecord, NewDossier, Notified, PaymentState, ReceiptDraft, Store, StoreError,
};
use serde_json::json;

const POSTGRES_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/test";

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A fresh database URL of the dialect, or `None` to skip (PostgreSQL
/// unreachable outside CI).
async fn fresh(dialect: &str) -> Option<String> {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    match dialect {
        "sqlite" => {
            let dir =
                std::env::temp_dir().join(format!("hoso-store-suite-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Some(format!("sqlite:{}", dir.join("hoso.db").display()))
        }
        _ => {
            sqlx::any::install_default_drivers();
            let admin = match sqlx::AnyPool::connect(POSTGRES_ADMIN).await {
                Ok(pool) => pool,
                Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
                    panic!("PostgreSQL at {POSTGRES_ADMIN} is required in CI: {e}")
                }
                Err(e) => {
                    eprintln!("skipping: PostgreSQL at {POSTGRES_ADMIN} is unreachable: {e}");
                    return None;
                }
            };
            let name = format!("hoso_suite_{}_{n}", std::process::id());
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&admin)
                .await
                .unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin)
                .await
                .unwrap();
            admin.close().await;
            Some(format!("postgres://postgres@127.0.0.1:5432/{name}"))
        }
    }
}

/// Drops a test database, closing what still uses it.
async fn drop_database(url: &str) {
    let name = url.rsplit('/').next().unwrap();
    let admin = sqlx::AnyPool::connect(POSTGRES_ADMIN).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
}

fn dossier(n: usize) -> NewDossier {
    NewDossier {
        procedure: "tp-20-ly-lich-tu-phap-so-1".into(),
        procedure_number: 20,
        agency: "so-tp".into(),
        applicant_key: "CCCD:001203004567".into(),
        applicant_name: "NGUYỄN THỊ MINH KHAI".into(),
        received_at: 1_795_000_000 + n as i64,
        appointment: "2026-12-04".into(),
        media_type: "application/xml".into(),
        document: format!("<signed n='{n}'/>").into_bytes(),
        signed_content: format!("<form n='{n}'/>").into_bytes(),
        evidence: json!({ "signer": "TEST" }).to_string(),
        attachments: vec![AttachmentRecord {
            field: "identityCopy".into(),
            file_name: "ban-sao.pdf".into(),
            media_type: "application/pdf".into(),
            size: 606,
            sha256: "a7395d241771ab99857cb50261ce2774855ccdb886b803ff0350a802578b7211".into(),
        }],
        secret_hash: vec![n as u8; 32],
        idempotency: None,
        code: hoso_server::codes::new_code(20, "2026-11-27"),
        fee: String::new(),
    }
}

macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test] async fn $name() { if let Some(url) = super::fresh("sqlite").await { super::$name(&url).await } } )*
        }
        mod postgres {
            $( #[tokio::test] async fn $name() {
                if let Some(url) = super::fresh("postgres").await {
                    super::$name(&url).await;
                    super::drop_database(&url).await;
                }
            } )*
        }
    };
}

suite!(
    stores_and_reads_back_everything,
    idempotent_retries_and_conflicts,
    concurrent_submissions_all_commit_with_unique_codes,
    transitions_follow_the_rules_and_chain_the_audit,
    concurrent_transitions_apply_once,
    data_survives_reopening_and_schemas_are_checked,
    two_instances_share_one_database,
    payments_are_recorded_once_and_never_lost,
);

async fn stores_and_reads_back_everything(url: &str) {
    let store = Store::open(url).await.unwrap();
    store.ping().await.unwrap();
    let new = dossier(1);
    let submitted = store.submit(new.clone()).await.unwrap();
    assert!(!submitted.replayed);
    let code = submitted.dossier.code.clone();
    let d = store.dossier(&code).await.unwrap();
    assert_eq!(d, submitted.dossier);
    assert_eq!(d.status, Status::Registered);
    assert_eq!(d.secret_hash, new.secret_hash);
    let (media, document, signed) = store.document(&code).await.unwrap();
    assert_eq!(
        (media.as_str(), document, signed),
        ("application/xml", new.document, new.signed_content)
    );
    assert_eq!(store.evidence(&code).await.unwrap(), new.evidence);
    assert_eq!(store.attachments(&code).await.unwrap(), new.attachments);
    let events = store.events(&code).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "submit");
    check_chain(&code, &events).unwrap();
    assert!(matches!(
        store.dossier("20-261127-ZZZZZZZZ").await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store
            .by_applicant("CCCD:001203004567", 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(store.list("so-tnmt", None, 10, 0).await.unwrap().is_empty());
}

async fn idempotent_retries_and_conflicts(url: &str) {
    let store = Store::open(url).await.unwrap();
    let mut first = dossier(2);
    first.idempotency = Some(("key-1".into(), vec![1; 32]));
    let a = store.submit(first.clone()).await.unwrap();
    let mut retry = dossier(3);
    retry.idempotency = Some(("key-1".into(), vec![1; 32]));
    let b = store.submit(retry).await.unwrap();
    assert!(b.replayed);
    assert_eq!(b.dossier.code, a.dossier.code);
    let mut other = dossier(4);
    other.idempotency = Some(("key-1".into(), vec![2; 32]));
    assert!(matches!(
        store.submit(other).await,
        Err(StoreError::IdempotencyConflict)
    ));
    assert_eq!(store.list("so-tp", None, 100, 0).await.unwrap().len(), 1);
}

async fn concurrent_submissions_all_commit_with_unique_codes(url: &str) {
    let store = Store::open(url).await.unwrap();
    let mut tasks = Vec::new();
    for n in 0..200 {
        let store = store.clone();
        let mut d = dossier(100 + n);
        // Every fourth submission reuses a code: the store must draw another.
        if n % 4 == 0 {
            d.code = "20-261127-AAAAAAAA".into();
        }
        // Pairs share an idempotency key: one dossier per pair.
        if n >= 100 {
            d.idempotency = Some((format!("pair-{}", n / 2), vec![(n / 2) as u8; 32]));
        }
        tasks.push(tokio::spawn(async move { store.submit(d).await }));
    }
    let mut codes = std::collections::BTreeSet::new();
    let mut replayed = 0;
    for t in tasks {
        let s = t.await.unwrap().unwrap();
        replayed += usize::from(s.replayed);
        codes.insert(s.dossier.code);
    }
    assert_eq!(replayed, 50);
    assert_eq!(codes.len(), 150);
    assert_eq!(store.list("so-tp", None, 1000, 0).await.unwrap().len(), 150);
}

async fn transitions_follow_the_rules_and_chain_the_audit(url: &str) {
    let store = Store::open(url).await.unwrap();
    let code = store.submit(dossier(5)).await.unwrap().dossier.code;
    let at = 1_795_000_100;
    let err = store
        .apply(&code, Action::Approve, "officer:so-tp/a", &json!({}), at)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Transition {
                action: "approve",
                from: 1
            }
        ),
        "{err}"
    );
    store
        .apply(&code, Action::Accept, "officer:so-tp/a", &json!({}), at)
        .await
        .unwrap();
    store
        .apply(
            &code,
            Action::Process,
            "officer:so-tp/a",
            &json!({}),
            at + 1,
        )
        .await
        .unwrap();
    let (d, _) = store
        .apply(
            &code,
            Action::Forward,
            "officer:so-tp/a",
            &json!({ "agency": "cong-an-tinh" }),
            at + 2,
        )
        .await
        .unwrap();
    assert_eq!(d.co_agencies, ["cong-an-tinh"]);
    assert_eq!(
        store.list("cong-an-tinh", None, 10, 0).await.unwrap().len(),
        1
    );
    assert_eq!(
        store
            .list("so-tp", Some(Status::Processing), 10, 0)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .list("so-tp", Some(Status::Registered), 10, 0)
            .await
            .unwrap()
            .is_empty()
    );
    let (d, event) = store
        .apply(
            &code,
            Action::Withdraw,
            "applicant:CCCD:001203004567",
            &json!({}),
            at + 3,
        )
        .await
        .unwrap();
    assert_eq!((d.status, event.seq), (Status::Withdrawn, 5));
    assert!(
        store
            .apply(
                &code,
                Action::Process,
                "officer:so-tp/a",
                &json!({}),
                at + 4
            )
            .await
            .is_err()
    );
    let events = store.events(&code).await.unwrap();
    assert_eq!(events.len(), 5);
    check_chain(&code, &events).unwrap();
}

async fn concurrent_transitions_apply_once(url: &str) {
    let store = Store::open(url).await.unwrap();
    let code = store.submit(dossier(6)).await.unwrap().dossier.code;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        let code = code.clone();
        tasks.push(tokio::spawn(async move {
            store
                .apply(
                    &code,
                    Action::Accept,
                    &format!("officer:so-tp/{i}"),
                    &json!({}),
                    1_795_000_200,
                )
                .await
        }));
    }
    let mut applied = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => applied += 1,
            Err(StoreError::Transition { .. } | StoreError::Conflict) => {}
            // SQLite may report the write lock as busy to a loser.
            Err(StoreError::Database(_)) => {}
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(applied, 1);
    let events = store.events(&code).await.unwrap();
    assert_eq!(events.len(), 2);
    check_chain(&code, &events).unwrap();
}

async fn data_survives_reopening_and_schemas_are_checked(url: &str) {
    let code = {
        let store = Store::open(url).await.unwrap();
        store.submit(dossier(7)).await.unwrap().dossier.code
    };
    let store = Store::open(url).await.unwrap();
    assert_eq!(store.dossier(&code).await.unwrap().code, code);
    // A schema from the future is refused, not overwritten.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    sqlx::query("INSERT INTO schema_version (version) VALUES (99)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert!(matches!(
        Store::open(url).await,
        Err(StoreError::SchemaTooNew { found: 99, .. })
    ));
}

/// Two stores on one database (two service instances): both write, neither
/// loses or duplicates, and a key used on one is a replay on the other.
async fn two_instances_share_one_database(url: &str) {
    let (a, b) = tokio::join!(Store::open(url), Store::open(url));
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut tasks = Vec::new();
    for n in 0..60 {
        let store = if n % 2 == 0 { a.clone() } else { b.clone() };
        let mut d = dossier(300 + n);
        d.idempotency = Some((format!("shared-{}", n / 2), vec![(n / 2) as u8; 32]));
        tasks.push(tokio::spawn(async move { store.submit(d).await }));
    }
    let mut codes = std::collections::BTreeSet::new();
    for t in tasks {
        codes.insert(t.await.unwrap().unwrap().dossier.code);
    }
    assert_eq!(
        codes.len(),
        30,
        "one dossier per key, whichever instance took it"
    );
    assert_eq!(a.list("so-tp", None, 1000, 0).await.unwrap().len(), 30);
    assert_eq!(b.list("so-tp", None, 1000, 0).await.unwrap().len(), 30);
}

fn paid(order: &str, transaction: &str, amount_vnd: u64) -> Notification {
    Notification {
        order: order.into(),
        transaction: transaction.into(),
        amount_vnd,
        currency: "VND".into(),
        status: PaymentStatus::Paid,
        paid_at: "2026-11-27T08:00:00Z".into(),
    }
}

fn draft(id: usize) -> ReceiptDraft {
    ReceiptDraft {
        id: format!("R{id:025}"),
        series: "SO-TP/2026".into(),
        facts: json!({ "items": [{ "name": "Lệ phí", "amount_vnd": 200_000 }] }),
    }
}

/// Orders, notifications (credited, replayed concurrently, refund due),
/// receipt numbering and the reconciliation query, on both databases.
async fn payments_are_recorded_once_and_never_lost(url: &str) {
    let store = Store::open(url).await.unwrap();
    let t = 1_795_000_300;
    let code = store.submit(dossier(9)).await.unwrap().dossier.code;
    // No order before the fee is requested.
    assert!(matches!(
        store.open_order(&code, t, 900).await,
        Err(StoreError::Transition { from: 1, .. })
    ));
    store
        .apply(&code, Action::Accept, "officer:so-tp/a", &json!({}), t)
        .await
        .unwrap();
    let (d, _) = store
        .apply(
            &code,
            Action::RequestPayment,
            "officer:so-tp/a",
            &json!({ "amount_vnd": 200_000 }),
            t,
        )
        .await
        .unwrap();
    assert_eq!(
        (d.status, d.fee_due),
        (Status::FinancialObligation, 200_000)
    );
    let first = store.open_order(&code, t, 900).await.unwrap();
    let second = store.open_order(&code, t + 1, 900).await.unwrap();
    assert_eq!(
        (
            first.order.as_str(),
            second.order.as_str(),
            first.amount_vnd
        ),
        (
            format!("{code}-1").as_str(),
            format!("{code}-2").as_str(),
            200_000
        )
    );

    // The same transaction delivered eight times at once: one credit.
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        let order = first.order.clone();
        tasks.push(tokio::spawn(async move {
            store
                .record_notification(
                    "sandbox",
                    &paid(&order, "TXN-1", 200_000),
                    t + 10,
                    "2026-11-27",
                    draft(i),
                )
                .await
        }));
    }
    let mut credited = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(Notified::Credited { dossier, payment }) => {
                credited += 1;
                assert_eq!(dossier.status, Status::Processing);
                assert_eq!(dossier.fee_due, 0);
                assert_eq!(payment.state, PaymentState::Credited);
            }
            Ok(Notified::Replayed(p)) => assert_eq!(p.state, PaymentState::Credited),
            // SQLite may report the write lock as busy to a loser; the
            // gateway retries, and a retry is a replay.
            Err(StoreError::Database(_)) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(credited, 1);
    // The second order paid too: kept for refund, flagged.
    let outcome = store
        .record_notification(
            "sandbox",
            &paid(&second.order, "TXN-2", 200_000),
            t + 20,
            "2026-11-27",
            draft(20),
        )
        .await
        .unwrap();
    match outcome {
        Notified::Recorded(p) => assert_eq!(
            (p.state, p.flag.as_str()),
            (PaymentState::RefundDue, "already_paid")
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store
            .record_notification(
                "sandbox",
                &paid("20-000000-NOORDER1-1", "TXN-3", 1),
                t,
                "2026-11-27",
                draft(30)
            )
            .await
            .unwrap(),
        Notified::UnknownOrder
    );

    // One receipt, numbered 1 in its series; the next dossier's is 2.
    let listed = store.payments("so-tp", "2026-11-27", None).await.unwrap();
    assert_eq!(listed.len(), 2);
    let receipt_id = listed[0].receipt.clone().unwrap();
    let receipt = store.receipt(&receipt_id).await.unwrap().unwrap();
    assert_eq!(
        (receipt.number, receipt.facts["number"].as_str()),
        (1, Some("0000001"))
    );
    assert_eq!(receipt.pdf, None);
    store
        .keep_receipt_pdf(&receipt_id, b"%PDF-first")
        .await
        .unwrap();
    store
        .keep_receipt_pdf(&receipt_id, b"%PDF-second")
        .await
        .unwrap();
    assert_eq!(
        store
            .receipt(&receipt_id)
            .await
            .unwrap()
            .unwrap()
            .pdf
            .as_deref(),
        Some(&b"%PDF-first"[..])
    );
    let other = store.submit(dossier(10)).await.unwrap().dossier.code;
    store
        .apply(&other, Action::Accept, "o", &json!({}), t)
        .await
        .unwrap();
    store
        .apply(
            &other,
            Action::RequestPayment,
            "o",
            &json!({ "amount_vnd": 200_000 }),
            t,
        )
        .await
        .unwrap();
    let order = store.open_order(&other, t, 900).await.unwrap();
    let Notified::Credited { payment, .. } = store
        .record_notification(
            "sandbox",
            &paid(&order.order, "TXN-4", 200_000),
            t,
            "2026-11-28",
            draft(40),
        )
        .await
        .unwrap()
    else {
        panic!("not credited");
    };
    let next = store
        .receipt(payment.receipt.as_deref().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.number, 2);

    // Reconciliation by day and state.
    let refunds = store
        .payments("so-tp", "2026-11-27", Some(PaymentState::RefundDue))
        .await
        .unwrap();
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].transaction, "TXN-2");
    assert_eq!(
        store.payments("so-tnmt", "2026-11-27", None).await.unwrap(),
        []
    );
    assert_eq!(
        store
            .payments("so-tp", "2026-11-28", None)
            .await
            .unwrap()
            .len(),
        1
    );
    for code in [&code, &other] {
        check_chain(code, &store.events(code).await.unwrap()).unwrap();
    }
}
