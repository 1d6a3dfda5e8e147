//! User actions over HTTP: AdminCreateUser, AdminGetUser, AdminDeleteUser,
//! AdminUpdateUserAttributes, AdminDeleteUserAttributes, AdminEnableUser, AdminDisableUser,
//! AdminSetUserPassword, AdminResetUserPassword, ListUsers.

mod common;
#[path = "support/auth.rs"]
mod support;

use common::TestServer;
use serde_json::{json, Value};
use support::{admin_get_user, attr, attrs, sent};

async fn create(s: &TestServer, pool: &str, username: &str, pairs: &[(&str, &str)]) -> Value {
    let out = s
        .ok(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": username, "UserAttributes": attrs(pairs),
                    "MessageAction": "SUPPRESS" }),
        )
        .await;
    out["User"].clone()
}

async fn usernames(s: &TestServer, pool: &str, filter: &str) -> Vec<String> {
    let out = s
        .ok("ListUsers", json!({ "UserPoolId": pool, "Filter": filter }))
        .await;
    out["Users"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["Username"].as_str())
        .map(str::to_string)
        .collect()
}

// --- AdminCreateUser ---

#[tokio::test]
async fn create_returns_a_force_change_password_user_with_sub_first() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let user = create(
        &s,
        &pool,
        "diego",
        &[
            ("email", "diego@example.com"),
            ("phone_number", "+15555551212"),
        ],
    )
    .await;
    assert_eq!(user["Username"], "diego");
    assert_eq!(user["Enabled"], true);
    assert_eq!(user["UserStatus"], "FORCE_CHANGE_PASSWORD");
    let list = user["Attributes"].as_array().unwrap();
    assert_eq!(list[0]["Name"], "sub");
    assert_eq!(list[0]["Value"].as_str().unwrap().len(), 36);
    assert_eq!(
        list[1],
        json!({ "Name": "email", "Value": "diego@example.com" })
    );
    assert_eq!(
        list[2],
        json!({ "Name": "phone_number", "Value": "+15555551212" })
    );
    assert!(user["UserCreateDate"].as_f64().unwrap() > 1.7e9);
    assert_eq!(user["UserCreateDate"], user["UserLastModifiedDate"]);
    let got = admin_get_user(&s, &pool, "diego").await;
    assert_eq!(got["Username"], "diego");
    assert_eq!(got["UserAttributes"], user["Attributes"]);
    assert_eq!(got["UserStatus"], "FORCE_CHANGE_PASSWORD");
    assert!(got.get("MFAOptions").is_none() && got.get("UserMFASettingList").is_none());
    s.stop().await;
}

#[tokio::test]
async fn invitation_email_carries_username_and_temporary_password() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    s.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": pool, "Username": "alice", "TemporaryPassword": "Temp-Pass1",
                "UserAttributes": attrs(&[("email", "alice@example.com")]),
                "DesiredDeliveryMediums": ["EMAIL"] }),
    )
    .await;
    let messages = sent(&s, &pool).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    let m = &messages[0];
    assert_eq!(m["channel"], "email");
    assert_eq!(m["recipient"], "alice@example.com");
    assert_eq!(m["subject"], "Your temporary password");
    assert_eq!(
        m["body"],
        "Your username is alice and temporary password is Temp-Pass1."
    );
    assert_eq!(m["reason"], "AdminCreateUser");
    s.stop().await;
}

