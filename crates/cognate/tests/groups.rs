//! Group actions over HTTP: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
//! AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.

mod common;

use common::TestServer;
use serde_json::{json, Value};

const ROLE: &str = "arn:aws:iam::123456789012:role/admins";

async fn group(s: &TestServer, pool: &str, name: &str) -> Value {
    s.ok(
        "CreateGroup",
        json!({ "UserPoolId": pool, "GroupName": name }),
    )
    .await["Group"]
        .clone()
}

async fn user(s: &TestServer, pool: &str, name: &str) {
    s.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": pool, "Username": name, "MessageAction": "SUPPRESS" }),
    )
    .await;
}

async fn add(s: &TestServer, pool: &str, username: &str, group: &str) {
    s.ok(
        "AdminAddUserToGroup",
        json!({ "UserPoolId": pool, "Username": username, "GroupName": group }),
    )
    .await;
}

fn names(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g[key].as_str())
        .map(str::to_string)
        .collect()
}

async fn groups_of(s: &TestServer, pool: &str, username: &str) -> Vec<String> {
    let out = s
        .ok(
            "AdminListGroupsForUser",
            json!({ "UserPoolId": pool, "Username": username }),
        )
        .await;
    names(&out["Groups"], "GroupName")
}

async fn members(s: &TestServer, pool: &str, group: &str) -> Vec<String> {
    let out = s
        .ok(
            "ListUsersInGroup",
            json!({ "UserPoolId": pool, "GroupName": group }),
        )
        .await;
    names(&out["Users"], "Username")
}

#[tokio::test]
async fn create_and_get_return_the_group_type() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let out = s
        .ok(
            "CreateGroup",
            json!({ "UserPoolId": pool, "GroupName": "admins", "Description": "The admins",
                    "RoleArn": ROLE, "Precedence": 1 }),
        )
        .await;
    let created = &out["Group"];
    assert_eq!(created["GroupName"], "admins");
    assert_eq!(created["UserPoolId"], pool);
    assert_eq!(created["Description"], "The admins");
    assert_eq!(created["RoleArn"], ROLE);
    assert_eq!(created["Precedence"], 1);
    assert!(created["CreationDate"].as_f64().unwrap() > 1.7e9);
    assert_eq!(created["CreationDate"], created["LastModifiedDate"]);
    let got = s
        .ok(
            "GetGroup",
            json!({ "UserPoolId": pool, "GroupName": "admins" }),
        )
        .await;
    assert_eq!(&got["Group"], created);
    let bare = group(&s, &pool, "readers").await;
    assert!(bare.get("Description").is_none());
    assert!(bare.get("RoleArn").is_none());
    assert!(bare.get("Precedence").is_none());
    s.stop().await;
}

#[tokio::test]
async fn create_refuses_duplicates_bad_input_and_unknown_pools() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    group(&s, &pool, "admins").await;
    let msg = s
        .err(
            "CreateGroup",
            json!({ "UserPoolId": pool, "GroupName": "admins" }),
            "GroupExistsException",
        )
        .await;
    assert_eq!(msg, "A group with the name already exists.");
    let msg = s
        .err(
            "CreateGroup",
            json!({ "UserPoolId": pool, "GroupName": "x", "RoleArn": "arn:not-really-a-role" }),
            "InvalidParameterException",
        )
        .await;
    assert!(
        msg.starts_with("1 validation error detected: Value 'arn:not-really-a-role' at 'roleArn'"),
        "{msg}"
    );
    let msg = s
        .err(
            "CreateGroup",
            json!({ "UserPoolId": pool, "GroupName": "x", "Precedence": -1 }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0"
    );
    s.err(
        "CreateGroup",
        json!({ "UserPoolId": pool, "GroupName": "x".repeat(129) }),
        "InvalidParameterException",
    )
    .await;
    s.err(
        "CreateGroup",
        json!({ "UserPoolId": pool, "GroupName": "x", "Description": "d".repeat(2049) }),
        "InvalidParameterException",
    )
    .await;
    let msg = s
        .err(
            "CreateGroup",
            json!({ "UserPoolId": "us-east-1_missing00", "GroupName": "x" }),
            "ResourceNotFoundException",
        )
        .await;
    assert_eq!(msg, "User pool us-east-1_missing00 does not exist.");
    s.stop().await;
}

