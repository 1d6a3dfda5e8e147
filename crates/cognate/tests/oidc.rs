//! The OIDC documents over HTTP: `/{poolId}/.well-known/jwks.json` and
//! `/{poolId}/.well-known/openid-configuration`, with tokens signed by the engine and checked
//! by an independent JWT library (`jsonwebtoken`), as a resource server would.
// The helpers below are not `#[test]` functions; a failed unwrap in them is a failed test.
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::sync::Arc;

use cognate::config::ServeArgs;
use cognate_core::service::keys::TokenUse;
use cognate_core::Service;
use common::{unique, TestServer};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};

struct Doc {
    status: u16,
    cache_control: Option<String>,
    content_type: Option<String>,
    body: Value,
}

async fn get(s: &TestServer, path: &str) -> Doc {
    let resp = reqwest::get(format!("{}{path}", s.base)).await.unwrap();
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (cache_control, content_type) = (header("cache-control"), header("content-type"));
    let status = resp.status().as_u16();
    let body = resp.json().await.unwrap();
    Doc {
        status,
        cache_control,
        content_type,
        body,
    }
}

async fn jwks(s: &TestServer, pool: &str) -> Value {
    let doc = get(s, &format!("/{pool}/.well-known/jwks.json")).await;
    assert_eq!(doc.status, 200, "{}", doc.body);
    doc.body
}

fn kids(jwks: &Value) -> Vec<String> {
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_string())
        .collect()
}

fn service(s: &TestServer) -> &Arc<Service> {
    &s.server.as_ref().unwrap().service
}

fn claims(s: &TestServer, pool: &str, token_use: &str) -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    json!({
        "sub": "5b1c7d9e-0000-4000-8000-000000000001",
        "iss": service(s).issuer(pool),
        "token_use": token_use,
        "iat": now,
        "exp": now + 3600,
    })
}

async fn sign(s: &TestServer, pool: &str, use_for: TokenUse) -> String {
    let token_use = use_for.as_str();
    service(s)
        .sign_token(pool, use_for, &claims(s, pool, token_use))
        .await
        .unwrap()
}

/// Verifies `token` the way a resource server does: the key named by its `kid`, from the JWKS.
fn verify_with(jwks: &Value, token: &str, issuer: &str) -> Value {
    let set: JwkSet = serde_json::from_value(jwks.clone()).unwrap();
    let kid = decode_header(token).unwrap().kid.unwrap();
    let jwk = set
        .find(&kid)
        .unwrap_or_else(|| panic!("{kid} not in {jwks}"));
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[issuer]);
    decode::<Value>(token, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
        .unwrap()
        .claims
}

fn kid_of(token: &str) -> String {
    decode_header(token).unwrap().kid.unwrap()
}

#[tokio::test]
async fn jwks_has_an_id_key_and_an_access_key_after_the_first_tokens() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let id_token = sign(&s, &pool, TokenUse::Id).await;
    let access_token = sign(&s, &pool, TokenUse::Access).await;
    assert_ne!(kid_of(&id_token), kid_of(&access_token));

    let doc = get(&s, &format!("/{pool}/.well-known/jwks.json")).await;
    assert_eq!(doc.status, 200);
    assert_eq!(doc.cache_control.as_deref(), Some("public, max-age=60"));
    assert_eq!(doc.content_type.as_deref(), Some("application/json"));
    assert_eq!(
        kids(&doc.body),
        vec![kid_of(&id_token), kid_of(&access_token)]
    );
    for key in doc.body["keys"].as_array().unwrap() {
        let mut members: Vec<&str> = key
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        members.sort_unstable();
        assert_eq!(members, ["alg", "e", "kid", "kty", "n", "use"]);
        assert_eq!(key["alg"], "RS256");
        assert_eq!(key["kty"], "RSA");
        assert_eq!(key["use"], "sig");
        assert_eq!(key["e"], "AQAB");
        assert_eq!(key["n"].as_str().unwrap().len(), 342, "a 2048-bit modulus");
    }

    let issuer = service(&s).issuer(&pool);
    assert_eq!(
        verify_with(&doc.body, &id_token, &issuer)["token_use"],
        "id"
    );
    assert_eq!(
        verify_with(&doc.body, &access_token, &issuer)["token_use"],
        "access"
    );
    s.stop().await;
}