#[tokio::test]
async fn invitation_follows_the_pool_template_and_a_generated_password_meets_the_policy() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({
            "Policies": { "PasswordPolicy": { "MinimumLength": 16 } },
            "AdminCreateUserConfig": { "InviteMessageTemplate": {
                "SMSMessage": "Hi {username}, code {####}",
                "EmailMessage": "Welcome {username}! Password: {####}",
                "EmailSubject": "Welcome aboard" } }
        }))
        .await;
    s.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": pool, "Username": "bob",
                "UserAttributes": attrs(&[("email", "bob@example.com"), ("phone_number", "+15550001111")]),
                "DesiredDeliveryMediums": ["EMAIL", "SMS"] }),
    )
    .await;
    let messages = sent(&s, &pool).await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    let email = messages.iter().find(|m| m["channel"] == "email").unwrap();
    let sms = messages.iter().find(|m| m["channel"] == "sms").unwrap();
    assert_eq!(email["subject"], "Welcome aboard");
    assert_eq!(sms["recipient"], "+15550001111");
    assert!(sms["subject"].is_null());
    let body = email["body"].as_str().unwrap();
    let password = body.strip_prefix("Welcome bob! Password: ").unwrap();
    assert_eq!(sms["body"], format!("Hi bob, code {password}"));
    assert_eq!(password.chars().count(), 16);
    assert!(password.chars().any(|c| c.is_ascii_lowercase()));
    assert!(password.chars().any(|c| c.is_ascii_uppercase()));
    assert!(password.chars().any(|c| c.is_ascii_digit()));
    assert!(password.chars().any(|c| !c.is_ascii_alphanumeric()));
    s.stop().await;
}

#[tokio::test]
async fn without_delivery_mediums_an_email_only_user_is_invited_by_email() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    s.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": pool, "Username": "carol",
                "UserAttributes": attrs(&[("email", "carol@example.com")]) }),
    )
    .await;
    s.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": pool, "Username": "nobody" }),
    )
    .await;
    let messages = sent(&s, &pool).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["recipient"], "carol@example.com");
    s.stop().await;
}

#[tokio::test]
async fn suppress_sends_nothing() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    s.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": pool, "Username": "dave", "MessageAction": "SUPPRESS",
                "UserAttributes": attrs(&[("email", "dave@example.com")]),
                "DesiredDeliveryMediums": ["EMAIL"] }),
    )
    .await;
    assert!(sent(&s, &pool).await.is_empty());
    s.stop().await;
}

#[tokio::test]
async fn a_desired_medium_needs_its_attribute_and_nothing_is_created_without_it() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "erin", "DesiredDeliveryMediums": ["EMAIL"] }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "No email provided but desired delivery medium was Email"
    );
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "erin", "DesiredDeliveryMediums": ["SMS"],
                    "UserAttributes": attrs(&[("email", "erin@example.com")]) }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "No phone_number provided but desired delivery medium was Sms"
    );
    s.err(
        "AdminGetUser",
        json!({ "UserPoolId": pool, "Username": "erin" }),
        "UserNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn an_existing_username_is_refused() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    create(&s, &pool, "frank", &[]).await;
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "frank" }),
            "UsernameExistsException",
        )
        .await;
    assert_eq!(msg, "User account already exists");
    s.stop().await;
}

#[tokio::test]
async fn a_temporary_password_must_meet_the_policy() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    for (password, reason) in [
        ("Ab1!", "Password not long enough"),
        ("ABCDEFG1!", "Password must have lowercase characters"),
        ("abcdefg1!", "Password must have uppercase characters"),
        ("Abcdefgh!", "Password must have numeric characters"),
        ("Abcdefgh1", "Password must have symbol characters"),
    ] {
        let msg = s
            .err(
                "AdminCreateUser",
                json!({ "UserPoolId": pool, "Username": "gina", "TemporaryPassword": password }),
                "InvalidPasswordException",
            )
            .await;
        assert_eq!(
            msg,
            format!("Password did not conform with password policy: {reason}")
        );
    }
    s.stop().await;
}

