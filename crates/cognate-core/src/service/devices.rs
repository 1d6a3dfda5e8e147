//! Remembered devices: the device actions (ConfirmDevice, GetDevice, ListDevices,
//! ForgetDevice, UpdateDeviceStatus with the user's access token; their Admin* forms with IAM),
//! and what the sign-in state machine (`auth.rs`) asks of devices.
//!
//! Device tracking is on for a pool whose `DeviceConfiguration` sets either of its fields
//! (Cognito: "When you provide a value for any DeviceConfiguration field, you activate the
//! Amazon Cognito device-remembering feature"). Then, as Cognito does (developer guide,
//! "Working with user devices in your user pool"; API reference, `NewDeviceMetadataType`,
//! `ConfirmDevice`, `DeviceConfigurationType`):
//! - a sign-in that does not come from a known device ends with `NewDeviceMetadata`
//!   (`DeviceKey` = `{region}_{uuid}`, `DeviceGroupKey`): the device is stored unconfirmed, and
//!   its key is the `device_key` of the tokens (and of the refresh token, for later refreshes);
//! - ConfirmDevice, with an access token of the device's user, stores the device's SRP
//!   verifier (sealed with the master key) and name. With `DeviceOnlyRememberedOnUserPrompt`
//!   the device starts `not_remembered` and the answer's `UserConfirmationNecessary` is true
//!   (the app asks the user, then calls UpdateDeviceStatus); otherwise it is remembered at once;
//! - a sign-in naming a confirmed device of the user (`DEVICE_KEY`) must prove it after the
//!   first factor: DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER, SRP against the device's
//!   verifier with realm = group key and identity = device key (`cognate_crypto::srp`). A key
//!   that names no confirmed device of the user is `ResourceNotFoundException` "Device does not
//!   exist.", the answer on which identity-js and Amplify forget the device and sign in afresh;
//! - a refresh token issued to a device refreshes only with that `DEVICE_KEY`, and only while
//!   the device is confirmed and not forgotten ("Invalid Refresh Token." otherwise).
//!
//! Unconfirmed devices are invisible to the device actions. They can only be confirmed with the
//! access token of the sign-in that made them (refresh needs a confirmed device), which lives at
//! most a day; so when a user gets a new device, their unconfirmed ones older than that go.
//!
//! The DeviceGroupKey is per user and stable: derived from the pool and the user's `sub`
//! (`-` and nine base-62 characters, the shape of Cognito's). It is not a secret (the SRP realm,
//! like the pool name), and each device keeps the one it was confirmed under.
//!
//! Not here: the last IP address (the engine is not told the caller's address, so
//! `last_ip_used` is absent), and MFA, which remembered devices would let a user skip
//! (`ChallengeRequiredOnNewDevice`); MFA is not implemented yet.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use cognate_crypto::digest::sha256_hex;
use cognate_crypto::srp;

use super::page;
use super::srp::SrpExchange;
use super::users::list_limit;
use super::Service;
use crate::api::auth::NewDeviceMetadata;
use crate::api::date;
use crate::api::devices::{
    AdminDeviceInput, AdminListDevicesInput, AdminUpdateDeviceStatusInput, ConfirmDeviceInput,
    ConfirmDeviceOutput, DeviceInput, DeviceView, GetDeviceOutput, ListDevicesInput,
    ListDevicesOutput, UpdateDeviceStatusInput,
};
use crate::model::{Attribute, Device, DeviceStatus, User, UserPool};
use crate::store::StoreError;
use crate::{ids, Error, Result};

/// How long an unconfirmed device can still be confirmed: no access token lives longer.
const UNCONFIRMED_LIFETIME_MS: i64 = crate::store::MAX_ACCESS_TOKEN_MS;

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

pub(crate) fn device_not_found() -> Error {
    Error::ResourceNotFound("Device does not exist.".into())
}

fn missing(name: &str) -> Error {
    Error::invalid(format!("Missing required parameter {name}"))
}