#[tokio::test]
async fn a_pool_that_never_signed_publishes_the_keys_it_will_sign_with() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let published = kids(&jwks(&s, &pool).await);
    assert_eq!(published.len(), 2);
    assert_eq!(kid_of(&sign(&s, &pool, TokenUse::Id).await), published[0]);
    assert_eq!(
        kid_of(&sign(&s, &pool, TokenUse::Access).await),
        published[1]
    );
    // Asking again changes nothing.
    assert_eq!(kids(&jwks(&s, &pool).await), published);
    s.stop().await;
}

#[tokio::test]
async fn the_discovery_document_names_the_issuer_the_keys_and_the_oauth_endpoints() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let issuer = format!("{}/{pool}", s.base);
    let doc = get(&s, &format!("/{pool}/.well-known/openid-configuration")).await;
    assert_eq!(doc.status, 200, "{}", doc.body);
    assert_eq!(doc.cache_control.as_deref(), Some("public, max-age=300"));
    // Without a domain, the OAuth endpoints are served under the issuer.
    assert_eq!(
        doc.body,
        json!({
            "authorization_endpoint": format!("{issuer}/oauth2/authorize"),
            "end_session_endpoint": format!("{issuer}/logout"),
            "id_token_signing_alg_values_supported": ["RS256"],
            "issuer": issuer,
            "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
            "response_types_supported": ["code", "token"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "subject_types_supported": ["public"],
            "token_endpoint": format!("{issuer}/oauth2/token"),
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "userinfo_endpoint": format!("{issuer}/oauth2/userInfo"),
        })
    );
    // Members in Cognito's order (alphabetical), not just the same set.
    let text = reqwest::get(format!("{issuer}/.well-known/openid-configuration"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.starts_with(r#"{"authorization_endpoint":"#), "{text}");
    // The issuer is the one tokens carry.
    assert_eq!(service(&s).issuer(&pool), issuer);
    s.stop().await;
}

#[tokio::test]
async fn with_a_domain_the_oauth_endpoints_move_to_it() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let port = s.base.rsplit(':').next().unwrap().to_string();
    let prefix = unique("auth").to_lowercase();
    s.ok(
        "CreateUserPoolDomain",
        json!({ "UserPoolId": pool, "Domain": prefix }),
    )
    .await;
    let doc = get(&s, &format!("/{pool}/.well-known/openid-configuration")).await;
    let hosted = format!("http://{prefix}.auth.localhost:{port}");
    assert_eq!(
        doc.body["authorization_endpoint"],
        format!("{hosted}/oauth2/authorize")
    );
    assert_eq!(doc.body["token_endpoint"], format!("{hosted}/oauth2/token"));
    assert_eq!(
        doc.body["userinfo_endpoint"],
        format!("{hosted}/oauth2/userInfo")
    );
    assert_eq!(doc.body["end_session_endpoint"], format!("{hosted}/logout"));
    // The issuer and the keys stay where they were.
    assert_eq!(doc.body["issuer"], format!("{}/{pool}", s.base));

    // A custom domain wins over the prefix domain.
    let custom = format!("{}.example.com", unique("login").to_lowercase());
    s.ok(
        "CreateUserPoolDomain",
        json!({ "UserPoolId": pool, "Domain": custom, "CustomDomainConfig": {
            "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
        } }),
    )
    .await;
    let doc = get(&s, &format!("/{pool}/.well-known/openid-configuration")).await;
    assert_eq!(
        doc.body["token_endpoint"],
        format!("http://{custom}:{port}/oauth2/token")
    );
    s.stop().await;
}

#[tokio::test]
async fn rotation_keeps_old_keys_published_and_signs_with_new_ones() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let issuer = service(&s).issuer(&pool);
    let old_id = sign(&s, &pool, TokenUse::Id).await;
    let old_access = sign(&s, &pool, TokenUse::Access).await;
    let old_kids = kids(&jwks(&s, &pool).await);

    let new_kids = service(&s).rotate_keys(&pool).await.unwrap();
    assert_eq!(new_kids.len(), 2);
    let new_id = sign(&s, &pool, TokenUse::Id).await;
    let new_access = sign(&s, &pool, TokenUse::Access).await;
    assert_eq!(kid_of(&new_id), new_kids[0]);
    assert_eq!(kid_of(&new_access), new_kids[1]);

    // The new keys first, then the old ones until their tokens have expired.
    let published = jwks(&s, &pool).await;
    let listed = kids(&published);
    assert_eq!(listed.len(), 4);
    assert_eq!(listed[..2], new_kids[..]);
    assert!(old_kids.iter().all(|k| listed[2..].contains(k)));

    // Tokens from before the rotation still verify against the published keys, and so do new.
    for token in [&old_id, &old_access, &new_id, &new_access] {
        assert_eq!(verify_with(&published, token, &issuer)["iss"], issuer);
    }
    // And the engine accepts both.
    service(&s).verify_token(&pool, &old_id).await.unwrap();
    service(&s).verify_token(&pool, &new_access).await.unwrap();
    s.stop().await;
}

#[tokio::test]
async fn keys_rotate_from_the_command_line_reaches_a_running_server() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let issuer = service(&s).issuer(&pool);
    let before = sign(&s, &pool, TokenUse::Access).await;

    // What `cognate keys rotate --pool ID --data-dir …` does: another process on the same
    // database and master key file.
    let settings = ServeArgs {
        data_dir: Some(s.data_dir.clone()),
        database_url: std::env::var("COGNATE_TEST_DATABASE_URL").ok(),
        ..Default::default()
    }
    .resolve()
    .unwrap();
    let new_kids = cognate::keys::rotate(&settings, &pool).await.unwrap();
    assert_eq!(new_kids.len(), 2);

    // The server publishes the new keys at once, beside the old ones.
    let published = jwks(&s, &pool).await;
    assert_eq!(kids(&published)[..2], new_kids[..]);
    assert_eq!(kids(&published).len(), 4);
    assert_eq!(
        verify_with(&published, &before, &issuer)["token_use"],
        "access"
    );

    // An unknown pool is refused, and a tool with another master key may not add keys.
    assert!(cognate::keys::rotate(&settings, "us-east-1_NoSuchPool")
        .await
        .is_err());
    let stranger = s.data_dir.join("other.key");
    std::fs::write(&stranger, [7u8; 32]).unwrap();
    let wrong_key = cognate::config::Settings {
        master_key_file: stranger,
        ..settings.clone()
    };
    let err = cognate::keys::rotate(&wrong_key, &pool).await.unwrap_err();
    assert!(format!("{err:#}").contains("master key"), "{err:#}");
    assert_eq!(kids(&jwks(&s, &pool).await).len(), 4);
    // Nor does it make a master key where there is none.
    let missing = cognate::config::Settings {
        master_key_file: s.data_dir.join("absent.key"),
        ..settings
    };
    assert!(cognate::keys::rotate(&missing, &pool).await.is_err());
    assert!(!s.data_dir.join("absent.key").exists());
    s.stop().await;
}

