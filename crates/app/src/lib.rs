//! # recouvre-app
//!
//! The use cases of Recouvre — import claims, list and show what is owed, build the demo
//! portfolio — written once, and called by the three faces of the product (CLI, REST API,
//! UI). A use case loads what it needs through the [`store::Store`] port, asks the pure
//! `domain` crate to decide, and writes the decision back in one transaction.
//!
//! This crate knows no SQL and no HTTP: the store backends (`store-sqlite`, `store-pg`)
//! implement its ports, and the binary wires them.

pub mod clock;
pub mod error;
pub mod import;
pub mod portfolio;
pub mod queries;
pub mod store;

pub use clock::{Clock, FixedClock};
pub use error::{AppError, StoreError};
pub use store::{Store, Tx};
