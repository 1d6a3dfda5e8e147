//! Checking user attributes against the pool's schema before they are written.
//!
//! A write names attributes the schema has (standard ones by name, custom ones with their
//! `custom:` or `dev:` prefix), never `sub`, and on update only mutable ones. Values obey the
//! schema's constraints: string lengths (`StringAttributeConstraints`), integer ranges
//! (`NumberAttributeConstraints`), `true`/`false` for booleans (either case; stored lowercase,
//! as Cognito returns them). `email` must look like an address and `phone_number` must be
//! E.164 (`+` and digits). The 2048-character ceiling of every value is the API model's and is
//! checked with the request.
//!
//! Cognito words schema violations differently for creation ("Attributes did not conform to
//! the schema: name: reason", one line per attribute) and for updates ("user.name: reason",
//! each line ended by a newline); [`Write`] picks the form.
//!
//! Not here: whether required attributes are present (AdminCreateUser does not require them;
//! SignUp does), alias uniqueness (needs the store), verification side effects.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Attribute, SchemaAttribute, UserPool};
use crate::{Error, Result};

/// Which kind of write the attributes are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// A new user (AdminCreateUser, SignUp): immutable attributes may be set.
    Create,
    /// An existing user (AdminUpdateUserAttributes, UpdateUserAttributes).
    Update,
}

static EMAIL: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^[^@\s]+@[^@\s]+$").ok());
static PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^\+[0-9]{4,15}$").ok());

fn matches(re: &LazyLock<Option<Regex>>, value: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(value))
}

/// Whether `value` is an address Cognito accepts for `email`.
pub fn is_email(value: &str) -> bool {
    matches(&EMAIL, value)
}

/// Whether `value` is an E.164 number Cognito accepts for `phone_number`.
pub fn is_phone_number(value: &str) -> bool {
    matches(&PHONE, value)
}

/// The schema entry of an attribute name, if the pool has one.
pub fn schema_entry<'a>(pool: &'a UserPool, name: &str) -> Option<&'a SchemaAttribute> {
    pool.schema().iter().find(|a| a.name() == name)
}

/// Formats schema violations `(name, reason)` the way Cognito does for `write`.
pub fn schema_error(write: Write, problems: &[(String, String)]) -> Error {
    match write {
        Write::Create => Error::invalid(format!(
            "Attributes did not conform to the schema: {}",
            problems
                .iter()
                .map(|(n, r)| format!("{n}: {r}"))
                .collect::<Vec<_>>()
                .join("\n")
        )),
        Write::Update => Error::invalid(
            problems
                .iter()
                .map(|(n, r)| format!("user.{n}: {r}\n"))
                .collect::<String>(),
        ),
    }
}

pub const NOT_IN_SCHEMA: &str = "Attribute does not exist in the schema.";
pub const IMMUTABLE: &str = "Attribute cannot be updated. (changing an immutable attribute)";

fn bound(value: Option<&str>) -> Option<i64> {
    value.and_then(|v| v.trim().parse().ok())
}

/// The value to store if `value` meets the constraints of `entry` (booleans lowercased), or
/// why it does not.
fn check_value(entry: &SchemaAttribute, value: &str) -> std::result::Result<String, String> {
    match entry.data_type() {
        "Number" => {
            let n: i64 = value
                .trim()
                .parse()
                .map_err(|_| "Number must be an integer.".to_string())?;
            let c = entry.number_attribute_constraints.as_ref();
            if let Some(min) = bound(c.and_then(|c| c.min_value.as_deref())) {
                if n < min {
                    return Err(format!("Number must be no less than {min}."));
                }
            }
            if let Some(max) = bound(c.and_then(|c| c.max_value.as_deref())) {
                if n > max {
                    return Err(format!("Number must be no greater than {max}."));
                }
            }
            Ok(value.to_string())
        }
        "Boolean" => match value.to_ascii_lowercase().as_str() {
            v @ ("true" | "false") => Ok(v.to_string()),
            _ => Err("Boolean must be true or false.".to_string()),
        },
        "String" => {
            let len = i64::try_from(value.chars().count()).unwrap_or(i64::MAX);
            let c = entry.string_attribute_constraints.as_ref();
            if let Some(min) = bound(c.and_then(|c| c.min_length.as_deref())) {
                if len < min {
                    return Err(format!("String must be no shorter than {min} characters."));
                }
            }
            if let Some(max) = bound(c.and_then(|c| c.max_length.as_deref())) {
                if len > max {
                    return Err(format!("String must be no longer than {max} characters."));
                }
            }
            Ok(value.to_string())
        }
        _ => Ok(value.to_string()),
    }
}