/// Whether the pool tracks devices: its `DeviceConfiguration` sets a field.
pub(crate) fn tracks_devices(pool: &UserPool) -> bool {
    pool.settings
        .device_configuration
        .as_ref()
        .is_some_and(|c| {
            c.challenge_required_on_new_device.is_some()
                || c.device_only_remembered_on_user_prompt.is_some()
        })
}

/// Whether a confirmed device waits for the user's say before it is remembered.
fn remembered_on_prompt(pool: &UserPool) -> bool {
    pool.settings
        .device_configuration
        .as_ref()
        .and_then(|c| c.device_only_remembered_on_user_prompt)
        .unwrap_or(false)
}

/// The user's DeviceGroupKey: `-` and nine base-62 characters of a hash of the pool and sub.
pub(crate) fn device_group_key(pool_id: &str, sub: &str) -> String {
    let digest = sha256_hex(format!("cognate-device-group/{pool_id}/{sub}").as_bytes());
    let mut key = String::from("-");
    for pair in digest.as_bytes().chunks(2).take(9) {
        let byte = u8::from_str_radix(std::str::from_utf8(pair).unwrap_or("00"), 16).unwrap_or(0);
        key.push(char::from(BASE62[usize::from(byte) % BASE62.len()]));
    }
    key
}

fn verifier_aad(pool_id: &str, device_key: &str) -> Vec<u8> {
    format!("device-verifier/{pool_id}/{device_key}").into_bytes()
}

/// Base64 as the SDKs send it (padded; unpadded taken too).
fn base64_bytes(value: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(value)
        .or_else(|_| STANDARD_NO_PAD.decode(value))
        .ok()
}

/// The status an update asks for (the model leaves it optional; the engine needs it).
fn wanted_status(status: Option<&str>) -> Result<DeviceStatus> {
    let status = status.ok_or_else(|| missing("DeviceRememberedStatus"))?;
    DeviceStatus::parse(status).ok_or_else(|| Error::invalid("Invalid DeviceRememberedStatus."))
}

impl Service {
    // --- what sign-in asks of devices ---

    /// A new, unconfirmed device of `user`, for `NewDeviceMetadata`.
    pub(crate) async fn new_device(
        &self,
        pool: &UserPool,
        user: &User,
    ) -> Result<NewDeviceMetadata> {
        let now = self.now();
        let device = Device {
            pool_id: pool.id.clone(),
            device_key: format!("{}_{}", pool.region(), self.with_rng(ids::new_uuid)),
            username_key: user.username_key.clone(),
            device_group_key: device_group_key(&pool.id, &user.sub),
            verifier: None,
            name: None,
            status: None,
            last_ip: None,
            created_ms: now,
            modified_ms: now,
            last_authenticated_ms: Some(now),
        };
        match self
            .store
            .insert_device(&device, now.saturating_sub(UNCONFIRMED_LIFETIME_MS))
            .await
        {
            Ok(()) => Ok(NewDeviceMetadata {
                device_key: device.device_key,
                device_group_key: device.device_group_key,
            }),
            Err(StoreError::NotFound) => Err(Error::user_not_found()),
            Err(e) => Err(e.into()),
        }
    }

    /// A confirmed device of `user` by key, or "Device does not exist.".
    pub(crate) async fn known_device(
        &self,
        pool: &UserPool,
        user: &User,
        device_key: &str,
    ) -> Result<Device> {
        self.store
            .get_device(&pool.id, device_key)
            .await?
            .filter(|d| d.confirmed() && d.username_key == user.username_key)
            .ok_or_else(device_not_found)
    }

