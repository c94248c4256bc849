//! # recouvre-app
//!
//! The use cases of Recouvre — import claims, list and show what is owed, import bank
//! statements and apply the payments, build the demo portfolio — written once, and called by the three faces of the product (CLI, REST API,
//! UI). A use case loads what it needs through the [`store::Store`] port, asks the pure
//! `domain` crate to decide, and writes the decision back in one transaction.
//!
//! This crate knows no SQL and no HTTP: the store backends (`store-sqlite`, `store-pg`)
//! implement its ports, and the binary wires them.

#![cfg_attr(test, allow(clippy::unwrap_used))] // a failed unwrap in a test is a failed test

pub mod agency;
pub mod agreements;
pub mod audit;
pub mod channels;
pub mod charges;
pub mod clock;
pub mod contract;
pub mod copy;
pub mod dunning;
pub mod error;
pub mod financing;
pub mod gdpr;
pub mod import;
pub mod issuing;
pub mod jobs;
pub mod law;
pub mod legal;
pub mod limitation_events;
pub mod lists;
pub mod notes;
pub mod outbox;
pub mod payments;
pub mod portfolio;
pub mod queries;
pub mod reports;
pub mod scenarios;
pub mod schedule;
pub mod sepa;
pub mod simulate;
pub mod store;
pub mod terms;
pub mod totp;
pub mod users;

pub use clock::{Clock, FixedClock};
pub use error::{AppError, StoreError};
pub use store::{Store, Tx};
