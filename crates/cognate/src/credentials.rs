//! The root principal's access key: from `COGNATE_ADMIN_ACCESS_KEY_ID` /
//! `COGNATE_ADMIN_SECRET_ACCESS_KEY`, else from `{data-dir}/credentials`, else generated on
//! first start and written there (mode 0600, AWS shared-credentials format, profile `cognate`).

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use cognate_crypto::sigv4::Credentials;
use rand::Rng;

pub const PROFILE: &str = "cognate";

pub fn load_or_create(data_dir: &Path) -> Result<Credentials> {
    let id = std::env::var("COGNATE_ADMIN_ACCESS_KEY_ID").ok();
    let secret = std::env::var("COGNATE_ADMIN_SECRET_ACCESS_KEY").ok();
    match (id, secret) {
        (Some(access_key_id), Some(secret_access_key)) => {
            return Ok(Credentials {
                access_key_id,
                secret_access_key,
            })
        }
        (None, None) => {}
        _ => bail!(
            "set both COGNATE_ADMIN_ACCESS_KEY_ID and COGNATE_ADMIN_SECRET_ACCESS_KEY, or neither"
        ),
    }
    let path = data_dir.join("credentials");
    if path.exists() {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        return parse(&text).with_context(|| format!("no [{PROFILE}] keys in {}", path.display()));
    }
    let creds = generate();
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    write_private(
        &path,
        &format!(
            "[{PROFILE}]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            creds.access_key_id, creds.secret_access_key
        ),
    )?;
    tracing::info!(path = %path.display(), "generated admin credentials (profile `{PROFILE}`)");
    Ok(creds)
}

fn generate() -> Credentials {
    const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const SECRET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut rng = rand::rngs::OsRng;
    let mut pick = |alphabet: &[u8], n: usize| -> String {
        (0..n)
            .map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char)
            .collect()
    };
    Credentials {
        access_key_id: format!("AKIA{}", pick(UPPER, 16)),
        secret_access_key: pick(SECRET, 40),
    }
}

fn parse(text: &str) -> Option<Credentials> {
    let mut in_profile = false;
    let (mut id, mut secret) = (None, None);
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_profile = line == format!("[{PROFILE}]");
            continue;
        }
        if !in_profile {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            match k.trim() {
                "aws_access_key_id" => id = Some(v.trim().to_string()),
                "aws_secret_access_key" => secret = Some(v.trim().to_string()),
                _ => {}
            }
        }
    }
    Some(Credentials {
        access_key_id: id?,
        secret_access_key: secret?,
    })
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_credentials_round_trip_through_the_file() {
        let dir = std::env::temp_dir().join(format!("cognate-cred-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let first = load_or_create(&dir).unwrap();
        assert!(first.access_key_id.starts_with("AKIA"));
        assert_eq!(first.secret_access_key.len(), 40);
        let again = load_or_create(&dir).unwrap();
        assert_eq!(first.access_key_id, again.access_key_id);
        assert_eq!(first.secret_access_key, again.secret_access_key);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("credentials"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