    /// The device's `(salt_hex, verifier_hex)`, if it has a verifier that opens.
    fn device_verifier(&self, device: &Device) -> Option<(String, String)> {
        let sealed = device.verifier.as_deref()?;
        let plain = self
            .master_key
            .open(sealed, &verifier_aad(&device.pool_id, &device.device_key))
            .map_err(|e| {
                tracing::warn!(pool = %device.pool_id, error = %e, "device verifier does not open");
            })
            .ok()?;
        let text = String::from_utf8(plain).ok()?;
        let (salt, v) = text.split_once(':')?;
        Some((salt.to_string(), v.to_string()))
    }

    /// DEVICE_SRP_AUTH answered: the exchange for the device's verifier and the client's A.
    pub(crate) async fn device_srp_exchange(
        &self,
        device: &Device,
        big_a: String,
    ) -> Result<SrpExchange> {
        let (salt, v) = self.device_verifier(device).ok_or_else(device_not_found)?;
        self.srp_server_exchange(salt, v, big_a).await
    }

    /// After a device proved itself: its last sign-in is now. A device forgotten meanwhile is
    /// not found.
    pub(crate) async fn device_signed_in(&self, device: &Device) -> Result<()> {
        let found = self
            .store
            .record_device_sign_in(&device.pool_id, &device.device_key, None, self.now())
            .await?;
        if found {
            Ok(())
        } else {
            Err(device_not_found())
        }
    }

    // --- the actions ---

    pub async fn confirm_device(&self, input: ConfirmDeviceInput) -> Result<ConfirmDeviceOutput> {
        input.validate()?;
        let token = input.access_token.as_deref().unwrap_or_default();
        let (pool, user, _) = self.authenticate_access_token(token).await?;
        let config = input.device_secret_verifier_config.unwrap_or_default();
        let salt = config
            .salt
            .filter(|s| !s.is_empty())
            .ok_or_else(|| missing("DeviceSecretVerifierConfig.Salt"))?;
        let verifier = config
            .password_verifier
            .filter(|s| !s.is_empty())
            .ok_or_else(|| missing("DeviceSecretVerifierConfig.PasswordVerifier"))?;
        let (salt_hex, verifier_hex) = base64_bytes(&salt)
            .zip(base64_bytes(&verifier))
            .and_then(|(s, v)| srp::device_verifier_hex(&s, &v))
            .ok_or_else(|| Error::invalid("Invalid DeviceSecretVerifierConfig."))?;
        let key = input.device_key.unwrap_or_default();
        let device = self
            .store
            .get_device(&pool.id, &key)
            .await?
            .filter(|d| d.username_key == user.username_key)
            .ok_or_else(device_not_found)?;
        if device.confirmed() {
            return Err(Error::DeviceKeyExists(
                "Device has already been confirmed.".into(),
            ));
        }
        let sealed = self
            .master_key
            .seal(
                format!("{salt_hex}:{verifier_hex}").as_bytes(),
                &verifier_aad(&pool.id, &key),
            )
            .map_err(Error::internal)?;
        let on_prompt = remembered_on_prompt(&pool);
        let confirmed = Device {
            verifier: Some(sealed),
            name: input.device_name,
            status: Some(if on_prompt {
                DeviceStatus::NotRemembered
            } else {
                DeviceStatus::Remembered
            }),
            modified_ms: self.now(),
            ..device
        };
        if !self.store.confirm_device(&confirmed).await? {
            // Confirmed by a concurrent request, or forgotten with its user.
            return Err(match self.store.get_device(&pool.id, &key).await? {
                Some(_) => Error::DeviceKeyExists("Device has already been confirmed.".into()),
                None => device_not_found(),
            });
        }
        Ok(ConfirmDeviceOutput {
            user_confirmation_necessary: on_prompt,
        })
    }

    pub async fn get_device(&self, input: DeviceInput) -> Result<GetDeviceOutput> {
        input.validate()?;
        let (pool, user) = self.token_user(input.access_token.as_deref()).await?;
        let device = self
            .known_device(
                &pool,
                &user,
                input.device_key.as_deref().unwrap_or_default(),
            )
            .await?;
        Ok(GetDeviceOutput {
            device: self.view(&pool, &user, &device),
        })
    }

