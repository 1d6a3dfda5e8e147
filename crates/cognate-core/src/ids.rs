//! Identifiers in the shapes Cognito uses, generated from the engine's random source.

use rand::{Rng, RngCore};

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

fn pick(rng: &mut dyn RngCore, alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char)
        .collect()
}

/// `{region}_{9 alphanumerics}`, e.g. `us-east-1_AbC123xYz`.
pub fn new_pool_id(rng: &mut dyn RngCore, region: &str) -> String {
    format!("{region}_{}", pick(rng, ALNUM, 9))
}

/// 26 lowercase alphanumerics, as Cognito's app client ids.
pub fn new_client_id(rng: &mut dyn RngCore) -> String {
    pick(rng, LOWER_ALNUM, 26)
}

/// 51 characters of a client secret, in Cognito's alphabet.
pub fn new_client_secret(rng: &mut dyn RngCore) -> String {
    pick(rng, LOWER_ALNUM, 51)
}

/// A version-4 UUID, used for `sub` and request ids.
pub fn new_uuid(rng: &mut dyn RngCore) -> String {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// The pool's region: the part of its id before the underscore.
pub fn region_of_pool(pool_id: &str) -> &str {
    pool_id.split_once('_').map(|(r, _)| r).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn ids_have_cognito_shapes() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let pool = new_pool_id(&mut rng, "eu-west-1");
        assert!(pool.starts_with("eu-west-1_"));
        assert_eq!(pool.len(), "eu-west-1_".len() + 9);
        assert_eq!(region_of_pool(&pool), "eu-west-1");
        let client = new_client_id(&mut rng);
        assert_eq!(client.len(), 26);
        assert!(client
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        let sub = new_uuid(&mut rng);
        assert_eq!(sub.len(), 36);
        assert_eq!(&sub[14..15], "4");
    }
}
