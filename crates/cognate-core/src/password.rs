//! A pool's password policy: checking a password against it, and generating temporary
//! passwords that satisfy it.
//!
//! The checks are Cognito's (developer guide, "Adding user pool password requirements"):
//! a minimum length counted in characters, and at least one lowercase letter, uppercase
//! letter, digit and special character when the policy asks for them. The special characters
//! are `^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + -`, and a space that
//! is neither the first nor the last character.
//!
//! Cognito reports only the first requirement a password misses, in this order: length,
//! lowercase, uppercase, numbers, symbols; and it words the message's prefix differently per
//! action (see [`PasswordUse`]). The 256-character ceiling and the no-blank-ends rule are the
//! API model's, checked with the request's other constraints.
//!
//! Not here: password history (`PasswordHistorySize`) and hashing (see
//! `cognate_crypto::password`, run on the engine's CPU pool).

use rand::{Rng, RngCore};

use crate::model::pool::PasswordPolicy;
use crate::{Error, Result};

/// The characters Cognito counts as symbols (a space counts too, inside a password).
pub const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

/// Which action checks the password: Cognito words the refusal differently for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordUse {
    /// SignUp: "Password did not conform with policy: …".
    SignUp,
    /// AdminCreateUser's `TemporaryPassword`: "Password did not conform with password policy: …".
    TemporaryPassword,
    /// A new password (AdminSetUserPassword, ChangePassword, ConfirmForgotPassword,
    /// the NEW_PASSWORD_REQUIRED challenge): "Password does not conform to policy: …".
    NewPassword,
}

impl PasswordUse {
    fn prefix(self) -> &'static str {
        match self {
            PasswordUse::SignUp => "Password did not conform with policy",
            PasswordUse::TemporaryPassword => "Password did not conform with password policy",
            PasswordUse::NewPassword => "Password does not conform to policy",
        }
    }
}

/// The policy with Cognito's defaults filled in for anything a stored pool leaves out.
struct Effective {
    minimum_length: usize,
    lowercase: bool,
    uppercase: bool,
    numbers: bool,
    symbols: bool,
}

impl From<&PasswordPolicy> for Effective {
    fn from(p: &PasswordPolicy) -> Self {
        Effective {
            minimum_length: usize::try_from(p.minimum_length.unwrap_or(8)).unwrap_or(0),
            lowercase: p.require_lowercase.unwrap_or(true),
            uppercase: p.require_uppercase.unwrap_or(true),
            numbers: p.require_numbers.unwrap_or(true),
            symbols: p.require_symbols.unwrap_or(true),
        }
    }
}

fn is_symbol(c: char) -> bool {
    SYMBOLS.contains(c)
}

fn has_symbol(password: &str) -> bool {
    let chars: Vec<char> = password.chars().collect();
    chars
        .iter()
        .enumerate()
        .any(|(i, &c)| is_symbol(c) || (c == ' ' && i > 0 && i + 1 < chars.len()))
}

/// The first requirement of `policy` that `password` misses, in Cognito's words.
pub fn violation(policy: &PasswordPolicy, password: &str) -> Option<&'static str> {
    let p = Effective::from(policy);
    if password.chars().count() < p.minimum_length {
        return Some("Password not long enough");
    }
    if p.lowercase && !password.chars().any(char::is_lowercase) {
        return Some("Password must have lowercase characters");
    }
    if p.uppercase && !password.chars().any(char::is_uppercase) {
        return Some("Password must have uppercase characters");
    }
    if p.numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        return Some("Password must have numeric characters");
    }
    if p.symbols && !has_symbol(password) {
        return Some("Password must have symbol characters");
    }
    None
}

/// `InvalidPasswordException` unless `password` satisfies `policy`.
pub fn check(policy: &PasswordPolicy, password: &str, usage: PasswordUse) -> Result<()> {
    match violation(policy, password) {
        None => Ok(()),
        Some(reason) => Err(Error::InvalidPassword(format!(
            "{}: {reason}",
            usage.prefix()
        ))),
    }
}

const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
/// Symbols for generated passwords: Cognito's, less quotes, backslash and brackets, which
/// people mistype and templates mangle.
const GENERATED_SYMBOLS: &[u8] = b"!#$%&*+-=?@^_";

/// How long a generated temporary password is, unless the policy asks for more.
pub const GENERATED_LENGTH: usize = 12;

fn pick(rng: &mut dyn RngCore, alphabet: &[u8]) -> char {
    alphabet[rng.gen_range(0..alphabet.len())] as char
}

