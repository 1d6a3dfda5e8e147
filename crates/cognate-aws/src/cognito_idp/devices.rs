//! ConfirmDevice, GetDevice, ListDevices, ForgetDevice, UpdateDeviceStatus (public, with an
//! access token), AdminGetDevice, AdminListDevices, AdminForgetDevice, AdminUpdateDeviceStatus
//! (IAM).

use cognate_core::{RequestContext, Service};
use serde_json::Value;

use super::answer;
use crate::error::AwsError;

pub(super) async fn dispatch(
    svc: &Service,
    _ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    Some(match action {
        "ConfirmDevice" => answer(body, |input| svc.confirm_device(input)).await,
        "GetDevice" => answer(body, |input| svc.get_device(input)).await,
        "ListDevices" => answer(body, |input| svc.list_devices(input)).await,
        "ForgetDevice" => answer(body, |input| svc.forget_device(input)).await,
        "UpdateDeviceStatus" => answer(body, |input| svc.update_device_status(input)).await,
        "AdminGetDevice" => answer(body, |input| svc.admin_get_device(input)).await,
        "AdminListDevices" => answer(body, |input| svc.admin_list_devices(input)).await,
        "AdminForgetDevice" => answer(body, |input| svc.admin_forget_device(input)).await,
        "AdminUpdateDeviceStatus" => {
            answer(body, |input| svc.admin_update_device_status(input)).await
        }
        _ => return None,
    })
}
