//! Storage of dossiers, their attachments' manifests, evidence and audit
//! chains, on SQLite (the embedded default) or PostgreSQL (for scale;
//! several instances may share one database), behind one interface.
//!
//! Both run the same queries through sqlx's `Any` driver; only the schema
//! (types and identity columns) differs per dialect. Submissions go through
//! one writer task per process that commits them in groups: every
//! submission is acknowledged only after the transaction holding it has
//! committed (SQLite: WAL with `synchronous=FULL`; PostgreSQL: its default
//! synchronous commit), and a group shares one commit's flush.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use tokio::sync::{Mutex, mpsc, oneshot};

use crate::audit::{Event, GENESIS, event_hash};
use crate::status::{Action, Status};

mod payments;

pub use payments::{
    Notified, OrderRecord, PaymentRecord, PaymentState, ReceiptDraft, ReceiptRecord,
};

/// The most submissions committed in one transaction.
pub const MAX_GROUP: usize = 64;

/// Which database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite, one file.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database URL is neither `sqlite:` nor `postgres:`.
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://...")]
    Url(String),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema in the database is newer than this program.
    #[error("the database schema is version {found}; this program knows up to {known}")]
    SchemaTooNew {
        /// The version found.
        found: i64,
        /// The newest version known.
        known: i64,
    },
    /// No dossier has this code.
    #[error("no dossier {0}")]
    NotFound(String),
    /// The idempotency key was used before with another body.
    #[error("the idempotency key was used with another request")]
    IdempotencyConflict,
    /// The dossier is not in a status the action applies to.
    #[error("{action} is not allowed in status {from}")]
    Transition {
        /// The action's name.
        action: &'static str,
        /// The current status code.
        from: i64,
    },
    /// The dossier changed between reading and writing it.
    #[error("the dossier changed meanwhile; retry")]
    Conflict,
    /// The writer task has stopped (the server is shutting down).
    #[error("the store is shutting down")]
    Closed,
}

/// An attachment listed in a form's manifest and received with it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AttachmentRecord {
    /// The manifest field naming it (`attachments.siteMap`).
    pub field: String,
    /// The file name declared.
    pub file_name: String,
    /// The media type declared.
    pub media_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256, lower-case hex; the file is stored under this name.
    pub sha256: String,
}

/// A dossier to store.
#[derive(Debug, Clone)]
pub struct NewDossier {
    /// The catalog id of the procedure.
    pub procedure: String,
    /// The catalog number of the procedure (part of the code).
    pub procedure_number: u8,
    /// The agency it is routed to.
    pub agency: String,
    /// The signer's identity, as `CCCD:…`, `MST:…` (whose dossier it is).
    pub applicant_key: String,
    /// The applicant's name as the form gives it.
    pub applicant_name: String,
    /// When it was received, Unix seconds.
    pub received_at: i64,
    /// The appointment date, `YYYY-MM-DD`.
    pub appointment: String,
    /// `application/xml` or `application/jose+json`.
    pub media_type: String,
    /// The signed document exactly as received.
    pub document: Vec<u8>,
    /// What the signature covers, from which the form was validated.
    pub signed_content: Vec<u8>,
    /// Verification evidence: certificates, revocation data, report (JSON).
    pub evidence: String,
    /// The attachments received.
    pub attachments: Vec<AttachmentRecord>,
    /// SHA-256 of the lookup secret.
    pub secret_hash: Vec<u8>,
    /// The idempotency key and the SHA-256 of the request body.
    pub idempotency: Option<(String, Vec<u8>)>,
    /// The code to use; when it is taken, a fresh one is drawn.
    pub code: String,
    /// The fee assessed from the form (JSON), kept for the obligation.
    pub fee: String,
}

/// A stored dossier, without its document bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Dossier {
    /// The dossier code.
    pub code: String,
    /// The catalog id of the procedure.
    pub procedure: String,
    /// The agency it is routed to.
    pub agency: String,
    /// Agencies it was forwarded to for their opinion.
    pub co_agencies: Vec<String>,
    /// The signer's identity.
    pub applicant_key: String,
    /// The applicant's name.
    pub applicant_name: String,
    /// The current status.
    pub status: Status,
    /// When it was received, Unix seconds.
    pub received_at: i64,
    /// The appointment date.
    pub appointment: String,
    /// The signed document's media type.
    #[serde(skip)]
    pub media_type: String,
    /// SHA-256 of the lookup secret.
    #[serde(skip)]
    pub secret_hash: Vec<u8>,
    /// The amount of the open financial obligation, in đồng (0: none).
    pub fee_due: i64,
}