/// A temporary password that satisfies `policy`: every character class (whether required or
/// not), at least [`GENERATED_LENGTH`] characters, in random order. Letters and digits that
/// look alike (`l`, `I`, `O`, `0`, `1`) are left out, as the password is read off a message.
pub fn generate(policy: &PasswordPolicy, rng: &mut dyn RngCore) -> String {
    let length = Effective::from(policy).minimum_length.max(GENERATED_LENGTH);
    let classes: [&[u8]; 4] = [LOWER, UPPER, DIGITS, GENERATED_SYMBOLS];
    let mut chars: Vec<char> = classes.iter().map(|a| pick(rng, a)).collect();
    let all: Vec<u8> = classes.concat();
    while chars.len() < length {
        chars.push(pick(rng, &all));
    }
    // Fisher–Yates, so the guaranteed characters are not always first.
    for i in (1..chars.len()).rev() {
        let j = rng.gen_range(0..=i);
        chars.swap(i, j);
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn default_policy() -> PasswordPolicy {
        PasswordPolicy {
            minimum_length: Some(8),
            require_uppercase: Some(true),
            require_lowercase: Some(true),
            require_numbers: Some(true),
            require_symbols: Some(true),
            password_history_size: None,
            temporary_password_validity_days: Some(7),
        }
    }

    #[test]
    fn reports_the_first_missing_requirement() {
        let p = default_policy();
        assert_eq!(violation(&p, "Ab1!"), Some("Password not long enough"));
        assert_eq!(
            violation(&p, "12341234"),
            Some("Password must have lowercase characters")
        );
        assert_eq!(
            violation(&p, "abcd1234!"),
            Some("Password must have uppercase characters")
        );
        assert_eq!(
            violation(&p, "TestTest"),
            Some("Password must have numeric characters")
        );
        assert_eq!(
            violation(&p, "TestTest1"),
            Some("Password must have symbol characters")
        );
        assert_eq!(violation(&p, "TestTest1!"), None);
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let p = PasswordPolicy {
            minimum_length: Some(6),
            ..PasswordPolicy::default()
        };
        let relaxed = PasswordPolicy {
            require_uppercase: Some(false),
            require_lowercase: Some(false),
            require_numbers: Some(false),
            require_symbols: Some(false),
            ..p
        };
        assert_eq!(
            violation(&relaxed, "ééééé"),
            Some("Password not long enough")
        );
        assert_eq!(violation(&relaxed, "éééééé"), None);
    }

    #[test]
    fn an_inner_space_is_a_symbol_but_an_outer_one_is_not() {
        let p = default_policy();
        assert_eq!(violation(&p, "Correct Horse1"), None);
        assert_eq!(
            violation(&p, "CorrectHorse1 "),
            Some("Password must have symbol characters")
        );
        for c in SYMBOLS.chars() {
            assert_eq!(violation(&p, &format!("Abcdefg1{c}")), None, "{c}");
        }
    }

    #[test]
    fn requirements_the_policy_turns_off_are_not_checked() {
        let p = PasswordPolicy {
            minimum_length: Some(6),
            require_uppercase: Some(false),
            require_lowercase: Some(true),
            require_numbers: Some(false),
            require_symbols: Some(false),
            ..PasswordPolicy::default()
        };
        assert_eq!(violation(&p, "abcdef"), None);
    }

    #[test]
    fn each_action_has_its_own_wording() {
        let p = default_policy();
        let msg = |u| check(&p, "short", u).unwrap_err().to_string();
        assert_eq!(
            msg(PasswordUse::SignUp),
            "Password did not conform with policy: Password not long enough"
        );
        assert_eq!(
            msg(PasswordUse::TemporaryPassword),
            "Password did not conform with password policy: Password not long enough"
        );
        assert_eq!(
            msg(PasswordUse::NewPassword),
            "Password does not conform to policy: Password not long enough"
        );
        assert!(matches!(
            check(&p, "short", PasswordUse::SignUp),
            Err(Error::InvalidPassword(_))
        ));
    }

    #[test]
    fn generated_passwords_satisfy_every_policy() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        for min in [6, 8, 12, 20, 99] {
            let p = PasswordPolicy {
                minimum_length: Some(min),
                ..default_policy()
            };
            for _ in 0..200 {
                let pw = generate(&p, &mut rng);
                assert_eq!(violation(&p, &pw), None, "{pw}");
                assert_eq!(pw.chars().count(), (min as usize).max(GENERATED_LENGTH));
            }
        }
    }
}
