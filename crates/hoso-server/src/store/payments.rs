//! Level 4 in the store: payment orders, the gateway's notifications and
//! the fee receipts they produce.
//!
//! A notification is recorded once per gateway transaction id (the primary
//! key), whatever happens to it: credited to the dossier's open obligation,
//! failed, or kept and flagged for refund when the money cannot be applied
//! (the dossier was withdrawn, is already paid, or the amount differs).
//! Money is never dropped on the floor, and a replayed notification finds
//! the first one's record instead of crediting twice.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{
    DOSSIER_COLUMNS, Dossier, Store, StoreError, append_event, apply_in, begin_write, dossier_of,
    finish,
};
use crate::payment::{Notification, PaymentStatus};
use crate::status::{Action, Status};

/// A payment order: one attempt to pay a dossier's open obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderRecord {
    /// The order id sent to the gateway (`<dossier code>-<n>`).
    pub order: String,
    /// The dossier.
    pub dossier: String,
    /// What the gateway is asked to collect, in đồng.
    pub amount_vnd: i64,
    /// When it was opened, Unix seconds.
    pub created_at: i64,
    /// After this, a payment is still taken but flagged late.
    pub expires_at: i64,
}

/// What became of a notification's money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Applied to the dossier's obligation.
    Credited,
    /// The gateway reports no money collected.
    Failed,
    /// Collected but not applicable: to be refunded (see the flag).
    RefundDue,
}

impl PaymentState {
    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            PaymentState::Credited => "credited",
            PaymentState::Failed => "failed",
            PaymentState::RefundDue => "refund_due",
        }
    }

    /// The state with this stored name.
    pub fn from_name(name: &str) -> Option<PaymentState> {
        [
            PaymentState::Credited,
            PaymentState::Failed,
            PaymentState::RefundDue,
        ]
        .into_iter()
        .find(|s| s.name() == name)
    }
}

/// One recorded notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentRecord {
    /// The gateway.
    pub provider: String,
    /// The gateway's transaction id.
    pub transaction: String,
    /// The order it answers.
    pub order: String,
    /// The dossier.
    pub dossier: String,
    /// The amount the gateway reports, in đồng.
    pub amount_vnd: i64,
    /// `paid` or `failed`, as the gateway says.
    pub outcome: String,
    /// What became of it.
    pub state: PaymentState,
    /// Why it needs attention: `late`, `wrong_amount`, `withdrawn`,
    /// `already_paid`, `not_awaiting_payment`, `obligation_changed`, or
    /// empty.
    pub flag: String,
    /// When the gateway says it was paid.
    pub paid_at: String,
    /// When the notification arrived, Unix seconds.
    pub received_at: i64,
    /// The Vietnamese calendar day it arrived (reconciliation key).
    pub day: String,
    /// The fee receipt issued for it, when credited.
    pub receipt: Option<String>,
}

/// What the service will print on a fee receipt, prepared before the
/// notification is recorded; the store adds the number.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptDraft {
    /// The receipt's public id (unguessable: it is the capability to read
    /// and verify it).
    pub id: String,
    /// The receipt series (numbers run per series).
    pub series: String,
    /// The printed facts (JSON object); `number` is filled in.
    pub facts: serde_json::Value,
}

/// A stored fee receipt.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptRecord {
    /// Its public id.
    pub id: String,
    /// The dossier.
    pub dossier: String,
    /// The series.
    pub series: String,
    /// The number in the series.
    pub number: i64,
    /// The printed facts (JSON object).
    pub facts: serde_json::Value,
    /// When it was issued, Unix seconds.
    pub issued_at: i64,
    /// The signed PDF, once rendered.
    pub pdf: Option<Vec<u8>>,
}

/// The outcome of recording a notification.
#[derive(Debug, Clone, PartialEq)]
pub enum Notified {
    /// Credited: the dossier is back in processing; a receipt was issued.
    Credited {
        /// The dossier after the payment.
        dossier: Box<Dossier>,
        /// The record.
        payment: PaymentRecord,
    },
    /// Recorded as failed, or kept for refund (see its state and flag).
    Recorded(PaymentRecord),
    /// This transaction was recorded before: nothing changed.
    Replayed(PaymentRecord),
    /// No such order.
    UnknownOrder,
}