#[tokio::test]
async fn create_checks_attributes_against_the_schema() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "Schema": [
            { "Name": "tier", "AttributeDataType": "String", "StringAttributeConstraints": { "MaxLength": "4" } },
            { "Name": "age", "AttributeDataType": "Number", "NumberAttributeConstraints": { "MinValue": "18" } }
        ]}))
        .await;
    let cases = [
        (("custom:nope", "x"), "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema."),
        (("custom:tier", "platinum"), "Attributes did not conform to the schema: custom:tier: String must be no longer than 4 characters."),
        (("custom:age", "12"), "Attributes did not conform to the schema: custom:age: Number must be no less than 18."),
        (("email_verified", "maybe"), "Attributes did not conform to the schema: email_verified: Boolean must be true or false."),
        (("sub", "mine"), "Attributes did not conform to the schema: sub: Attribute cannot be updated. (changing an immutable attribute)"),
        (("email", "not-an-email"), "Invalid email address format."),
        (("phone_number", "555-1212"), "Invalid phone number format."),
        (("email_verified", "true"), "Email is required to verify/un-verify an email"),
    ];
    for ((name, value), expected) in cases {
        let msg = s
            .err(
                "AdminCreateUser",
                json!({ "UserPoolId": pool, "Username": "hank", "UserAttributes": attrs(&[(name, value)]) }),
                "InvalidParameterException",
            )
            .await;
        assert_eq!(msg, expected, "{name}={value}");
    }
    let user = create(
        &s,
        &pool,
        "hank",
        &[
            ("custom:tier", "gold"),
            ("custom:age", "30"),
            ("email", "h@example.com"),
            ("email_verified", "True"),
        ],
    )
    .await;
    assert_eq!(attr(&user["Attributes"], "email_verified"), Some("true"));
    assert_eq!(attr(&user["Attributes"], "custom:tier"), Some("gold"));
    s.stop().await;
}

#[tokio::test]
async fn request_constraints_are_reported_like_aws() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null"
    );
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "a b", "MessageAction": "SHOUT" }),
            "InvalidParameterException",
        )
        .await;
    assert!(msg.starts_with("2 validation errors detected"), "{msg}");
    assert!(
        msg.contains("Member must satisfy enum value set: [RESEND, SUPPRESS]"),
        "{msg}"
    );
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "ivy",
                    "UserAttributes": [{ "Name": "x".repeat(33), "Value": "v" }] }),
            "InvalidParameterException",
        )
        .await;
    assert!(
        msg.contains("at 'userAttributes.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 32"),
        "{msg}"
    );
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "ivy", "DesiredDeliveryMediums": ["FAX"] }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value '[FAX]' at 'desiredDeliveryMediums' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [SMS, EMAIL]]"
    );
    s.err(
        "AdminCreateUser",
        json!({ "UserPoolId": "us-east-1_missing00", "Username": "ivy" }),
        "ResourceNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn resend_sends_a_new_temporary_password_only_before_first_sign_in() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let resend = |temp: &str| {
        json!({ "UserPoolId": pool, "Username": "jack", "MessageAction": "RESEND",
                "TemporaryPassword": temp, "DesiredDeliveryMediums": ["EMAIL"] })
    };
    let msg = s
        .err(
            "AdminCreateUser",
            resend("Second-Pass1"),
            "UserNotFoundException",
        )
        .await;
    assert_eq!(msg, "User does not exist.");
    create(&s, &pool, "jack", &[("email", "jack@example.com")]).await;
    let out = s.ok("AdminCreateUser", resend("Second-Pass1")).await;
    assert_eq!(out["User"]["Username"], "jack");
    assert_eq!(out["User"]["UserStatus"], "FORCE_CHANGE_PASSWORD");
    let messages = sent(&s, &pool).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0]["body"],
        "Your username is jack and temporary password is Second-Pass1."
    );
    s.ok(
        "AdminSetUserPassword",
        json!({ "UserPoolId": pool, "Username": "jack", "Password": "Final-Pass1", "Permanent": true }),
    )
    .await;
    let msg = s
        .err(
            "AdminCreateUser",
            resend("Third-Pass1"),
            "UnsupportedUserStateException",
        )
        .await;
    assert_eq!(
        msg,
        "Resend not possible. User status is not FORCE_CHANGE_PASSWORD."
    );
    assert_eq!(sent(&s, &pool).await.len(), 1);
    s.stop().await;
}

// --- sign-in attributes ---

