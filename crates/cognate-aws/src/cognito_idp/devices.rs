//! ConfirmDevice, GetDevice, ListDevices, ForgetDevice, UpdateDeviceStatus (public, with an
//! access token), AdminGetDevice, AdminListDevices, AdminForgetDevice, AdminUpdateDeviceStatus
//! (IAM).

use cognate_core::api::devices::{
    AdminDeviceInput, AdminListDevicesInput, AdminUpdateDeviceStatusInput, ConfirmDeviceInput,
    DeviceInput, ListDevicesInput, UpdateDeviceStatusInput,
};
use cognate_core::{RequestContext, Service};
use serde_json::{json, Value};

use super::to_json;
use crate::error::AwsError;
use crate::json11::decode;

pub(super) async fn dispatch(
    svc: &Service,
    _ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    Some(match action {
        "ConfirmDevice" => confirm(svc, body).await,
        "GetDevice" => get(svc, body).await,
        "ListDevices" => list(svc, body).await,
        "ForgetDevice" => forget(svc, body).await,
        "UpdateDeviceStatus" => update_status(svc, body).await,
        "AdminGetDevice" => admin_get(svc, body).await,
        "AdminListDevices" => admin_list(svc, body).await,
        "AdminForgetDevice" => admin_forget(svc, body).await,
        "AdminUpdateDeviceStatus" => admin_update_status(svc, body).await,
        _ => return None,
    })
}

async fn confirm(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ConfirmDeviceInput = decode(body)?;
    to_json(&svc.confirm_device(input).await?)
}

async fn get(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: DeviceInput = decode(body)?;
    to_json(&svc.get_device(input).await?)
}

async fn list(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ListDevicesInput = decode(body)?;
    to_json(&svc.list_devices(input).await?)
}

async fn forget(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: DeviceInput = decode(body)?;
    svc.forget_device(input).await?;
    Ok(json!({}))
}

async fn update_status(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: UpdateDeviceStatusInput = decode(body)?;
    svc.update_device_status(input).await?;
    Ok(json!({}))
}

async fn admin_get(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AdminDeviceInput = decode(body)?;
    to_json(&svc.admin_get_device(input).await?)
}

async fn admin_list(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AdminListDevicesInput = decode(body)?;
    to_json(&svc.admin_list_devices(input).await?)
}

async fn admin_forget(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AdminDeviceInput = decode(body)?;
    svc.admin_forget_device(input).await?;
    Ok(json!({}))
}

async fn admin_update_status(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AdminUpdateDeviceStatusInput = decode(body)?;
    svc.admin_update_device_status(input).await?;
    Ok(json!({}))
}
