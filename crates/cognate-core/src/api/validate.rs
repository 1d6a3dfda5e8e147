//! Checks of the constraints the Cognito API model puts on request members (required, length,
//! pattern, range, enum), reported the way AWS reports them:
//! `1 validation error detected: Value 'x' at 'userPoolId' failed to satisfy constraint: ...`.
//! Member paths are the lower-camel-case member names AWS uses in these messages.

use regex::Regex;
use std::sync::LazyLock;

use crate::Error;

/// Collects constraint violations of one request.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<String>,
}

/// AWS names nested members with each segment in lower camel case:
/// `TokenValidityUnits.AccessToken` is reported at `tokenValidityUnits.accessToken`.
fn member(field: &str) -> String {
    field
        .split('.')
        .map(|segment| {
            let mut chars = segment.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(".")
}

fn shown(value: &str) -> String {
    // AWS echoes the offending value; keep echoes bounded.
    let mut s: String = value.chars().take(256).collect();
    if s.len() < value.len() {
        s.push_str("...");
    }
    s
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    fn fail(&mut self, value: Option<&str>, field: &str, constraint: &str) {
        let value = match value {
            Some(v) => format!("'{}'", shown(v)),
            None => "null".to_string(),
        };
        self.errors.push(format!(
            "Value {value} at '{}' failed to satisfy constraint: {constraint}",
            member(field)
        ));
    }

    pub fn required<T: ?Sized>(&mut self, field: &str, value: Option<&T>) -> &mut Self {
        if value.is_none() {
            self.fail(None, field, "Member must not be null");
        }
        self
    }

    /// Length in characters, as AWS counts it.
    pub fn len(&mut self, field: &str, value: Option<&str>, min: usize, max: usize) -> &mut Self {
        if let Some(v) = value {
            let n = v.chars().count();
            if n < min {
                self.fail(
                    Some(v),
                    field,
                    &format!("Member must have length greater than or equal to {min}"),
                );
            } else if n > max {
                self.fail(
                    Some(v),
                    field,
                    &format!("Member must have length less than or equal to {max}"),
                );
            }
        }
        self
    }

    pub fn pattern(&mut self, field: &str, value: Option<&str>, pattern: &Pattern) -> &mut Self {
        if let Some(v) = value {
            if !pattern.matches(v) {
                self.fail(
                    Some(v),
                    field,
                    &format!(
                        "Member must satisfy regular expression pattern: {}",
                        pattern.source
                    ),
                );
            }
        }
        self
    }

    pub fn range(&mut self, field: &str, value: Option<i64>, min: i64, max: i64) -> &mut Self {
        if let Some(v) = value {
            let text = v.to_string();
            if v < min {
                self.fail(
                    Some(&text),
                    field,
                    &format!("Member must have value greater than or equal to {min}"),
                );
            } else if v > max {
                self.fail(
                    Some(&text),
                    field,
                    &format!("Member must have value less than or equal to {max}"),
                );
            }
        }
        self
    }

    pub fn one_of(&mut self, field: &str, value: Option<&str>, allowed: &[&str]) -> &mut Self {
        if let Some(v) = value {
            if !allowed.contains(&v) {
                self.fail(
                    Some(v),
                    field,
                    &format!(
                        "Member must satisfy enum value set: [{}]",
                        allowed.join(", ")
                    ),
                );
            }
        }
        self
    }

    /// Number of items in a list member.
    pub fn count<T>(
        &mut self,
        field: &str,
        list: Option<&[T]>,
        min: usize,
        max: usize,
    ) -> &mut Self {
        if let Some(items) = list {
            if items.len() < min {
                self.fail(
                    Some(&format!("[{} items]", items.len())),
                    field,
                    &format!("Member must have length greater than or equal to {min}"),
                );
            } else if items.len() > max {
                self.fail(
                    Some(&format!("[{} items]", items.len())),
                    field,
                    &format!("Member must have length less than or equal to {max}"),
                );
            }
        }
        self
    }

    /// Applies `check` to each string of a list member, naming them `field.N` as AWS does.
    pub fn each(
        &mut self,
        field: &str,
        list: Option<&[String]>,
        mut check: impl FnMut(&mut Validator, &str, &str),
    ) -> &mut Self {
        for (i, item) in list.unwrap_or(&[]).iter().enumerate() {
            check(self, &format!("{}.{}.member", member(field), i + 1), item);
        }
        self
    }

    /// Constraints on every string of a list member. AWS reports them once for the whole list:
    /// `Value '[a, b]' at 'field' failed to satisfy constraint: Member must satisfy constraint:
    /// [Member must have length less than or equal to 5]`.
    pub fn members(
        &mut self,
        field: &str,
        list: Option<&[String]>,
        min: usize,
        max: usize,
        pattern: Option<&Pattern>,
    ) -> &mut Self {
        let Some(items) = list else { return self };
        let mut broken: Vec<String> = Vec::new();
        for item in items {
            let n = item.chars().count();
            let mut note = |c: String| {
                if !broken.contains(&c) {
                    broken.push(c);
                }
            };
            if n < min {
                note(format!(
                    "Member must have length greater than or equal to {min}"
                ));
            }
            if n > max {
                note(format!(
                    "Member must have length less than or equal to {max}"
                ));
            }
            if let Some(p) = pattern {
                if !p.matches(item) {
                    note(format!(
                        "Member must satisfy regular expression pattern: {}",
                        p.source
                    ));
                }
            }
        }
        if !broken.is_empty() {
            self.fail(
                Some(&format!("[{}]", items.join(", "))),
                field,
                &format!("Member must satisfy constraint: [{}]", broken.join(", ")),
            );
        }
        self
    }

    /// An enum constraint on every string of a list member, reported once for the list as AWS
    /// does: `... Member must satisfy constraint: [Member must satisfy enum value set: [a, b]]`.
    pub fn members_one_of(
        &mut self,
        field: &str,
        list: Option<&[String]>,
        allowed: &[&str],
    ) -> &mut Self {
        let Some(items) = list else { return self };
        if items.iter().any(|i| !allowed.contains(&i.as_str())) {
            self.fail(
                Some(&format!("[{}]", items.join(", "))),
                field,
                &format!(
                    "Member must satisfy constraint: [Member must satisfy enum value set: [{}]]",
                    allowed.join(", ")
                ),
            );
        }
        self
    }

    /// Records a violation that the other checks do not express (map keys, for instance).
    pub fn violation(&mut self, field: &str, value: Option<&str>, constraint: &str) -> &mut Self {
        self.fail(value, field, constraint);
        self
    }

    pub fn finish(&mut self) -> Result<(), Error> {
        match self.errors.len() {
            0 => Ok(()),
            1 => Err(Error::InvalidParameter(format!(
                "1 validation error detected: {}",
                self.errors[0]
            ))),
            n => Err(Error::InvalidParameter(format!(
                "{n} validation errors detected: {}",
                self.errors.join("; ")
            ))),
        }
    }
}

/// A pattern from the API model, matched against the whole value.
pub struct Pattern {
    pub source: &'static str,
    regex: LazyLock<Option<Regex>>,
}

impl Pattern {
    pub const fn new(source: &'static str, init: fn() -> Option<Regex>) -> Self {
        Pattern {
            source,
            regex: LazyLock::new(init),
        }
    }

    pub fn matches(&self, value: &str) -> bool {
        match &*self.regex {
            Some(re) => re.is_match(value),
            None => false,
        }
    }
}

/// Declares a [`Pattern`] constant from the model's regular expression, anchored at both ends.
#[macro_export]
macro_rules! pattern {
    ($name:ident, $source:literal) => {
        pub static $name: $crate::api::validate::Pattern =
            $crate::api::validate::Pattern::new($source, || {
                regex::Regex::new(concat!("^(?:", $source, ")$")).ok()
            });
    };
}

pub mod patterns {
    //! Patterns of the cognito-idp model shared by many actions.
    crate::pattern!(USER_POOL_ID, r"[\w-]+_[0-9a-zA-Z]+");
    crate::pattern!(CLIENT_ID, r"[\w+]+");
    crate::pattern!(USERNAME, r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+");
    crate::pattern!(USER_POOL_NAME, r"[\w\s+=,.@-]+");
    crate::pattern!(CLIENT_NAME, r"[\w\s+=,.@-]+");
    crate::pattern!(GROUP_NAME, r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+");
    crate::pattern!(
        ARN,
        r"arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?"
    );
    crate::pattern!(ATTRIBUTE_NAME, r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+");
    crate::pattern!(CUSTOM_ATTRIBUTE_NAME, r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+");
    crate::pattern!(PASSWORD, r"[\S]+");
    crate::pattern!(DOMAIN, r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$");
    crate::pattern!(PAGINATION_KEY, r"[\S]+");
    crate::pattern!(SEARCH_PAGINATION_TOKEN, r"[\S]+");
    crate::pattern!(TAG_KEY, r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$");
    crate::pattern!(TAG_VALUE, r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$");
    crate::pattern!(
        EMAIL_ADDRESS,
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+@[\p{L}\p{M}\p{S}\p{N}\p{P}]+"
    );
    crate::pattern!(SMS_VERIFICATION_MESSAGE, r".*\{####\}.*");
    crate::pattern!(
        EMAIL_VERIFICATION_MESSAGE,
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*"
    );
    crate::pattern!(
        EMAIL_VERIFICATION_SUBJECT,
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+"
    );
    crate::pattern!(
        EMAIL_VERIFICATION_MESSAGE_BY_LINK,
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{##[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*##\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*"
    );
    crate::pattern!(SMS_INVITE_MESSAGE, r".*\{####\}.*");
    crate::pattern!(
        EMAIL_INVITE_MESSAGE,
        r"[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*"
    );
    crate::pattern!(REDIRECT_URL, r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+");
    crate::pattern!(SCOPE, r"[\x21\x23-\x5B\x5D-\x7E]+");
    crate::pattern!(
        PROVIDER_NAME,
        r"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+"
    );
    crate::pattern!(HEX_STRING, r"^[0-9a-fA-F]+$");
    crate::pattern!(REGION_CODE, r"[\w-]+");
    crate::pattern!(STRING_TYPE, r"[\s\S]*");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_one_error_in_aws_words() {
        let err = Validator::new()
            .len("UserPoolId", Some(""), 1, 55)
            .finish()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "1 validation error detected: Value '' at 'userPoolId' failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
    }

    #[test]
    fn counts_several_errors() {
        let err = Validator::new()
            .required::<String>("PoolName", None)
            .pattern("UserPoolId", Some("nounderscore"), &patterns::USER_POOL_ID)
            .finish()
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("2 validation errors detected: Value null at 'poolName'"),
            "{text}"
        );
        assert!(
            text.contains("Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+")
        );
    }

    #[test]
    fn nested_members_are_named_in_lower_camel_case() {
        let err = Validator::new()
            .one_of("TokenValidityUnits.AccessToken", Some("weeks"), &["hours"])
            .finish()
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("at 'tokenValidityUnits.accessToken'"),
            "{err}"
        );
    }

    #[test]
    fn list_members_are_reported_once_for_the_list() {
        let flows = vec!["code".to_string(), "token".to_string()];
        let err = Validator::new()
            .members_one_of(
                "AllowedOAuthFlows",
                Some(&flows),
                &["implicit", "client_credentials", "code"],
            )
            .finish()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "1 validation error detected: Value '[code, token]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]"
        );
        let urls = vec![String::new()];
        let err = Validator::new()
            .members("CallbackURLs", Some(&urls), 1, 1024, None)
            .finish()
            .unwrap_err();
        assert!(err.to_string().ends_with(
            "Member must satisfy constraint: [Member must have length greater than or equal to 1]"
        ));
    }

    #[test]
    fn patterns_match_whole_values() {
        assert!(patterns::USER_POOL_ID.matches("us-east-1_abc123XYZ"));
        assert!(!patterns::USER_POOL_ID.matches("us-east-1_abc 123"));
        assert!(patterns::USERNAME.matches("alice@example.com"));
        assert!(!patterns::USERNAME.matches("has space"));
        assert!(patterns::DOMAIN.matches("my-app"));
        assert!(!patterns::DOMAIN.matches("-bad"));
    }
}