#[tokio::test]
async fn case_insensitive_pools_resolve_any_case() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "UsernameConfiguration": { "CaseSensitive": false } }))
        .await;
    create(&s, &pool, "alice", &[]).await;
    let got = admin_get_user(&s, &pool, "ALICE").await;
    assert_eq!(got["Username"], "alice");
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "Alice" }),
            "UsernameExistsException",
        )
        .await;
    assert_eq!(msg, "User account already exists");
    s.ok(
        "AdminDisableUser",
        json!({ "UserPoolId": pool, "Username": "aLiCe" }),
    )
    .await;
    assert_eq!(admin_get_user(&s, &pool, "alice").await["Enabled"], false);
    assert_eq!(
        usernames(&s, &pool, r#"username = "ALICE""#).await,
        vec!["alice"]
    );
    // A case-sensitive pool keeps them apart.
    let strict = s.pool(json!({})).await;
    create(&s, &strict, "alice", &[]).await;
    create(&s, &strict, "Alice", &[]).await;
    s.err(
        "AdminGetUser",
        json!({ "UserPoolId": strict, "Username": "ALICE" }),
        "UserNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn username_attribute_pools_take_an_email_as_username() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({ "UsernameAttributes": ["email"] })).await;
    let out = s
        .ok(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "bob@example.com",
                    "TemporaryPassword": "Temp-Pass1", "DesiredDeliveryMediums": ["EMAIL"] }),
        )
        .await;
    let user = &out["User"];
    let sub = attr(&user["Attributes"], "sub").unwrap();
    assert_eq!(user["Username"], sub);
    assert_eq!(attr(&user["Attributes"], "email"), Some("bob@example.com"));
    let got = admin_get_user(&s, &pool, "bob@example.com").await;
    assert_eq!(got["Username"], sub);
    let messages = sent(&s, &pool).await;
    assert_eq!(
        messages[0]["body"],
        "Your username is bob@example.com and temporary password is Temp-Pass1."
    );
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "bob@example.com" }),
            "UsernameExistsException",
        )
        .await;
    assert_eq!(msg, "An account with the given email already exists.");
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "bob" }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(msg, "Username should be an email.");
    s.stop().await;
}

#[tokio::test]
async fn alias_pools_refuse_alias_shaped_usernames() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "AliasAttributes": ["email", "phone_number"] }))
        .await;
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "kim@example.com" }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "Username cannot be of email format, since user pool is configured for email alias."
    );
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "+15550001111" }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "Username cannot be of phone number format, since user pool is configured for phone_number alias."
    );
    s.stop().await;
}

#[tokio::test]
async fn a_verified_alias_belongs_to_one_user_unless_forced_over() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({ "AliasAttributes": ["email"] })).await;
    let verified = [("email", "shared@example.com"), ("email_verified", "true")];
    create(&s, &pool, "first", &verified).await;
    // Found by its verified alias.
    assert_eq!(
        admin_get_user(&s, &pool, "shared@example.com").await["Username"],
        "first"
    );
    let msg = s
        .err(
            "AdminCreateUser",
            json!({ "UserPoolId": pool, "Username": "second", "UserAttributes": attrs(&verified),
                    "MessageAction": "SUPPRESS" }),
            "AliasExistsException",
        )
        .await;
    assert_eq!(msg, "An account with the given email already exists.");
    // Unverified, the same address is no alias and no conflict.
    create(&s, &pool, "third", &[("email", "shared@example.com")]).await;
    s.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": pool, "Username": "second", "UserAttributes": attrs(&verified),
                "MessageAction": "SUPPRESS", "ForceAliasCreation": true }),
    )
    .await;
    let first = admin_get_user(&s, &pool, "first").await;
    assert_eq!(
        attr(&first["UserAttributes"], "email_verified"),
        Some("false")
    );
    assert_eq!(
        admin_get_user(&s, &pool, "shared@example.com").await["Username"],
        "second"
    );
    let msg = s
        .err(
            "AdminUpdateUserAttributes",
            json!({ "UserPoolId": pool, "Username": "third",
                    "UserAttributes": attrs(&[("email_verified", "true")]) }),
            "AliasExistsException",
        )
        .await;
    assert_eq!(msg, "An account with the given email already exists.");
    s.stop().await;
}

// --- AdminGetUser, AdminDeleteUser ---