    pub async fn admin_get_device(&self, input: AdminDeviceInput) -> Result<GetDeviceOutput> {
        input.validate()?;
        let (pool, user) = self
            .named_user(input.user_pool_id.as_deref(), input.username.as_deref())
            .await?;
        let device = self
            .known_device(
                &pool,
                &user,
                input.device_key.as_deref().unwrap_or_default(),
            )
            .await?;
        Ok(GetDeviceOutput {
            device: self.view(&pool, &user, &device),
        })
    }

    pub async fn list_devices(&self, input: ListDevicesInput) -> Result<ListDevicesOutput> {
        input.validate()?;
        let (pool, user) = self.token_user(input.access_token.as_deref()).await?;
        self.devices_page(&pool, &user, input.limit, input.pagination_token.as_deref())
            .await
    }

    pub async fn admin_list_devices(
        &self,
        input: AdminListDevicesInput,
    ) -> Result<ListDevicesOutput> {
        input.validate()?;
        let (pool, user) = self
            .named_user(input.user_pool_id.as_deref(), input.username.as_deref())
            .await?;
        self.devices_page(&pool, &user, input.limit, input.pagination_token.as_deref())
            .await
    }

    pub async fn forget_device(&self, input: DeviceInput) -> Result<()> {
        input.validate()?;
        let (pool, user) = self.token_user(input.access_token.as_deref()).await?;
        self.forget(
            &pool,
            &user,
            input.device_key.as_deref().unwrap_or_default(),
        )
        .await
    }

    pub async fn admin_forget_device(&self, input: AdminDeviceInput) -> Result<()> {
        input.validate()?;
        let (pool, user) = self
            .named_user(input.user_pool_id.as_deref(), input.username.as_deref())
            .await?;
        self.forget(
            &pool,
            &user,
            input.device_key.as_deref().unwrap_or_default(),
        )
        .await
    }

    pub async fn update_device_status(&self, input: UpdateDeviceStatusInput) -> Result<()> {
        input.validate()?;
        let (pool, user) = self.token_user(input.access_token.as_deref()).await?;
        let status = wanted_status(input.device_remembered_status.as_deref())?;
        self.set_status(
            &pool,
            &user,
            input.device_key.as_deref().unwrap_or_default(),
            status,
        )
        .await
    }

    pub async fn admin_update_device_status(
        &self,
        input: AdminUpdateDeviceStatusInput,
    ) -> Result<()> {
        input.validate()?;
        let (pool, user) = self
            .named_user(input.user_pool_id.as_deref(), input.username.as_deref())
            .await?;
        let status = wanted_status(input.device_remembered_status.as_deref())?;
        self.set_status(
            &pool,
            &user,
            input.device_key.as_deref().unwrap_or_default(),
            status,
        )
        .await
    }

    // --- helpers ---

    /// The pool and user of an access token (which GetDevice and ForgetDevice leave optional
    /// in the model).
    async fn token_user(&self, token: Option<&str>) -> Result<(UserPool, User)> {
        let token = token.ok_or_else(|| missing("AccessToken"))?;
        let (pool, user, _) = self.authenticate_access_token(token).await?;
        Ok((pool, user))
    }

    /// The pool and user the Admin* forms name.
    async fn named_user(
        &self,
        pool_id: Option<&str>,
        username: Option<&str>,
    ) -> Result<(UserPool, User)> {
        let pool = self.pool(pool_id.unwrap_or_default()).await?;
        let user = self.user(&pool, username.unwrap_or_default()).await?;
        Ok((pool, user))
    }