#[tokio::test]
async fn update_changes_only_the_members_given() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    s.ok(
        "CreateGroup",
        json!({ "UserPoolId": pool, "GroupName": "ops", "Description": "Operators",
                "RoleArn": ROLE, "Precedence": 5 }),
    )
    .await;
    let out = s
        .ok(
            "UpdateGroup",
            json!({ "UserPoolId": pool, "GroupName": "ops", "Precedence": 2 }),
        )
        .await;
    assert_eq!(out["Group"]["Precedence"], 2);
    assert_eq!(out["Group"]["Description"], "Operators");
    assert_eq!(out["Group"]["RoleArn"], ROLE);
    let got = s
        .ok(
            "GetGroup",
            json!({ "UserPoolId": pool, "GroupName": "ops" }),
        )
        .await;
    assert_eq!(got["Group"], out["Group"]);
    assert!(got["Group"]["LastModifiedDate"].as_f64() >= got["Group"]["CreationDate"].as_f64());
    let out = s
        .ok(
            "UpdateGroup",
            json!({ "UserPoolId": pool, "GroupName": "ops", "Description": "Ops" }),
        )
        .await;
    assert_eq!(out["Group"]["Description"], "Ops");
    assert_eq!(out["Group"]["Precedence"], 2);
    let msg = s
        .err(
            "UpdateGroup",
            json!({ "UserPoolId": pool, "GroupName": "nope", "Precedence": 1 }),
            "ResourceNotFoundException",
        )
        .await;
    assert_eq!(msg, "Group not found.");
    s.stop().await;
}

#[tokio::test]
async fn delete_removes_the_group_and_its_memberships() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    group(&s, &pool, "temp").await;
    user(&s, &pool, "ann").await;
    add(&s, &pool, "ann", "temp").await;
    s.ok(
        "DeleteGroup",
        json!({ "UserPoolId": pool, "GroupName": "temp" }),
    )
    .await;
    for action in ["GetGroup", "DeleteGroup"] {
        let msg = s
            .err(
                action,
                json!({ "UserPoolId": pool, "GroupName": "temp" }),
                "ResourceNotFoundException",
            )
            .await;
        assert_eq!(msg, "Group not found.", "{action}");
    }
    assert!(groups_of(&s, &pool, "ann").await.is_empty());
    // A group of the same name starts empty.
    group(&s, &pool, "temp").await;
    assert!(members(&s, &pool, "temp").await.is_empty());
    s.stop().await;
}