const PAYMENT_COLUMNS: &str = "p.provider, p.transaction_id, p.order_id, d.code, p.amount_vnd, p.outcome, p.state, \
     p.flag, p.paid_at, p.received_at, p.day, p.receipt_id";

fn payment_of(row: &AnyRow) -> Result<PaymentRecord, sqlx::Error> {
    let state: String = row.try_get(6)?;
    Ok(PaymentRecord {
        provider: row.try_get(0)?,
        transaction: row.try_get(1)?,
        order: row.try_get(2)?,
        dossier: row.try_get(3)?,
        amount_vnd: row.try_get(4)?,
        outcome: row.try_get(5)?,
        state: PaymentState::from_name(&state).unwrap_or(PaymentState::RefundDue),
        flag: row.try_get(7)?,
        paid_at: row.try_get(8)?,
        received_at: row.try_get(9)?,
        day: row.try_get(10)?,
        receipt: row.try_get(11)?,
    })
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

async fn recorded(
    tx: &mut Tx,
    provider: &str,
    transaction: &str,
) -> Result<Option<PaymentRecord>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {PAYMENT_COLUMNS} FROM payments p JOIN dossiers d ON d.id = p.dossier_id \
         WHERE p.provider = $1 AND p.transaction_id = $2"
    ))
    .bind(provider)
    .bind(transaction)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.as_ref().map(payment_of).transpose()?)
}