#[tokio::test]
async fn get_and_delete_answer_user_not_found_for_strangers() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    for action in [
        "AdminGetUser",
        "AdminDeleteUser",
        "AdminEnableUser",
        "AdminDisableUser",
        "AdminResetUserPassword",
    ] {
        let msg = s
            .err(
                action,
                json!({ "UserPoolId": pool, "Username": "ghost" }),
                "UserNotFoundException",
            )
            .await;
        assert_eq!(msg, "User does not exist.", "{action}");
    }
    let msg = s
        .err(
            "AdminGetUser",
            json!({ "UserPoolId": "us-east-1_missing00", "Username": "ghost" }),
            "ResourceNotFoundException",
        )
        .await;
    assert_eq!(msg, "User pool us-east-1_missing00 does not exist.");
    let user = create(&s, &pool, "liz", &[]).await;
    let sub = attr(&user["Attributes"], "sub").unwrap().to_string();
    assert_eq!(admin_get_user(&s, &pool, &sub).await["Username"], "liz");
    s.ok(
        "AdminDeleteUser",
        json!({ "UserPoolId": pool, "Username": "liz" }),
    )
    .await;
    s.err(
        "AdminGetUser",
        json!({ "UserPoolId": pool, "Username": "liz" }),
        "UserNotFoundException",
    )
    .await;
    s.stop().await;
}

// --- AdminUpdateUserAttributes, AdminDeleteUserAttributes ---

#[tokio::test]
async fn changing_an_email_unverifies_it_unless_verified_in_the_same_call() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    create(
        &s,
        &pool,
        "mia",
        &[("email", "mia@example.com"), ("email_verified", "true")],
    )
    .await;
    let update = |pairs: &[(&str, &str)]| json!({ "UserPoolId": pool, "Username": "mia", "UserAttributes": attrs(pairs) });
    s.ok("AdminUpdateUserAttributes", update(&[("name", "Mia")]))
        .await;
    let got = admin_get_user(&s, &pool, "mia").await;
    assert_eq!(attr(&got["UserAttributes"], "email_verified"), Some("true"));
    assert_eq!(attr(&got["UserAttributes"], "name"), Some("Mia"));
    assert!(got["UserLastModifiedDate"].as_f64() >= got["UserCreateDate"].as_f64());
    s.ok(
        "AdminUpdateUserAttributes",
        update(&[("email", "new@example.com")]),
    )
    .await;
    let got = admin_get_user(&s, &pool, "mia").await;
    assert_eq!(
        attr(&got["UserAttributes"], "email"),
        Some("new@example.com")
    );
    assert_eq!(
        attr(&got["UserAttributes"], "email_verified"),
        Some("false")
    );
    s.ok(
        "AdminUpdateUserAttributes",
        update(&[("email", "third@example.com"), ("email_verified", "true")]),
    )
    .await;
    let got = admin_get_user(&s, &pool, "mia").await;
    assert_eq!(attr(&got["UserAttributes"], "email_verified"), Some("true"));
    s.ok(
        "AdminUpdateUserAttributes",
        update(&[("phone_number", "+15550002222")]),
    )
    .await;
    let got = admin_get_user(&s, &pool, "mia").await;
    assert_eq!(
        attr(&got["UserAttributes"], "phone_number_verified"),
        Some("false")
    );
    s.stop().await;
}