#[tokio::test]
async fn list_groups_pages_in_name_order() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    for name in ["delta", "alpha", "echo", "charlie", "bravo"] {
        group(&s, &pool, name).await;
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut req = json!({ "UserPoolId": pool, "Limit": 2 });
        if let Some(t) = &token {
            req["NextToken"] = json!(t);
        }
        let page = s.ok("ListGroups", req).await;
        let groups = names(&page["Groups"], "GroupName");
        assert!(groups.len() <= 2);
        seen.extend(groups);
        match page["NextToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, vec!["alpha", "bravo", "charlie", "delta", "echo"]);
    let all = s.ok("ListGroups", json!({ "UserPoolId": pool })).await;
    assert_eq!(all["Groups"].as_array().unwrap().len(), 5);
    assert!(all.get("NextToken").is_none());
    s.err(
        "ListGroups",
        json!({ "UserPoolId": pool, "Limit": 61 }),
        "InvalidParameterException",
    )
    .await;
    s.err(
        "ListGroups",
        json!({ "UserPoolId": "us-east-1_missing00" }),
        "ResourceNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn membership_is_listed_both_ways_and_is_idempotent() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    group(&s, &pool, "admins").await;
    group(&s, &pool, "staff").await;
    user(&s, &pool, "bea").await;
    user(&s, &pool, "cal").await;
    add(&s, &pool, "bea", "staff").await;
    add(&s, &pool, "bea", "admins").await;
    add(&s, &pool, "bea", "admins").await;
    add(&s, &pool, "cal", "staff").await;
    assert_eq!(groups_of(&s, &pool, "bea").await, vec!["admins", "staff"]);
    assert_eq!(members(&s, &pool, "staff").await, vec!["bea", "cal"]);
    let out = s
        .ok(
            "ListUsersInGroup",
            json!({ "UserPoolId": pool, "GroupName": "admins" }),
        )
        .await;
    let member = &out["Users"][0];
    assert_eq!(member["Username"], "bea");
    assert_eq!(member["UserStatus"], "FORCE_CHANGE_PASSWORD");
    assert_eq!(member["Attributes"][0]["Name"], "sub");
    let remove = json!({ "UserPoolId": pool, "Username": "bea", "GroupName": "staff" });
    s.ok("AdminRemoveUserFromGroup", remove.clone()).await;
    s.ok("AdminRemoveUserFromGroup", remove).await;
    assert_eq!(groups_of(&s, &pool, "bea").await, vec!["admins"]);
    assert_eq!(members(&s, &pool, "staff").await, vec!["cal"]);
    // Deleting a user ends their memberships.
    s.ok(
        "AdminDeleteUser",
        json!({ "UserPoolId": pool, "Username": "cal" }),
    )
    .await;
    assert!(members(&s, &pool, "staff").await.is_empty());
    s.stop().await;
}

#[tokio::test]
async fn membership_actions_name_what_is_missing() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    group(&s, &pool, "staff").await;
    user(&s, &pool, "dan").await;
    for action in ["AdminAddUserToGroup", "AdminRemoveUserFromGroup"] {
        let msg = s
            .err(
                action,
                json!({ "UserPoolId": pool, "Username": "ghost", "GroupName": "staff" }),
                "UserNotFoundException",
            )
            .await;
        assert_eq!(msg, "User does not exist.", "{action}");
        let msg = s
            .err(
                action,
                json!({ "UserPoolId": pool, "Username": "dan", "GroupName": "nope" }),
                "ResourceNotFoundException",
            )
            .await;
        assert_eq!(msg, "Group not found.", "{action}");
    }
    let msg = s
        .err(
            "AdminListGroupsForUser",
            json!({ "UserPoolId": pool, "Username": "ghost" }),
            "UserNotFoundException",
        )
        .await;
    assert_eq!(msg, "User does not exist.");
    let msg = s
        .err(
            "ListUsersInGroup",
            json!({ "UserPoolId": pool, "GroupName": "nope" }),
            "ResourceNotFoundException",
        )
        .await;
    assert_eq!(msg, "Group not found.");
    let msg = s
        .err(
            "AdminAddUserToGroup",
            json!({ "UserPoolId": pool, "Username": "dan" }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value null at 'groupName' failed to satisfy constraint: Member must not be null"
    );
    s.stop().await;
}

#[tokio::test]
async fn membership_follows_the_pool_username_rules() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "UsernameConfiguration": { "CaseSensitive": false } }))
        .await;
    group(&s, &pool, "staff").await;
    user(&s, &pool, "erin").await;
    add(&s, &pool, "ERIN", "staff").await;
    assert_eq!(groups_of(&s, &pool, "Erin").await, vec!["staff"]);
    assert_eq!(members(&s, &pool, "staff").await, vec!["erin"]);
    let by_email = s.pool(json!({ "UsernameAttributes": ["email"] })).await;
    group(&s, &by_email, "staff").await;
    user(&s, &by_email, "fay@example.com").await;
    add(&s, &by_email, "fay@example.com", "staff").await;
    assert_eq!(
        groups_of(&s, &by_email, "fay@example.com").await,
        vec!["staff"]
    );
    let listed = members(&s, &by_email, "staff").await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].len(), 36, "the generated username: {listed:?}");
    s.stop().await;
}

#[tokio::test]
async fn a_user_belongs_to_at_most_one_hundred_groups() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    user(&s, &pool, "gus").await;
    for i in 0..101 {
        group(&s, &pool, &format!("g{i:03}")).await;
    }
    for i in 0..100 {
        add(&s, &pool, "gus", &format!("g{i:03}")).await;
    }
    let msg = s
        .err(
            "AdminAddUserToGroup",
            json!({ "UserPoolId": pool, "Username": "gus", "GroupName": "g100" }),
            "LimitExceededException",
        )
        .await;
    assert_eq!(msg, "A user can be a member of at most 100 groups.");
    // Adding to a group the user is already in is still fine at the limit.
    add(&s, &pool, "gus", "g000").await;
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut req = json!({ "UserPoolId": pool, "Username": "gus", "Limit": 60 });
        if let Some(t) = &token {
            req["NextToken"] = json!(t);
        }
        let page = s.ok("AdminListGroupsForUser", req).await;
        seen.extend(names(&page["Groups"], "GroupName"));
        match page["NextToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 100);
    assert_eq!(seen.first().map(String::as_str), Some("g000"));
    assert_eq!(seen.last().map(String::as_str), Some("g099"));
    s.stop().await;
}