    async fn devices_page(
        &self,
        pool: &UserPool,
        user: &User,
        limit: Option<i64>,
        token: Option<&str>,
    ) -> Result<ListDevicesOutput> {
        let limit = list_limit(limit);
        let after = page::decode(token)?;
        let rows = self
            .store
            .list_devices(
                &pool.id,
                &user.username_key,
                after.as_deref(),
                limit as u32 + 1,
            )
            .await?;
        let (rows, next) = page::split(rows, limit, |d| d.device_key.clone());
        Ok(ListDevicesOutput {
            devices: rows.iter().map(|d| self.view(pool, user, d)).collect(),
            pagination_token: next,
        })
    }

    async fn forget(&self, pool: &UserPool, user: &User, device_key: &str) -> Result<()> {
        let device = self.known_device(pool, user, device_key).await?;
        if self
            .store
            .delete_device(&pool.id, &device.device_key)
            .await?
        {
            Ok(())
        } else {
            Err(device_not_found())
        }
    }

    async fn set_status(
        &self,
        pool: &UserPool,
        user: &User,
        device_key: &str,
        status: DeviceStatus,
    ) -> Result<()> {
        let device = self.known_device(pool, user, device_key).await?;
        let found = self
            .store
            .set_device_status(&pool.id, &device.device_key, status, self.now())
            .await?;
        if found {
            Ok(())
        } else {
            Err(device_not_found())
        }
    }

    /// `DeviceType`, with the attributes Cognito shows (API reference, GetDevice example):
    /// `device_status`, `device_name`, `dev:device_arn`, `dev:device_owner`, `last_ip_used`
    /// (when known), `dev:device_remembered_status`.
    fn view(&self, pool: &UserPool, user: &User, device: &Device) -> DeviceView {
        let attr = |name: &str, value: &str| Attribute {
            name: name.to_string(),
            value: value.to_string(),
        };
        let owner = format!("{}.{}", user.username, pool.id);
        let mut attributes = vec![attr("device_status", "valid")];
        if let Some(name) = &device.name {
            attributes.push(attr("device_name", name));
        }
        attributes.push(attr(
            "dev:device_arn",
            &format!(
                "arn:aws:cognito-idp:{}:{}:owner/{owner}/device/{}",
                pool.region(),
                self.config.account_id,
                device.device_key
            ),
        ));
        attributes.push(attr("dev:device_owner", &owner));
        if let Some(ip) = &device.last_ip {
            attributes.push(attr("last_ip_used", ip));
        }
        if let Some(status) = device.status {
            attributes.push(attr("dev:device_remembered_status", status.as_str()));
        }
        DeviceView {
            device_key: device.device_key.clone(),
            device_attributes: attributes,
            device_create_date: date(device.created_ms),
            device_last_modified_date: date(device.modified_ms),
            device_last_authenticated_date: device.last_authenticated_ms.map(date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_keys_are_stable_per_user_and_shaped_like_cognitos() {
        let a = device_group_key("us-east-1_abc", "sub-1");
        assert_eq!(a, device_group_key("us-east-1_abc", "sub-1"));
        assert_ne!(a, device_group_key("us-east-1_abc", "sub-2"));
        assert_ne!(a, device_group_key("us-east-1_abd", "sub-1"));
        assert_eq!(a.len(), 10);
        assert!(a.starts_with('-'));
        assert!(a[1..].bytes().all(|b| b.is_ascii_alphanumeric()), "{a}");
    }

    #[test]
    fn statuses_are_required_and_named_as_the_api_names_them() {
        assert_eq!(
            wanted_status(Some("remembered")),
            Ok(DeviceStatus::Remembered)
        );
        assert_eq!(
            wanted_status(Some("not_remembered")),
            Ok(DeviceStatus::NotRemembered)
        );
        assert!(matches!(
            wanted_status(None),
            Err(Error::InvalidParameter(_))
        ));
    }

    #[test]
    fn verifier_configs_decode_padded_or_not() {
        assert_eq!(base64_bytes("AJo="), Some(vec![0x00, 0x9a]));
        assert_eq!(base64_bytes("AJo"), Some(vec![0x00, 0x9a]));
        assert_eq!(base64_bytes("not base64!"), None);
    }
}
