//! The domain model: what a pool, an app client, a user, a group, a domain and a remembered
//! device are.

pub mod auth;
pub mod client;
pub mod device;
pub mod domain;
pub mod group;
pub mod pool;
pub mod schema;
pub mod user;

pub use auth::{
    AuthSessionRecord, CodeRecord, RefreshTokenRecord, SignInFailures, SigningKeyRecord,
};
pub use client::{ClientSettings, UserPoolClient};
pub use device::{Device, DeviceStatus};
pub use domain::PoolDomain;
pub use group::Group;
pub use pool::{PoolSettings, UserPool};
pub use schema::SchemaAttribute;
pub use user::{Attribute, User, UserStatus};
