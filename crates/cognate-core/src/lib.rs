//! Cognate's identity engine: user pools, app clients, users and groups, and every decision
//! about them. No HTTP and no SQL here: requests arrive as typed calls from the protocol crates,
//! state leaves through the [`store::Store`] port, and time, randomness and message delivery
//! come in through traits so tests control them.

pub mod clock;
pub mod error;
pub mod ids;
pub mod model;
pub mod store;

pub use error::{Error, Result};
pub mod api;
pub mod attributes;
pub mod cpu;
pub mod filter;
pub mod messages;
pub mod password;
pub mod sender;
pub mod service;

pub use service::{RequestContext, Service, ServiceConfig};
