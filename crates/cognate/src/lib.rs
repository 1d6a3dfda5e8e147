//! The `cognate` binary's library half: configuration, credentials and server assembly, so
//! integration tests start the real server in-process.

pub mod app;
pub mod config;
pub mod credentials;
pub mod keys;
pub mod master_key;
pub mod smtp;