/// The signed result of a dossier, returned to the applicant online.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultDocument {
    /// `application/xml` or `application/jose+json`.
    pub media_type: String,
    /// The signed document as the agency gave it.
    pub document: Vec<u8>,
    /// Who signed it (the certificate's subject).
    pub signer: String,
}

/// What a submission gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// The dossier as stored.
    pub dossier: Dossier,
    /// Whether it was stored by an earlier request with the same
    /// idempotency key and body (the lookup secret is then not known).
    pub replayed: bool,
}

/// The dossier store.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
    writer: mpsc::Sender<(NewDossier, oneshot::Sender<Result<Submitted, StoreError>>)>,
}

/// One schema version.
enum Migration {
    /// The same schema for both: written for SQLite, translated by
    /// [`postgres_ddl`], so that the dialects cannot drift apart.
    Portable(&'static str),
    /// A change that only makes sense written per dialect.
    PerDialect {
        sqlite: &'static str,
        postgres: &'static str,
    },
}

/// SQLite DDL as PostgreSQL writes it: identity columns and byte strings
/// are the only differences the schema meets.
fn postgres_ddl(sqlite: &str) -> String {
    sqlite
        .replace(
            "INTEGER PRIMARY KEY AUTOINCREMENT",
            "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        )
        .replace(" BLOB", " BYTEA")
}

/// The schema, one entry per version, applied in order.
const MIGRATIONS: &[Migration] = &[
    Migration::Portable(
        "CREATE TABLE dossiers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        code TEXT NOT NULL UNIQUE,
        secret_hash BLOB NOT NULL,
        procedure TEXT NOT NULL,
        agency TEXT NOT NULL,
        co_agencies TEXT NOT NULL DEFAULT '',
        applicant_key TEXT NOT NULL,
        applicant_name TEXT NOT NULL,
        status BIGINT NOT NULL,
        received_at BIGINT NOT NULL,
        appointment TEXT NOT NULL,
        media_type TEXT NOT NULL,
        document BLOB NOT NULL,
        signed_content BLOB NOT NULL,
        evidence TEXT NOT NULL,
        version BIGINT NOT NULL DEFAULT 1
    );
    CREATE INDEX dossiers_agency ON dossiers (agency, status);
    CREATE INDEX dossiers_applicant ON dossiers (applicant_key);
    CREATE TABLE attachments (
        dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
        field TEXT NOT NULL,
        file_name TEXT NOT NULL,
        media_type TEXT NOT NULL,
        size BIGINT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (dossier_id, field)
    );
    CREATE TABLE events (
        dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
        seq BIGINT NOT NULL,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        status_from BIGINT,
        status_to BIGINT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (dossier_id, seq)
    );
    CREATE TABLE idempotency (
        key TEXT PRIMARY KEY,
        body_sha256 BLOB NOT NULL,
        dossier_id BIGINT NOT NULL REFERENCES dossiers (id)
    );",
    ),
    Migration::Portable(
        "CREATE TABLE results (
            dossier_id BIGINT PRIMARY KEY REFERENCES dossiers (id),
            media_type TEXT NOT NULL,
            document BLOB NOT NULL,
            signer TEXT NOT NULL
        )",
    ),
    Migration::PerDialect {
        // SQLite stores values as they are.
        sqlite: "SELECT 1",
        // PostgreSQL: keep large values out of line uncompressed. Signed
        // documents and evidence are written once and seldom read;
        // compressing them took most of the database's CPU under load
        // (1,322 durable submissions/s with compression, 1,678–1,977
        // without, same machine and load; BENCHMARKS.md).
        postgres: "ALTER TABLE dossiers ALTER COLUMN document SET STORAGE EXTERNAL;
        ALTER TABLE dossiers ALTER COLUMN signed_content SET STORAGE EXTERNAL;
        ALTER TABLE dossiers ALTER COLUMN evidence SET STORAGE EXTERNAL",
    },
    // Level 4: fees, payments and receipts.
    Migration::Portable(
        "ALTER TABLE dossiers ADD COLUMN fee TEXT NOT NULL DEFAULT '';
        ALTER TABLE dossiers ADD COLUMN fee_due BIGINT NOT NULL DEFAULT 0;
        CREATE TABLE payment_orders (
            order_id TEXT PRIMARY KEY,
            dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
            amount_vnd BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL
        );
        CREATE TABLE receipts (
            id TEXT PRIMARY KEY,
            dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
            series TEXT NOT NULL,
            number BIGINT NOT NULL,
            facts TEXT NOT NULL,
            issued_at BIGINT NOT NULL,
            pdf BLOB,
            UNIQUE (series, number)
        );
        CREATE TABLE receipt_series (series TEXT PRIMARY KEY, last BIGINT NOT NULL);
        CREATE TABLE payments (
            provider TEXT NOT NULL,
            transaction_id TEXT NOT NULL,
            order_id TEXT NOT NULL REFERENCES payment_orders (order_id),
            dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
            amount_vnd BIGINT NOT NULL,
            outcome TEXT NOT NULL,
            state TEXT NOT NULL,
            flag TEXT NOT NULL,
            paid_at TEXT NOT NULL,
            received_at BIGINT NOT NULL,
            day TEXT NOT NULL,
            receipt_id TEXT REFERENCES receipts (id),
            PRIMARY KEY (provider, transaction_id)
        );
        CREATE INDEX payments_day ON payments (day, state)",
    ),
];