#[tokio::test]
async fn updates_are_checked_against_the_schema() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "Schema": [{ "Name": "plan", "AttributeDataType": "String", "Mutable": false }] }))
        .await;
    create(&s, &pool, "ned", &[("custom:plan", "basic")]).await;
    let update = |name: &str, value: &str| json!({ "UserPoolId": pool, "Username": "ned", "UserAttributes": attrs(&[(name, value)]) });
    let cases = [
        (
            ("custom:nope", "x"),
            "user.custom:nope: Attribute does not exist in the schema.\n",
        ),
        (
            ("custom:plan", "pro"),
            "user.custom:plan: Attribute cannot be updated. (changing an immutable attribute)\n",
        ),
        (
            ("sub", "x"),
            "user.sub: Attribute cannot be updated. (changing an immutable attribute)\n",
        ),
        (("email", "nope"), "Invalid email address format."),
        (
            ("phone_number_verified", "true"),
            "Phone Number is required to verify/un-verify a phone number",
        ),
    ];
    for ((name, value), expected) in cases {
        let msg = s
            .err(
                "AdminUpdateUserAttributes",
                update(name, value),
                "InvalidParameterException",
            )
            .await;
        assert_eq!(msg, expected, "{name}");
    }
    let msg = s
        .err(
            "AdminUpdateUserAttributes",
            json!({ "UserPoolId": pool, "Username": "ned", "UserAttributes": [{ "Name": "name" }] }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(msg, "Attribute value for name must not be null");
    s.err(
        "AdminUpdateUserAttributes",
        json!({ "UserPoolId": pool, "Username": "ned" }),
        "InvalidParameterException",
    )
    .await;
    let msg = s
        .err(
            "AdminUpdateUserAttributes",
            json!({ "UserPoolId": pool, "Username": "ghost", "UserAttributes": attrs(&[("name", "x")]) }),
            "UserNotFoundException",
        )
        .await;
    assert_eq!(msg, "User does not exist.");
    s.ok("AdminUpdateUserAttributes", update("name", "Ned"))
        .await;
    s.stop().await;
}

#[tokio::test]
async fn deleting_attributes_spares_required_ones_and_takes_verification_along() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "Schema": [{ "Name": "given_name", "Required": true }] }))
        .await;
    create(
        &s,
        &pool,
        "olga",
        &[
            ("given_name", "Olga"),
            ("email", "olga@example.com"),
            ("email_verified", "true"),
            ("name", "O"),
        ],
    )
    .await;
    let delete = |names: &[&str]| json!({ "UserPoolId": pool, "Username": "olga", "UserAttributeNames": names });
    let msg = s
        .err(
            "AdminDeleteUserAttributes",
            delete(&["given_name"]),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "Invalid user attributes: given_name: Required attribute cannot be deleted."
    );
    let msg = s
        .err(
            "AdminDeleteUserAttributes",
            delete(&["sub"]),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "Invalid user attributes: sub: Required attribute cannot be deleted."
    );
    let msg = s
        .err(
            "AdminDeleteUserAttributes",
            delete(&["custom:x"]),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "user.custom:x: Attribute does not exist in the schema.\n"
    );
    s.ok(
        "AdminDeleteUserAttributes",
        delete(&["email", "name", "locale"]),
    )
    .await;
    let got = admin_get_user(&s, &pool, "olga").await;
    let names: Vec<&str> = got["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["sub", "given_name"]);
    s.err(
        "AdminDeleteUserAttributes",
        json!({ "UserPoolId": pool, "Username": "ghost", "UserAttributeNames": ["name"] }),
        "UserNotFoundException",
    )
    .await;
    s.stop().await;
}

// --- AdminEnableUser, AdminDisableUser ---

#[tokio::test]
async fn disable_and_enable_flip_enabled() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    create(&s, &pool, "pat", &[]).await;
    s.ok(
        "AdminDisableUser",
        json!({ "UserPoolId": pool, "Username": "pat" }),
    )
    .await;
    assert_eq!(admin_get_user(&s, &pool, "pat").await["Enabled"], false);
    s.ok(
        "AdminDisableUser",
        json!({ "UserPoolId": pool, "Username": "pat" }),
    )
    .await;
    s.ok(
        "AdminEnableUser",
        json!({ "UserPoolId": pool, "Username": "pat" }),
    )
    .await;
    assert_eq!(admin_get_user(&s, &pool, "pat").await["Enabled"], true);
    s.stop().await;
}

// --- AdminSetUserPassword, AdminResetUserPassword ---