impl Store {
    /// The fee assessed at submission (JSON text, empty for dossiers stored
    /// before level 4) and the open obligation.
    pub async fn fee(&self, code: &str) -> Result<(String, i64), StoreError> {
        let row = sqlx::query("SELECT fee, fee_due FROM dossiers WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(code.to_owned()))?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }

    /// Opens a payment order for the dossier's open obligation. Refused
    /// unless the dossier awaits payment (status 6) of a positive amount.
    pub async fn open_order(
        &self,
        code: &str,
        now: i64,
        valid_seconds: i64,
    ) -> Result<OrderRecord, StoreError> {
        let mut tx = begin_write(&self.pool, self.dialect).await?;
        let result = async {
            let row = sqlx::query(&format!(
                "SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE code = $1"
            ))
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(code.to_owned()))?;
            let (id, dossier) = dossier_of(&row)?;
            if dossier.status != Status::FinancialObligation || dossier.fee_due <= 0 {
                return Err(StoreError::Transition {
                    action: "pay",
                    from: dossier.status.code(),
                });
            }
            let count: i64 =
                sqlx::query("SELECT COUNT(*) FROM payment_orders WHERE dossier_id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get(0)?;
            let order = OrderRecord {
                order: format!("{code}-{}", count + 1),
                dossier: code.to_owned(),
                amount_vnd: dossier.fee_due,
                created_at: now,
                expires_at: now + valid_seconds,
            };
            sqlx::query(
                "INSERT INTO payment_orders (order_id, dossier_id, amount_vnd, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&order.order)
            .bind(id)
            .bind(order.amount_vnd)
            .bind(order.created_at)
            .bind(order.expires_at)
            .execute(&mut *tx)
            .await?;
            Ok(order)
        }
        .await;
        finish(tx, result).await
    }

    /// The order with this id.
    pub async fn order(&self, order: &str) -> Result<Option<OrderRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT o.order_id, d.code, o.amount_vnd, o.created_at, o.expires_at FROM payment_orders o \
             JOIN dossiers d ON d.id = o.dossier_id WHERE o.order_id = $1",
        )
        .bind(order)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(OrderRecord {
                order: r.try_get(0)?,
                dossier: r.try_get(1)?,
                amount_vnd: r.try_get(2)?,
                created_at: r.try_get(3)?,
                expires_at: r.try_get(4)?,
            })
        })
        .transpose()
        .map_err(|e: sqlx::Error| StoreError::from(e))
    }

    /// Records a verified notification, once per transaction id, and
    /// applies it: a payment of the order's amount while the dossier still
    /// owes exactly that is credited (status 6 → 4, receipt numbered in
    /// `receipt.series`); anything else paid is kept for refund.
    pub async fn record_notification(
        &self,
        provider: &str,
        n: &Notification,
        now: i64,
        day: &str,
        receipt: ReceiptDraft,
    ) -> Result<Notified, StoreError> {
        let mut tx = begin_write(&self.pool, self.dialect).await?;
        let result = record_in(&mut tx, self.dialect, provider, n, now, day, receipt).await;
        match finish(tx, result).await {
            // Two instances took the same transaction at once: one of them
            // committed it.
            Err(StoreError::Database(e)) => {
                let mut tx = self.pool.begin().await?;
                match recorded(&mut tx, provider, &n.transaction).await? {
                    Some(first) => Ok(Notified::Replayed(first)),
                    None => Err(StoreError::Database(e)),
                }
            }
            other => other,
        }
    }

    /// Notifications recorded for an agency's dossiers on a day (the
    /// Vietnamese calendar day they arrived), optionally in one state.
    pub async fn payments(
        &self,
        agency: &str,
        day: &str,
        state: Option<PaymentState>,
    ) -> Result<Vec<PaymentRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments p JOIN dossiers d ON d.id = p.dossier_id \
             WHERE p.day = $1 AND d.agency = $2 AND ($3 = '' OR p.state = $3) \
             ORDER BY p.received_at, p.transaction_id"
        ))
        .bind(day)
        .bind(agency)
        .bind(state.map_or("", PaymentState::name))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(payment_of).collect::<Result<_, _>>()?)
    }

    /// Notifications recorded for a dossier, oldest first.
    pub async fn payments_of(&self, code: &str) -> Result<Vec<PaymentRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {PAYMENT_COLUMNS} FROM payments p JOIN dossiers d ON d.id = p.dossier_id \
             WHERE d.code = $1 ORDER BY p.received_at, p.transaction_id"
        ))
        .bind(code)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(payment_of).collect::<Result<_, _>>()?)
    }

    /// The receipt with this id.
    pub async fn receipt(&self, id: &str) -> Result<Option<ReceiptRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT r.id, d.code, r.series, r.number, r.facts, r.issued_at, r.pdf FROM receipts r \
             JOIN dossiers d ON d.id = r.dossier_id WHERE r.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let facts: String = r.try_get(4)?;
        Ok(Some(ReceiptRecord {
            id: r.try_get(0)?,
            dossier: r.try_get(1)?,
            series: r.try_get(2)?,
            number: r.try_get(3)?,
            facts: serde_json::from_str(&facts).unwrap_or_default(),
            issued_at: r.try_get(5)?,
            pdf: r.try_get(6)?,
        }))
    }

    /// Keeps a receipt's signed PDF (once: a PDF already kept stays).
    pub async fn keep_receipt_pdf(&self, id: &str, pdf: &[u8]) -> Result<(), StoreError> {
        sqlx::query("UPDATE receipts SET pdf = $1 WHERE id = $2 AND pdf IS NULL")
            .bind(pdf)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

async fn record_in(
    tx: &mut Tx,
    dialect: super::Dialect,
    provider: &str,
    n: &Notification,
    now: i64,
    day: &str,
    mut receipt: ReceiptDraft,
) -> Result<Notified, StoreError> {
    let Some(order) = sqlx::query(
        "SELECT o.dossier_id, o.amount_vnd, o.expires_at FROM payment_orders o WHERE o.order_id = $1",
    )
    .bind(&n.order)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(Notified::UnknownOrder);
    };
    let dossier_id: i64 = order.try_get(0)?;
    let order_amount: i64 = order.try_get(1)?;
    let expires_at: i64 = order.try_get(2)?;
    // Notifications for one dossier take turns: on PostgreSQL by locking
    // its row (SQLite's BEGIN IMMEDIATE already serializes writers), so
    // that what is read below is what the decision applies to.
    if dialect == super::Dialect::Postgres {
        sqlx::query("SELECT id FROM dossiers WHERE id = $1 FOR UPDATE")
            .bind(dossier_id)
            .execute(&mut **tx)
            .await?;
    }
    if let Some(first) = recorded(tx, provider, &n.transaction).await? {
        return Ok(Notified::Replayed(first));
    }
    let row = sqlx::query(&format!(
        "SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE id = $1"
    ))
    .bind(dossier_id)
    .fetch_one(&mut **tx)
    .await?;
    let (_, dossier) = dossier_of(&row)?;
    let amount = i64::try_from(n.amount_vnd).unwrap_or(i64::MAX);
    // Late is when the payer paid, as the gateway signs it, not when its
    // word arrived (a gateway retries for hours); its arrival when the
    // time does not parse.
    let paid_at = hoso_pki::Timestamp::parse_rfc3339(&n.paid_at).map_or(now, |t| t.unix());
    let credited_before: i64 =
        sqlx::query("SELECT COUNT(*) FROM payments WHERE dossier_id = $1 AND state = 'credited'")
            .bind(dossier_id)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
    let (state, flag) = match n.status {
        PaymentStatus::Failed => (PaymentState::Failed, ""),
        PaymentStatus::Paid if amount != order_amount => (PaymentState::RefundDue, "wrong_amount"),
        PaymentStatus::Paid if dossier.status == Status::Withdrawn => {
            (PaymentState::RefundDue, "withdrawn")
        }
        PaymentStatus::Paid if dossier.status != Status::FinancialObligation => {
            let flag = if credited_before > 0 {
                "already_paid"
            } else {
                "not_awaiting_payment"
            };
            (PaymentState::RefundDue, flag)
        }
        PaymentStatus::Paid if dossier.fee_due != order_amount => {
            (PaymentState::RefundDue, "obligation_changed")
        }
        PaymentStatus::Paid if paid_at > expires_at => (PaymentState::Credited, "late"),
        PaymentStatus::Paid => (PaymentState::Credited, ""),
    };
    let mut payment = PaymentRecord {
        provider: provider.to_owned(),
        transaction: n.transaction.clone(),
        order: n.order.clone(),
        dossier: dossier.code.clone(),
        amount_vnd: amount,
        outcome: match n.status {
            PaymentStatus::Paid => "paid".into(),
            PaymentStatus::Failed => "failed".into(),
        },
        state,
        flag: flag.to_owned(),
        paid_at: n.paid_at.clone(),
        received_at: now,
        day: day.to_owned(),
        receipt: None,
    };
    let actor = format!("gateway:{provider}");
    let detail = serde_json::json!({
        "order": payment.order,
        "transaction": payment.transaction,
        "amount_vnd": payment.amount_vnd,
        "state": state.name(),
        "flag": payment.flag,
    });
    let mut after = None;
    if state == PaymentState::Credited {
        let number: i64 = sqlx::query(
            "INSERT INTO receipt_series (series, last) VALUES ($1, 1) \
             ON CONFLICT (series) DO UPDATE SET last = receipt_series.last + 1 RETURNING last",
        )
        .bind(&receipt.series)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
        receipt.facts["number"] = serde_json::json!(format!("{number:07}"));
        sqlx::query(
            "INSERT INTO receipts (id, dossier_id, series, number, facts, issued_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&receipt.id)
        .bind(dossier_id)
        .bind(&receipt.series)
        .bind(number)
        .bind(receipt.facts.to_string())
        .bind(now)
        .execute(&mut **tx)
        .await?;
        payment.receipt = Some(receipt.id.clone());
        let mut detail = detail.clone();
        detail["receipt"] = serde_json::json!(receipt.id);
        let (d, _) = apply_in(
            tx,
            &dossier.code,
            Action::RecordPayment,
            &actor,
            &detail,
            now,
            None,
        )
        .await?;
        after = Some(d);
    } else {
        let action = match state {
            PaymentState::Failed => "payment-failed",
            _ => "payment-refund-due",
        };
        // Recorded in the chain without changing the status.
        append_event(
            tx,
            (dossier_id, &dossier.code),
            &actor,
            action,
            (dossier.status, dossier.status),
            &detail,
            now,
        )
        .await?;
    }
    sqlx::query(
        "INSERT INTO payments (provider, transaction_id, order_id, dossier_id, amount_vnd, outcome, state, flag, \
         paid_at, received_at, day, receipt_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&payment.provider)
    .bind(&payment.transaction)
    .bind(&payment.order)
    .bind(dossier_id)
    .bind(payment.amount_vnd)
    .bind(&payment.outcome)
    .bind(state.name())
    .bind(&payment.flag)
    .bind(&payment.paid_at)
    .bind(payment.received_at)
    .bind(&payment.day)
    .bind(&payment.receipt)
    .execute(&mut **tx)
    .await?;
    Ok(match after {
        Some(dossier) => Notified::Credited {
            dossier: Box::new(dossier),
            payment,
        },
        None => Notified::Recorded(payment),
    })
}