const DOSSIER_COLUMNS: &str = "id, code, procedure, agency, co_agencies, applicant_key, applicant_name, status, \
     received_at, appointment, media_type, secret_hash, fee_due";

fn dossier_of(row: &AnyRow) -> Result<(i64, Dossier), sqlx::Error> {
    let status: i64 = row.try_get("status")?;
    let co: String = row.try_get("co_agencies")?;
    Ok((
        row.try_get("id")?,
        Dossier {
            code: row.try_get("code")?,
            procedure: row.try_get("procedure")?,
            agency: row.try_get("agency")?,
            co_agencies: co
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            applicant_key: row.try_get("applicant_key")?,
            applicant_name: row.try_get("applicant_name")?,
            status: Status::from_code(status).unwrap_or(Status::Registered),
            received_at: row.try_get("received_at")?,
            appointment: row.try_get("appointment")?,
            media_type: row.try_get("media_type")?,
            secret_hash: row.try_get("secret_hash")?,
            fee_due: row.try_get("fee_due")?,
        },
    ))
}

fn event_of(row: &AnyRow) -> Result<Event, sqlx::Error> {
    Ok(Event {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        status_from: row.try_get("status_from")?,
        status_to: row.try_get("status_to")?,
        detail: row.try_get("detail")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

impl Store {
    /// Opens (creating when missing) the database at `url`:
    /// `sqlite:PATH` or `postgres://...`, and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Dialect::Postgres
        } else {
            return Err(StoreError::Url(url.to_owned()));
        };
        let url = match dialect {
            // Create the file when missing.
            Dialect::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match dialect {
                Dialect::Sqlite => 4,
                Dialect::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        // Durable on commit; readers never block the writer.
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA synchronous = FULL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout = 10000")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        migrate(&pool, dialect).await?;
        let (writer, queue) = mpsc::channel(4 * MAX_GROUP);
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..writers(dialect) {
            tokio::spawn(write_groups(pool.clone(), dialect, queue.clone()));
        }
        Ok(Store {
            pool,
            dialect,
            writer,
        })
    }

    /// Which database this is.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await?;
        Ok(())
    }

    /// Stores a new dossier with its first audit event, durably, and returns
    /// it once committed. With an idempotency key seen before, returns the
    /// dossier stored then (same body) or refuses (other body).
    pub async fn submit(&self, dossier: NewDossier) -> Result<Submitted, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.writer
            .send((dossier, reply))
            .await
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// The dossier with this code.
    pub async fn dossier(&self, code: &str) -> Result<Dossier, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE code = $1"
        ))
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(code.to_owned()))?;
        Ok(dossier_of(&row)?.1)
    }

    /// The signed document as received, and what its signature covers.
    pub async fn document(&self, code: &str) -> Result<(String, Vec<u8>, Vec<u8>), StoreError> {
        let row = sqlx::query(
            "SELECT media_type, document, signed_content FROM dossiers WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(code.to_owned()))?;
        Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?))
    }

    /// The verification evidence stored with the dossier (JSON).
    pub async fn evidence(&self, code: &str) -> Result<String, StoreError> {
        let row = sqlx::query("SELECT evidence FROM dossiers WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(code.to_owned()))?;
        Ok(row.try_get(0)?)
    }

    /// The attachments of a dossier, by manifest field.
    pub async fn attachments(&self, code: &str) -> Result<Vec<AttachmentRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.field, a.file_name, a.media_type, a.size, a.sha256 FROM attachments a \
             JOIN dossiers d ON d.id = a.dossier_id WHERE d.code = $1 ORDER BY a.field",
        )
        .bind(code)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AttachmentRecord {
                    field: r.try_get(0)?,
                    file_name: r.try_get(1)?,
                    media_type: r.try_get(2)?,
                    size: r.try_get(3)?,
                    sha256: r.try_get(4)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The audit chain of a dossier, oldest first.
    pub async fn events(&self, code: &str) -> Result<Vec<Event>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.seq, e.at, e.actor, e.action, e.status_from, e.status_to, e.detail, e.prev_hash, e.hash \
             FROM events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = $1 ORDER BY e.seq",
        )
        .bind(code)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(event_of)
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)
    }

    /// Dossiers an agency sees (routed to it or forwarded to it), newest
    /// first, optionally of one status.
    pub async fn list(
        &self,
        agency: &str,
        status: Option<Status>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Dossier>, StoreError> {
        // Forwarded agencies are kept as ",a,b," so that one LIKE finds them.
        let pattern = format!("%,{agency},%");
        let rows = sqlx::query(&format!(
            "SELECT {DOSSIER_COLUMNS} FROM dossiers \
             WHERE (agency = $1 OR co_agencies LIKE $2) AND ($3 = 0 OR status = $3) \
             ORDER BY id DESC LIMIT $4 OFFSET $5"
        ))
        .bind(agency)
        .bind(pattern)
        .bind(status.map_or(0, Status::code))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| dossier_of(r).map(|(_, d)| d))
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)
    }

    /// Dossiers signed by this identity, newest first.
    pub async fn by_applicant(
        &self,
        applicant_key: &str,
        limit: i64,
    ) -> Result<Vec<Dossier>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE applicant_key = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(applicant_key)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| dossier_of(r).map(|(_, d)| d))
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)
    }

    /// Applies an action: checks it is allowed in the current status, moves
    /// the dossier, and appends the audit event, in one transaction. The
    /// update only succeeds if nobody changed the dossier since it was read.
    pub async fn apply(
        &self,
        code: &str,
        action: Action,
        actor: &str,
        detail: &serde_json::Value,
        at: i64,
    ) -> Result<(Dossier, Event), StoreError> {
        self.apply_with(code, action, actor, detail, at, None).await
    }

    /// [`Store::apply`], also keeping the signed result document returned
    /// to the applicant, in the same transaction.
    pub async fn apply_with(
        &self,
        code: &str,
        action: Action,
        actor: &str,
        detail: &serde_json::Value,
        at: i64,
        result: Option<&ResultDocument>,
    ) -> Result<(Dossier, Event), StoreError> {
        let mut tx = begin_write(&self.pool, self.dialect).await?;
        let done = apply_in(&mut tx, code, action, actor, detail, at, result).await;
        finish(tx, done).await
    }

    /// The signed result returned with the dossier, if any.
    pub async fn result(&self, code: &str) -> Result<Option<ResultDocument>, StoreError> {
        let row = sqlx::query(
            "SELECT r.media_type, r.document, r.signer FROM results r JOIN dossiers d ON d.id = r.dossier_id \
             WHERE d.code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ResultDocument {
                media_type: r.try_get(0)?,
                document: r.try_get(1)?,
                signer: r.try_get(2)?,
            })
        })
        .transpose()
        .map_err(|e: sqlx::Error| StoreError::from(e))
    }
}

