//! The hoso service: applicants submit signed forms with their attachments
//! and follow their dossiers; agencies' officers move dossiers through the
//! national statuses; every change is kept in a hash-chained audit log.
//!
//! [`app::App`] builds the axum router; [`store::Store`] keeps dossiers on
//! SQLite or PostgreSQL; [`calendar::Calendar`] counts working days for
//! appointment dates.

pub mod app;
pub mod audit;
pub mod calendar;
pub mod codes;
pub mod config;
pub mod payment;
pub mod problem;
pub mod status;
pub mod store;