#[tokio::test]
async fn the_master_key_file_is_made_on_first_start_and_seals_the_keys() {
    let s = TestServer::start().await;
    let path = s.data_dir.join("master.key");
    assert_eq!(std::fs::read(&path).unwrap().len(), 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let pool = s.pool(json!({})).await;
    jwks(&s, &pool).await;
    let stored = service(&s).store().list_signing_keys(&pool).await.unwrap();
    assert_eq!(stored.len(), 2);
    for key in stored {
        assert!(key.private_pem.starts_with("v1:"));
        assert!(!key.private_pem.contains("PRIVATE KEY"));
    }
    s.stop().await;
}

#[tokio::test]
async fn unknown_pools_are_404_with_cognitos_message() {
    let s = TestServer::start().await;
    for doc in ["jwks.json", "openid-configuration"] {
        let res = get(&s, &format!("/us-east-1_NoSuchPool/.well-known/{doc}")).await;
        assert_eq!(res.status, 404);
        assert_eq!(
            res.body,
            json!({ "message": "User pool us-east-1_NoSuchPool does not exist." })
        );
        let res = get(&s, &format!("/not-a-pool-id/.well-known/{doc}")).await;
        assert_eq!(res.status, 404);
        assert_eq!(
            res.body,
            json!({ "message": "User pool not-a-pool-id does not exist." })
        );
    }
    // A deleted pool is unknown too.
    let pool = s.pool(json!({})).await;
    jwks(&s, &pool).await;
    s.ok("DeleteUserPool", json!({ "UserPoolId": pool })).await;
    let res = get(&s, &format!("/{pool}/.well-known/jwks.json")).await;
    assert_eq!(res.status, 404);
    s.stop().await;
}