/// The body of [`Store::apply_with`], inside its transaction.
async fn apply_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    code: &str,
    action: Action,
    actor: &str,
    detail: &serde_json::Value,
    at: i64,
    result: Option<&ResultDocument>,
) -> Result<(Dossier, Event), StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {DOSSIER_COLUMNS}, version FROM dossiers WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::NotFound(code.to_owned()))?;
    let (id, mut dossier) = dossier_of(&row)?;
    let version: i64 = row.try_get("version")?;
    let to = action.next(dossier.status).ok_or(StoreError::Transition {
        action: action.name(),
        from: dossier.status.code(),
    })?;
    if action == Action::Forward
        && let Some(agency) = detail.get("agency").and_then(|a| a.as_str())
        && !dossier.co_agencies.iter().any(|a| a == agency)
    {
        dossier.co_agencies.push(agency.to_owned());
    }
    let co = if dossier.co_agencies.is_empty() {
        String::new()
    } else {
        format!(",{},", dossier.co_agencies.join(","))
    };
    // The open obligation: set when payment is requested, settled when it
    // is recorded.
    let fee_due = match action {
        Action::RequestPayment => detail
            .get("amount_vnd")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(0),
        Action::RecordPayment => 0,
        _ => dossier.fee_due,
    };
    let updated = sqlx::query(
        "UPDATE dossiers SET status = $1, co_agencies = $2, fee_due = $5, version = version + 1 \
             WHERE id = $3 AND version = $4",
    )
    .bind(to.code())
    .bind(co)
    .bind(id)
    .bind(version)
    .bind(fee_due)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict);
    }
    let event = append_event(
        tx,
        (id, code),
        actor,
        action.name(),
        (dossier.status, to),
        detail,
        at,
    )
    .await?;
    if let Some(r) = result {
        sqlx::query("INSERT INTO results (dossier_id, media_type, document, signer) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(&r.media_type)
                .bind(&r.document)
                .bind(&r.signer)
                .execute(&mut **tx)
                .await?;
    }
    dossier.status = to;
    dossier.fee_due = fee_due;
    Ok((dossier, event))
}