#[tokio::test]
async fn set_password_confirms_or_forces_a_change() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    create(&s, &pool, "quinn", &[]).await;
    let set = |password: &str, permanent: bool| json!({ "UserPoolId": pool, "Username": "quinn", "Password": password, "Permanent": permanent });
    s.ok("AdminSetUserPassword", set("Perm-Pass1", true)).await;
    assert_eq!(
        admin_get_user(&s, &pool, "quinn").await["UserStatus"],
        "CONFIRMED"
    );
    s.ok("AdminSetUserPassword", set("Temp-Pass2", false)).await;
    assert_eq!(
        admin_get_user(&s, &pool, "quinn").await["UserStatus"],
        "FORCE_CHANGE_PASSWORD"
    );
    let msg = s
        .err(
            "AdminSetUserPassword",
            set("Perm-Pass", true),
            "InvalidPasswordException",
        )
        .await;
    assert_eq!(
        msg,
        "Password does not conform to policy: Password must have numeric characters"
    );
    let msg = s
        .err(
            "AdminSetUserPassword",
            set(" Padded-Pass1", true),
            "InvalidParameterException",
        )
        .await;
    assert!(
        msg.contains("at 'password' failed to satisfy constraint"),
        "{msg}"
    );
    s.err(
        "AdminSetUserPassword",
        json!({ "UserPoolId": pool, "Username": "ghost", "Password": "Perm-Pass1" }),
        "UserNotFoundException",
    )
    .await;
    let relaxed = s
        .pool(
            json!({ "Policies": { "PasswordPolicy": { "MinimumLength": 6, "RequireUppercase": false,
            "RequireLowercase": false, "RequireNumbers": false, "RequireSymbols": false } } }),
        )
        .await;
    create(&s, &relaxed, "quinn", &[]).await;
    s.ok(
        "AdminSetUserPassword",
        json!({ "UserPoolId": relaxed, "Username": "quinn", "Password": "simple", "Permanent": true }),
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn reset_password_needs_a_confirmed_user_with_a_verified_channel() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    create(&s, &pool, "rita", &[("email", "rita@example.com")]).await;
    let reset = json!({ "UserPoolId": pool, "Username": "rita" });
    let msg = s
        .err(
            "AdminResetUserPassword",
            reset.clone(),
            "NotAuthorizedException",
        )
        .await;
    assert_eq!(msg, "User password cannot be reset in the current state.");
    s.ok(
        "AdminSetUserPassword",
        json!({ "UserPoolId": pool, "Username": "rita", "Password": "Perm-Pass1", "Permanent": true }),
    )
    .await;
    let msg = s
        .err(
            "AdminResetUserPassword",
            reset.clone(),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "Cannot reset password for the user as there is no registered/verified email or phone_number"
    );
    s.ok(
        "AdminUpdateUserAttributes",
        json!({ "UserPoolId": pool, "Username": "rita", "UserAttributes": attrs(&[("email_verified", "true")]) }),
    )
    .await;
    s.ok("AdminResetUserPassword", reset).await;
    assert_eq!(
        admin_get_user(&s, &pool, "rita").await["UserStatus"],
        "RESET_REQUIRED"
    );
    s.stop().await;
}

// --- ListUsers ---

