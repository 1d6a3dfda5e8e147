//! Attribute schema: the standard OIDC attributes every pool has, plus `custom:` attributes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StringConstraints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NumberConstraints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SchemaAttribute {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute_data_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub developer_only_attribute: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mutable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_attribute_constraints: Option<NumberConstraints>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub string_attribute_constraints: Option<StringConstraints>,
}

impl SchemaAttribute {
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    pub fn data_type(&self) -> &str {
        self.attribute_data_type.as_deref().unwrap_or("String")
    }

    pub fn is_mutable(&self) -> bool {
        self.mutable.unwrap_or(true)
    }

    pub fn is_required(&self) -> bool {
        self.required.unwrap_or(false)
    }

    pub fn is_custom(&self) -> bool {
        self.name().starts_with("custom:") || self.name().starts_with("dev:")
    }
}

/// The standard attributes, in the order Cognito lists them, with Cognito's default
/// constraints: (name, data type, mutable, required).
pub const STANDARD_ATTRIBUTES: &[(&str, &str)] = &[
    ("sub", "String"),
    ("name", "String"),
    ("given_name", "String"),
    ("family_name", "String"),
    ("middle_name", "String"),
    ("nickname", "String"),
    ("preferred_username", "String"),
    ("profile", "String"),
    ("picture", "String"),
    ("website", "String"),
    ("email", "String"),
    ("email_verified", "Boolean"),
    ("gender", "String"),
    ("birthdate", "String"),
    ("zoneinfo", "String"),
    ("locale", "String"),
    ("phone_number", "String"),
    ("phone_number_verified", "Boolean"),
    ("address", "String"),
    ("updated_at", "Number"),
];

pub fn is_standard_attribute(name: &str) -> bool {
    STANDARD_ATTRIBUTES.iter().any(|(n, _)| *n == name)
}

/// The schema entry Cognito reports for a standard attribute nobody customised.
pub fn default_standard_attribute(name: &str, data_type: &str) -> SchemaAttribute {
    let (string, number) = match (name, data_type) {
        ("sub", _) => (Some(("1", "2048")), None),
        ("birthdate", _) => (Some(("10", "10")), None),
        (_, "String") => (Some(("0", "2048")), None),
        (_, "Number") => (None, Some(("0", None::<&str>))),
        _ => (None, None),
    };
    SchemaAttribute {
        name: Some(name.to_string()),
        attribute_data_type: Some(data_type.to_string()),
        developer_only_attribute: Some(false),
        mutable: Some(name != "sub"),
        required: Some(name == "sub"),
        number_attribute_constraints: number.map(|(min, max)| NumberConstraints {
            min_value: Some(min.to_string()),
            max_value: max.map(str::to_string),
        }),
        string_attribute_constraints: string.map(|(min, max)| StringConstraints {
            min_length: Some(min.to_string()),
            max_length: Some(max.to_string()),
        }),
    }
}
