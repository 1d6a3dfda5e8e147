//! The master key file (`--master-key-file`, default `{data-dir}/master.key`): 32 random bytes
//! that seal every secret the store keeps (signing keys first). The server makes it on first
//! start, mode 0600; tools that only use an existing database (`cognate keys rotate`) never do,
//! since keys sealed under a stray new master key would be unreadable to the servers.
//!
//! The file holds the 32 bytes raw, as written here, or base64-encoded (44 characters, for keys
//! kept in a secrets manager). Every node sharing a database must read the same key.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cognate_crypto::secretbox::{MasterKey, KEY_LEN};

/// Reads the key, or creates the file with a fresh key if there is none.
pub fn load_or_create(path: &Path) -> Result<MasterKey> {
    if !path.exists() {
        create(path)?;
    }
    load(path)
}

/// Reads an existing key file.
pub fn load(path: &Path) -> Result<MasterKey> {
    let bytes = std::fs::read(path).with_context(|| {
        format!(
            "reading the master key {} (set --master-key-file to the file the server uses)",
            path.display()
        )
    })?;
    warn_if_readable_by_others(path);
    parse(&bytes).with_context(|| format!("the master key file {}", path.display()))
}

fn parse(bytes: &[u8]) -> Result<MasterKey> {
    let key = if bytes.len() == KEY_LEN {
        bytes.to_vec()
    } else {
        let text = std::str::from_utf8(bytes).unwrap_or_default().trim();
        match STANDARD.decode(text) {
            Ok(decoded) if decoded.len() == KEY_LEN => decoded,
            _ => bail!("expected {KEY_LEN} bytes, raw or base64-encoded"),
        }
    };
    MasterKey::from_bytes(&key).map_err(|e| anyhow::anyhow!(e))
}

/// Writes a new key so that no reader ever sees a partial file, and two processes starting at
/// once agree on one key: the key goes to a private temporary file first, which is then linked
/// into place only if nothing is there yet.
fn create(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let tmp = temp_path(path);
    write_private(&tmp, &MasterKey::random_bytes())?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                // Make the new name itself durable, not only the bytes.
                if let Ok(d) = std::fs::File::open(dir) {
                    let _ = d.sync_all();
                }
            }
            tracing::info!(path = %path.display(), "generated the master key; back it up, and give every node the same one");
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    let nonce = MasterKey::random_bytes();
    name.push(format!(
        ".tmp-{}-{:02x}{:02x}{:02x}{:02x}",
        std::process::id(),
        nonce[0],
        nonce[1],
        nonce[2],
        nonce[3]
    ));
    path.with_file_name(name)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(path = %path.display(), "the master key file is readable by other users; chmod 600 it");
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cognate-mk-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_new_key_is_made_once_private_and_read_back() {
        let dir = temp_dir("new");
        let path = dir.join("master.key");
        let first = load_or_create(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len(), KEY_LEN);
        let again = load_or_create(&path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        let sealed = first.seal(b"secret", b"ctx").unwrap();
        assert_eq!(again.open(&sealed, b"ctx").unwrap(), b"secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn base64_keys_are_accepted_and_anything_else_refused() {
        let dir = temp_dir("b64");
        std::fs::create_dir_all(&dir).unwrap();
        let raw = [5u8; KEY_LEN];
        let b64 = dir.join("b64.key");
        std::fs::write(&b64, format!("{}\n", STANDARD.encode(raw))).unwrap();
        let from_b64 = load(&b64).unwrap();
        let from_raw = MasterKey::from_bytes(&raw).unwrap();
        let sealed = from_raw.seal(b"x", b"").unwrap();
        assert_eq!(from_b64.open(&sealed, b"").unwrap(), b"x");

        let short = dir.join("short.key");
        std::fs::write(&short, b"too short").unwrap();
        assert!(load(&short).is_err());
        assert!(load(&dir.join("missing.key")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