/// Begins a transaction that will write. On SQLite it takes the write lock
/// at once (`BEGIN IMMEDIATE`): a transaction that reads first and writes
/// later could otherwise fail outright when another connection writes in
/// between, instead of waiting for it.
async fn begin_write(
    pool: &AnyPool,
    dialect: Dialect,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match dialect {
        Dialect::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Dialect::Postgres => pool.begin().await,
    }
}

/// Commits on success; on failure rolls back at once, giving the write lock
/// back now rather than when the connection is next used.
async fn finish<T>(
    tx: sqlx::Transaction<'static, sqlx::Any>,
    result: Result<T, StoreError>,
) -> Result<T, StoreError> {
    match result {
        Ok(value) => {
            tx.commit().await?;
            Ok(value)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

/// The PostgreSQL advisory lock key under which instances migrate one at a
/// time ("hoso" in ASCII).
const MIGRATION_LOCK: i64 = 0x686f_736f;

async fn migrate(pool: &AnyPool, dialect: Dialect) -> Result<(), StoreError> {
    // Instances starting together take turns, from the very first
    // statement: concurrent `CREATE TABLE IF NOT EXISTS` can fail on
    // PostgreSQL. SQLite's `BEGIN IMMEDIATE` already serializes.
    let mut tx = begin_write(pool, dialect).await?;
    if dialect == Dialect::Postgres {
        sqlx::query(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
        .execute(&mut *tx)
        .await?;
    let current: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    let known = MIGRATIONS.len() as i64;
    if current > known {
        return Err(StoreError::SchemaTooNew {
            found: current,
            known,
        });
    }
    for (version, migration) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let script = match (migration, dialect) {
            (Migration::Portable(ddl), Dialect::Sqlite) => (*ddl).to_owned(),
            (Migration::Portable(ddl), Dialect::Postgres) => postgres_ddl(ddl),
            (Migration::PerDialect { sqlite, .. }, Dialect::Sqlite) => (*sqlite).to_owned(),
            (Migration::PerDialect { postgres, .. }, Dialect::Postgres) => (*postgres).to_owned(),
        };
        for statement in script.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO schema_version (version) VALUES ($1)")
            .bind(version as i64 + 1)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Appends an event to a dossier's audit chain (`dossier`: its id and
/// code), after its last one.
async fn append_event(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    (id, code): (i64, &str),
    actor: &str,
    action: &str,
    (from, to): (Status, Status),
    detail: &serde_json::Value,
    at: i64,
) -> Result<Event, StoreError> {
    let last =
        sqlx::query("SELECT seq, hash FROM events WHERE dossier_id = $1 ORDER BY seq DESC LIMIT 1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    let mut event = Event {
        seq: last.try_get::<i64, _>(0)? + 1,
        at,
        actor: actor.to_owned(),
        action: action.to_owned(),
        status_from: Some(from.code()),
        status_to: to.code(),
        detail: detail.to_string(),
        prev_hash: last.try_get(1)?,
        hash: String::new(),
    };
    event.hash = event_hash(code, &event);
    insert_event(tx, id, &event).await?;
    Ok(event)
}

async fn insert_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    dossier_id: i64,
    e: &Event,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO events (dossier_id, seq, at, actor, action, status_from, status_to, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(dossier_id)
    .bind(e.seq)
    .bind(e.at)
    .bind(&e.actor)
    .bind(&e.action)
    .bind(e.status_from)
    .bind(e.status_to)
    .bind(&e.detail)
    .bind(&e.prev_hash)
    .bind(&e.hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

type Job = (NewDossier, oneshot::Sender<Result<Submitted, StoreError>>);

/// How many writer tasks: SQLite has one writer at a time anyway;
/// PostgreSQL commits several groups side by side.
fn writers(dialect: Dialect) -> usize {
    match dialect {
        Dialect::Sqlite => 1,
        Dialect::Postgres => 6,
    }
}

/// A writer task: takes what is queued (up to `MAX_GROUP`), stores it in
/// one transaction and answers each submission after the commit. When a
/// group fails, its submissions are retried one transaction each (with a
/// fresh code if the code was taken), so that one bad submission cannot
/// sink the others.
async fn write_groups(pool: AnyPool, dialect: Dialect, queue: Arc<Mutex<mpsc::Receiver<Job>>>) {
    loop {
        let group = {
            let mut queue = queue.lock().await;
            let Some(first) = queue.recv().await else {
                return;
            };
            let mut group = vec![first];
            while group.len() < MAX_GROUP {
                match queue.try_recv() {
                    Ok(job) => group.push(job),
                    Err(_) => break,
                }
            }
            group
        };
        let dossiers: Vec<&NewDossier> = group.iter().map(|(d, _)| d).collect();
        match store_group(&pool, dialect, &dossiers).await {
            Ok(results) => {
                for ((_, reply), result) in group.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
            Err(_) => {
                for (mut dossier, reply) in group {
                    let mut outcome = Err(StoreError::Closed);
                    for _ in 0..3 {
                        outcome = match store_group(&pool, dialect, &[&dossier]).await {
                            Ok(mut results) => results.pop().unwrap_or(Err(StoreError::Closed)),
                            Err(e) => Err(e),
                        };
                        if outcome.is_ok() {
                            break;
                        }
                        dossier.code = crate::codes::reroll(&dossier.code);
                    }
                    let _ = reply.send(outcome);
                }
            }
        }
    }
}

/// `($1, $2, ...), ($n, ...)`: `rows` groups of `width` placeholders.
fn placeholders(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What becomes of one submission of a group.
enum Plan {
    /// Stored anew.
    New,
    /// The same key and body as an earlier dossier: that one.
    Replay(Box<Dossier>),
    /// The same key as a new dossier of this group (index), same body.
    ReplayOfGroup(usize),
    /// The same key with another body.
    Conflict,
}

/// Stores a group in one transaction, with a handful of statements
/// whatever its size. Per-submission outcomes that are not database
/// failures (an idempotency conflict) are in the returned list; a database
/// failure (a taken code, a key stored meanwhile by another instance)
/// fails the whole group.
async fn store_group(
    pool: &AnyPool,
    dialect: Dialect,
    group: &[&NewDossier],
) -> Result<Vec<Result<Submitted, StoreError>>, StoreError> {
    let mut tx = begin_write(pool, dialect).await?;
    let results = insert_group(&mut tx, group).await;
    finish(tx, results).await
}

async fn insert_group(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    group: &[&NewDossier],
) -> Result<Vec<Result<Submitted, StoreError>>, StoreError> {
    // Idempotency keys seen before.
    let keys: Vec<&str> = group
        .iter()
        .filter_map(|d| d.idempotency.as_ref().map(|(k, _)| k.as_str()))
        .collect();
    let mut earlier: HashMap<String, (Vec<u8>, Dossier)> = HashMap::new();
    if !keys.is_empty() {
        let columns = DOSSIER_COLUMNS
            .split(", ")
            .map(|c| format!("d.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let list = (1..=keys.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT i.key, i.body_sha256, {columns} FROM idempotency i \
             JOIN dossiers d ON d.id = i.dossier_id WHERE i.key IN ({list})"
        );
        let mut query = sqlx::query(&sql);
        for k in &keys {
            query = query.bind(*k);
        }
        for row in query.fetch_all(&mut **tx).await? {
            let key: String = row.try_get(0)?;
            let body: Vec<u8> = row.try_get(1)?;
            earlier.insert(key, (body, dossier_of(&row)?.1));
        }
    }
    let mut plans = Vec::with_capacity(group.len());
    let mut first_of_key: HashMap<&str, usize> = HashMap::new();
    for (i, d) in group.iter().enumerate() {
        let plan = match &d.idempotency {
            None => Plan::New,
            Some((key, body)) => match (earlier.get(key), first_of_key.get(key.as_str())) {
                (Some((b, dossier)), _) if b == body => Plan::Replay(Box::new(dossier.clone())),
                (Some(_), _) => Plan::Conflict,
                (None, Some(&j)) if group[j].idempotency.as_ref().map(|(_, b)| b) == Some(body) => {
                    Plan::ReplayOfGroup(j)
                }
                (None, Some(_)) => Plan::Conflict,
                (None, None) => {
                    first_of_key.insert(key, i);
                    Plan::New
                }
            },
        };
        plans.push(plan);
    }

    // The new dossiers, in one statement; their ids come back with their
    // codes (unique), whatever order the database returns them in.
    let new: Vec<&NewDossier> = group
        .iter()
        .zip(&plans)
        .filter(|(_, p)| matches!(p, Plan::New))
        .map(|(d, _)| *d)
        .collect();
    let mut ids: HashMap<String, i64> = HashMap::new();
    if !new.is_empty() {
        let sql = format!(
            "INSERT INTO dossiers (code, secret_hash, procedure, agency, applicant_key, applicant_name, status, \
             received_at, appointment, media_type, document, signed_content, evidence, fee) VALUES {} RETURNING id, code",
            placeholders(new.len(), 14)
        );
        let mut query = sqlx::query(&sql);
        for d in &new {
            query = query
                .bind(&d.code)
                .bind(&d.secret_hash)
                .bind(&d.procedure)
                .bind(&d.agency)
                .bind(&d.applicant_key)
                .bind(&d.applicant_name)
                .bind(Status::Registered.code())
                .bind(d.received_at)
                .bind(&d.appointment)
                .bind(&d.media_type)
                .bind(&d.document)
                .bind(&d.signed_content)
                .bind(&d.evidence)
                .bind(&d.fee);
        }
        for row in query.fetch_all(&mut **tx).await? {
            ids.insert(row.try_get(1)?, row.try_get(0)?);
        }
        let id_of = |d: &NewDossier| ids.get(&d.code).copied().ok_or(StoreError::Conflict);

        let mut attachments: Vec<(i64, &AttachmentRecord)> = Vec::new();
        for d in &new {
            let id = id_of(d)?;
            attachments.extend(d.attachments.iter().map(|a| (id, a)));
        }
        if !attachments.is_empty() {
            let sql = format!(
                "INSERT INTO attachments (dossier_id, field, file_name, media_type, size, sha256) VALUES {}",
                placeholders(attachments.len(), 6)
            );
            let mut query = sqlx::query(&sql);
            for (id, a) in &attachments {
                query = query
                    .bind(*id)
                    .bind(&a.field)
                    .bind(&a.file_name)
                    .bind(&a.media_type)
                    .bind(a.size)
                    .bind(&a.sha256);
            }
            query.execute(&mut **tx).await?;
        }

        let mut events = Vec::with_capacity(new.len());
        for d in &new {
            let mut event = Event {
                seq: 1,
                at: d.received_at,
                actor: format!("applicant:{}", d.applicant_key),
                action: "submit".into(),
                status_from: None,
                status_to: Status::Registered.code(),
                detail: serde_json::json!({ "procedure": d.procedure, "agency": d.agency })
                    .to_string(),
                prev_hash: GENESIS.into(),
                hash: String::new(),
            };
            event.hash = event_hash(&d.code, &event);
            events.push((id_of(d)?, event));
        }
        let sql = format!(
            "INSERT INTO events (dossier_id, seq, at, actor, action, status_from, status_to, detail, prev_hash, hash) \
             VALUES {}",
            placeholders(events.len(), 10)
        );
        let mut query = sqlx::query(&sql);
        for (id, e) in &events {
            query = query
                .bind(*id)
                .bind(e.seq)
                .bind(e.at)
                .bind(&e.actor)
                .bind(&e.action)
                .bind(e.status_from)
                .bind(e.status_to)
                .bind(&e.detail)
                .bind(&e.prev_hash)
                .bind(&e.hash);
        }
        query.execute(&mut **tx).await?;

        let mut keyed: Vec<(&str, &Vec<u8>, i64)> = Vec::new();
        for d in &new {
            if let Some((key, body)) = &d.idempotency {
                keyed.push((key, body, id_of(d)?));
            }
        }
        if !keyed.is_empty() {
            let sql = format!(
                "INSERT INTO idempotency (key, body_sha256, dossier_id) VALUES {}",
                placeholders(keyed.len(), 3)
            );
            let mut query = sqlx::query(&sql);
            for (k, b, id) in &keyed {
                query = query.bind(*k).bind(*b).bind(*id);
            }
            query.execute(&mut **tx).await?;
        }
    }
    let stored = |d: &NewDossier| Dossier {
        code: d.code.clone(),
        procedure: d.procedure.clone(),
        agency: d.agency.clone(),
        co_agencies: Vec::new(),
        applicant_key: d.applicant_key.clone(),
        applicant_name: d.applicant_name.clone(),
        status: Status::Registered,
        received_at: d.received_at,
        appointment: d.appointment.clone(),
        media_type: d.media_type.clone(),
        secret_hash: d.secret_hash.clone(),
        fee_due: 0,
    };
    Ok(group
        .iter()
        .zip(plans)
        .map(|(d, plan)| match plan {
            Plan::New => Ok(Submitted {
                dossier: stored(d),
                replayed: false,
            }),
            Plan::Replay(dossier) => Ok(Submitted {
                dossier: *dossier,
                replayed: true,
            }),
            Plan::ReplayOfGroup(j) => Ok(Submitted {
                dossier: stored(group[j]),
                replayed: true,
            }),
            Plan::Conflict => Err(StoreError::IdempotencyConflict),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_migrations_translate_to_postgresql_types() {
        for migration in MIGRATIONS {
            if let Migration::Portable(ddl) = migration {
                let postgres = postgres_ddl(ddl);
                assert!(!postgres.contains("BLOB") && !postgres.contains("AUTOINCREMENT"));
                assert_eq!(
                    postgres.matches("BYTEA").count(),
                    ddl.matches("BLOB").count()
                );
            }
        }
        assert!(
            postgres_ddl(match &MIGRATIONS[0] {
                Migration::Portable(ddl) => ddl,
                Migration::PerDialect { .. } => unreachable!("version 1 is portable"),
            })
            .contains("id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        );
    }
}
