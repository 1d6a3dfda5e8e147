//! ListUsers' `Filter`: `AttributeName Filter-Type "AttributeValue"`.
//!
//! `Filter-Type` is `=` (equals) or `^=` (starts with); the value is double-quoted, with `\"`
//! for a quote inside it (and `\\` for a backslash); whitespace around the parts is optional.
//! An empty or blank filter matches every user. Only these attributes are searchable (API
//! reference, ListUsers): `username`, `email`, `phone_number`, `name`, `given_name`,
//! `family_name`, `preferred_username`, `cognito:user_status` (its value read without regard
//! to case), `status` (`Enabled` or `Disabled`) and `sub`. Anything else, custom attributes
//! included, is refused.

use crate::store::{UserFilter, UserFilterField};
use crate::{Error, Result};

const SEARCHABLE: &[&str] = &[
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
];

fn parse_error() -> Error {
    Error::invalid("Error while parsing filter.")
}

/// Parses a filter. `Ok(None)` for an empty one. `case_insensitive` pools compare usernames in
/// lowercase, so a `username` value is lowered to match.
pub fn parse(filter: &str, case_insensitive: bool) -> Result<Option<UserFilter>> {
    let text = filter.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let name_end = text
        .find(|c: char| c.is_whitespace() || c == '=' || c == '^')
        .ok_or_else(parse_error)?;
    let name = &text[..name_end];
    let rest = text[name_end..].trim_start();
    let (prefix, rest) = if let Some(r) = rest.strip_prefix("^=") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix('=') {
        (false, r)
    } else {
        return Err(parse_error());
    };
    let rest = rest.trim_start();
    let mut chars = rest.chars();
    if chars.next() != Some('"') {
        return Err(parse_error());
    }
    let mut value = String::new();
    let mut closed = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) => value.push(escaped),
                None => return Err(parse_error()),
            },
            '"' => {
                closed = true;
                break;
            }
            other => value.push(other),
        }
    }
    if !closed || !chars.as_str().trim().is_empty() || name.is_empty() {
        return Err(parse_error());
    }
    let field = match name {
        "username" => {
            if case_insensitive {
                value = value.to_lowercase();
            }
            UserFilterField::Username
        }
        "sub" => UserFilterField::Sub,
        "cognito:user_status" => {
            value = value.to_uppercase();
            UserFilterField::Status
        }
        "status" => UserFilterField::Enabled,
        n if SEARCHABLE.contains(&n) => UserFilterField::Attribute(n.to_string()),
        other => {
            return Err(Error::invalid(format!("Invalid search attribute: {other}")));
        }
    };
    Ok(Some(UserFilter {
        field,
        value,
        prefix,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(field: UserFilterField, value: &str, prefix: bool) -> Option<UserFilter> {
        Some(UserFilter {
            field,
            value: value.into(),
            prefix,
        })
    }

    #[test]
    fn parses_equals_and_starts_with() {
        assert_eq!(
            parse(r#"email = "a@example.com""#, false).unwrap(),
            f(
                UserFilterField::Attribute("email".into()),
                "a@example.com",
                false
            )
        );
        assert_eq!(
            parse(r#"given_name ^= "Jo""#, false).unwrap(),
            f(UserFilterField::Attribute("given_name".into()), "Jo", true)
        );
        assert_eq!(
            parse(r#"family_name="Reddy""#, false).unwrap(),
            f(
                UserFilterField::Attribute("family_name".into()),
                "Reddy",
                false
            )
        );
        assert_eq!(
            parse(r#"  sub^="abc"  "#, false).unwrap(),
            f(UserFilterField::Sub, "abc", true)
        );
    }

    #[test]
    fn blank_filters_match_everyone() {
        assert_eq!(parse("", false).unwrap(), None);
        assert_eq!(parse("   ", false).unwrap(), None);
    }

    #[test]
    fn escaped_quotes_and_backslashes_are_part_of_the_value() {
        assert_eq!(
            parse(r#"name = "say \"hi\" \\ bye""#, false).unwrap(),
            f(
                UserFilterField::Attribute("name".into()),
                r#"say "hi" \ bye"#,
                false
            )
        );
    }

    #[test]
    fn special_fields_map_to_their_columns() {
        assert_eq!(
            parse(r#"cognito:user_status = "force_change_password""#, false).unwrap(),
            f(UserFilterField::Status, "FORCE_CHANGE_PASSWORD", false)
        );
        assert_eq!(
            parse(r#"status = "Disabled""#, false).unwrap(),
            f(UserFilterField::Enabled, "Disabled", false)
        );
        assert_eq!(
            parse(r#"username = "ALICE""#, true).unwrap(),
            f(UserFilterField::Username, "alice", false)
        );
        assert_eq!(
            parse(r#"username = "ALICE""#, false).unwrap(),
            f(UserFilterField::Username, "ALICE", false)
        );
    }

    #[test]
    fn malformed_filters_are_refused() {
        for bad in [
            "email",
            r#"email "x""#,
            r#"email = x"#,
            r#"email = "x"#,
            r#"email = "x" extra"#,
            r#"= "x""#,
            r#"email == "x""#,
            r#"email = "x\"#,
        ] {
            assert_eq!(
                parse(bad, false).unwrap_err().to_string(),
                "Error while parsing filter.",
                "{bad}"
            );
        }
    }

    #[test]
    fn only_searchable_attributes_are_accepted() {
        assert_eq!(
            parse(r#"custom:tier = "gold""#, false)
                .unwrap_err()
                .to_string(),
            "Invalid search attribute: custom:tier"
        );
        assert_eq!(
            parse(r#"locale = "en""#, false).unwrap_err().to_string(),
            "Invalid search attribute: locale"
        );
    }
}