/// Checks attributes a request writes and returns them as they are to be stored: one entry
/// per name (the last one given wins), booleans lowercase. On update, an empty value means
/// "delete this attribute" and is returned as it is, unchecked.
pub fn check_write(pool: &UserPool, given: &[Attribute], write: Write) -> Result<Vec<Attribute>> {
    let mut out: Vec<Attribute> = Vec::with_capacity(given.len());
    for a in given {
        match out.iter_mut().find(|o| o.name == a.name) {
            Some(slot) => slot.value = a.value.clone(),
            None => out.push(a.clone()),
        }
    }
    let mut problems = Vec::new();
    for a in out.iter_mut() {
        let Some(entry) = schema_entry(pool, &a.name) else {
            problems.push((a.name.clone(), NOT_IN_SCHEMA.to_string()));
            continue;
        };
        if a.name == "sub" || (write == Write::Update && !entry.is_mutable()) {
            problems.push((a.name.clone(), IMMUTABLE.to_string()));
            continue;
        }
        if write == Write::Update && a.value.is_empty() {
            continue;
        }
        match check_value(entry, &a.value) {
            Ok(v) => a.value = v,
            Err(reason) => problems.push((a.name.clone(), reason)),
        }
    }
    if !problems.is_empty() {
        return Err(schema_error(write, &problems));
    }
    for a in &out {
        if a.value.is_empty() && write == Write::Update {
            continue;
        }
        if a.name == "email" && !is_email(&a.value) {
            return Err(Error::invalid("Invalid email address format."));
        }
        if a.name == "phone_number" && !is_phone_number(&a.value) {
            return Err(Error::invalid("Invalid phone number format."));
        }
    }
    Ok(out)
}