#[tokio::test]
async fn list_users_filters_by_equality_prefix_and_status() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    create(
        &s,
        &pool,
        "anna",
        &[("email", "anna@example.com"), ("given_name", "Anna")],
    )
    .await;
    create(
        &s,
        &pool,
        "andy",
        &[("email", "andy@example.org"), ("given_name", "Andy")],
    )
    .await;
    let bo = create(
        &s,
        &pool,
        "bo",
        &[("email", "bo@example.com"), ("family_name", "Say \"Bo\"")],
    )
    .await;
    s.ok(
        "AdminDisableUser",
        json!({ "UserPoolId": pool, "Username": "andy" }),
    )
    .await;
    s.ok(
        "AdminSetUserPassword",
        json!({ "UserPoolId": pool, "Username": "bo", "Password": "Perm-Pass1", "Permanent": true }),
    )
    .await;
    assert_eq!(usernames(&s, &pool, "").await, vec!["andy", "anna", "bo"]);
    assert_eq!(
        usernames(&s, &pool, r#"email = "anna@example.com""#).await,
        vec!["anna"]
    );
    assert_eq!(
        usernames(&s, &pool, r#"email ^= "an""#).await,
        vec!["andy", "anna"]
    );
    assert_eq!(
        usernames(&s, &pool, r#"given_name^="And""#).await,
        vec!["andy"]
    );
    assert_eq!(usernames(&s, &pool, r#"username ^= "b""#).await, vec!["bo"]);
    assert_eq!(
        usernames(&s, &pool, r#"family_name = "Say \"Bo\"""#).await,
        vec!["bo"]
    );
    assert_eq!(
        usernames(&s, &pool, r#"status = "Disabled""#).await,
        vec!["andy"]
    );
    assert_eq!(
        usernames(&s, &pool, r#"status = "Enabled""#).await,
        vec!["anna", "bo"]
    );
    assert_eq!(
        usernames(&s, &pool, r#"cognito:user_status = "CONFIRMED""#).await,
        vec!["bo"]
    );
    assert_eq!(
        usernames(
            &s,
            &pool,
            r#"cognito:user_status = "force_change_password""#
        )
        .await,
        vec!["andy", "anna"]
    );
    let sub = attr(&bo["Attributes"], "sub").unwrap();
    assert_eq!(
        usernames(&s, &pool, &format!(r#"sub = "{sub}""#)).await,
        vec!["bo"]
    );
    assert!(usernames(&s, &pool, r#"email = "nobody@example.com""#)
        .await
        .is_empty());
    let msg = s
        .err(
            "ListUsers",
            json!({ "UserPoolId": pool, "Filter": "email = anna" }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(msg, "Error while parsing filter.");
    let msg = s
        .err(
            "ListUsers",
            json!({ "UserPoolId": pool, "Filter": "custom:tier = \"gold\"" }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(msg, "Invalid search attribute: custom:tier");
    s.stop().await;
}

#[tokio::test]
async fn list_users_returns_only_the_attributes_asked_for() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    create(
        &s,
        &pool,
        "cy",
        &[("email", "cy@example.com"), ("name", "Cy")],
    )
    .await;
    let out = s
        .ok(
            "ListUsers",
            json!({ "UserPoolId": pool, "AttributesToGet": ["email"] }),
        )
        .await;
    let user = &out["Users"][0];
    assert_eq!(
        user["Attributes"],
        json!([{ "Name": "email", "Value": "cy@example.com" }])
    );
    assert_eq!(user["Username"], "cy");
    assert_eq!(user["UserStatus"], "FORCE_CHANGE_PASSWORD");
    assert_eq!(user["Enabled"], true);
    assert!(out.get("PaginationToken").is_none());
    let msg = s
        .err(
            "ListUsers",
            json!({ "UserPoolId": pool, "AttributesToGet": ["custom:nope"] }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "Invalid attribute name in AttributesToGet: custom:nope"
    );
    s.err(
        "ListUsers",
        json!({ "UserPoolId": pool, "Limit": 61 }),
        "InvalidParameterException",
    )
    .await;
    s.err(
        "ListUsers",
        json!({ "UserPoolId": pool, "PaginationToken": "not base64!" }),
        "InvalidParameterException",
    )
    .await;
    s.err(
        "ListUsers",
        json!({ "UserPoolId": "us-east-1_missing00" }),
        "ResourceNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn list_users_pages_stay_valid_while_users_are_added() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let originals: Vec<String> = (0..7).map(|i| format!("user{i:02}")).collect();
    for name in &originals {
        create(&s, &pool, name, &[]).await;
    }
    let mut seen: Vec<String> = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut req = json!({ "UserPoolId": pool, "Limit": 3 });
        if let Some(t) = &token {
            req["PaginationToken"] = json!(t);
        }
        let page = s.ok("ListUsers", req).await;
        let users = page["Users"].as_array().unwrap();
        assert!(users.len() <= 3);
        seen.extend(
            users
                .iter()
                .map(|u| u["Username"].as_str().unwrap().to_string()),
        );
        pages += 1;
        if pages == 1 {
            // Users sorting before and after the page boundary arrive mid-listing.
            create(&s, &pool, "aaa-early", &[]).await;
            create(&s, &pool, "zzz-late", &[]).await;
            s.ok(
                "AdminDeleteUser",
                json!({ "UserPoolId": pool, "Username": "user05" }),
            )
            .await;
        }
        match page["PaginationToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "no user twice: {seen:?}");
    for name in originals.iter().filter(|n| *n != "user05") {
        assert!(seen.contains(name), "{name} missing from {seen:?}");
    }
    assert!(!seen.contains(&"user05".to_string()));
    assert!(seen.contains(&"zzz-late".to_string()));
    assert!(
        !seen.contains(&"aaa-early".to_string()),
        "already paged past: {seen:?}"
    );
    s.stop().await;
}