/// Checks the names AdminDeleteUserAttributes removes: each must be in the schema, mutable,
/// and not required.
pub fn check_delete(pool: &UserPool, names: &[String]) -> Result<()> {
    let mut problems = Vec::new();
    for name in names {
        match schema_entry(pool, name) {
            None => problems.push((name.clone(), NOT_IN_SCHEMA.to_string())),
            Some(e) if e.is_required() || name == "sub" => {
                return Err(Error::invalid(format!(
                    "Invalid user attributes: {name}: Required attribute cannot be deleted."
                )));
            }
            Some(e) if !e.is_mutable() => problems.push((name.clone(), IMMUTABLE.to_string())),
            Some(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(schema_error(Write::Update, &problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::{NumberConstraints, StringConstraints};
    use crate::service::pools::build_schema;

    fn pool(extra: Vec<SchemaAttribute>) -> UserPool {
        let settings = crate::model::PoolSettings {
            schema_attributes: Some(build_schema(&extra).unwrap()),
            ..Default::default()
        };
        UserPool::for_tests(settings)
    }

    fn attr(name: &str, value: &str) -> Attribute {
        Attribute {
            name: name.into(),
            value: value.into(),
        }
    }

    fn custom(name: &str, ty: &str) -> SchemaAttribute {
        SchemaAttribute {
            name: Some(name.into()),
            attribute_data_type: Some(ty.into()),
            ..Default::default()
        }
    }

    #[test]
    fn unknown_names_and_sub_are_refused_in_each_wording() {
        let p = pool(vec![]);
        let err = check_write(&p, &[attr("custom:nope", "x")], Write::Create).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema."
        );
        let err = check_write(
            &p,
            &[attr("custom:nope", "x"), attr("sub", "y")],
            Write::Update,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "user.custom:nope: Attribute does not exist in the schema.\nuser.sub: Attribute cannot be updated. (changing an immutable attribute)\n"
        );
    }

    #[test]
    fn immutable_attributes_are_written_once() {
        let mut fixed = custom("tier", "String");
        fixed.mutable = Some(false);
        let p = pool(vec![fixed]);
        assert!(check_write(&p, &[attr("custom:tier", "gold")], Write::Create).is_ok());
        let err = check_write(&p, &[attr("custom:tier", "gold")], Write::Update).unwrap_err();
        assert_eq!(
            err.to_string(),
            "user.custom:tier: Attribute cannot be updated. (changing an immutable attribute)\n"
        );
    }

    #[test]
    fn string_lengths_and_number_ranges_follow_the_schema() {
        let mut short = custom("code", "String");
        short.string_attribute_constraints = Some(StringConstraints {
            min_length: Some("2".into()),
            max_length: Some("4".into()),
        });
        let mut age = custom("age", "Number");
        age.number_attribute_constraints = Some(NumberConstraints {
            min_value: Some("18".into()),
            max_value: Some("130".into()),
        });
        let p = pool(vec![short, age]);
        let ok = check_write(
            &p,
            &[attr("custom:code", "abcd"), attr("custom:age", "18")],
            Write::Create,
        );
        assert!(ok.is_ok(), "{ok:?}");
        let msg = |a| {
            check_write(&p, &[a], Write::Create)
                .unwrap_err()
                .to_string()
        };
        assert!(msg(attr("custom:code", "abcde"))
            .ends_with("custom:code: String must be no longer than 4 characters."));
        assert!(msg(attr("custom:code", "a"))
            .ends_with("custom:code: String must be no shorter than 2 characters."));
        assert!(
            msg(attr("custom:age", "17")).ends_with("custom:age: Number must be no less than 18.")
        );
        assert!(msg(attr("custom:age", "131"))
            .ends_with("custom:age: Number must be no greater than 130."));
        assert!(msg(attr("custom:age", "old")).ends_with("custom:age: Number must be an integer."));
    }

    #[test]
    fn booleans_are_stored_lowercase_and_checked() {
        let p = pool(vec![custom("vip", "Boolean")]);
        let out = check_write(
            &p,
            &[attr("email_verified", "True"), attr("custom:vip", "FALSE")],
            Write::Create,
        )
        .unwrap();
        assert_eq!(
            out,
            vec![attr("email_verified", "true"), attr("custom:vip", "false")]
        );
        let err =
            check_write(&p, &[attr("phone_number_verified", "yes")], Write::Create).unwrap_err();
        assert!(err
            .to_string()
            .ends_with("phone_number_verified: Boolean must be true or false."));
    }

    #[test]
    fn email_and_phone_formats_are_checked() {
        let p = pool(vec![]);
        let err = check_write(&p, &[attr("email", "not-an-address")], Write::Create).unwrap_err();
        assert_eq!(err.to_string(), "Invalid email address format.");
        let err =
            check_write(&p, &[attr("phone_number", "5555551212")], Write::Create).unwrap_err();
        assert_eq!(err.to_string(), "Invalid phone number format.");
        assert!(check_write(
            &p,
            &[
                attr("email", "a.b+c@example.co.uk"),
                attr("phone_number", "+15555551212")
            ],
            Write::Create
        )
        .is_ok());
    }

    #[test]
    fn the_last_value_of_a_repeated_name_wins_and_empty_updates_pass_through() {
        let p = pool(vec![]);
        let out = check_write(&p, &[attr("name", "a"), attr("name", "b")], Write::Create).unwrap();
        assert_eq!(out, vec![attr("name", "b")]);
        let out = check_write(&p, &[attr("email", "")], Write::Update).unwrap();
        assert_eq!(out, vec![attr("email", "")]);
    }

    #[test]
    fn required_and_unknown_attributes_cannot_be_deleted() {
        let p = pool(vec![SchemaAttribute {
            name: Some("email".into()),
            required: Some(true),
            ..Default::default()
        }]);
        let err = check_delete(&p, &["email".into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid user attributes: email: Required attribute cannot be deleted."
        );
        let err = check_delete(&p, &["sub".into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid user attributes: sub: Required attribute cannot be deleted."
        );
        let err = check_delete(&p, &["custom:x".into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "user.custom:x: Attribute does not exist in the schema.\n"
        );
        assert!(check_delete(&p, &["name".into(), "phone_number".into()]).is_ok());
    }
}
