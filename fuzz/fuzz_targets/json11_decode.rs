//! Arbitrary bytes into the AWS JSON 1.1 request decoder: as a plain JSON value, and as real
//! operation inputs followed by their constraint checks. Neither may panic, overflow the
//! stack or hang; a malformed body must come back as `SerializationException` and a
//! well-formed one that breaks a constraint as an ordinary error.
#![no_main]

use cognate_aws::json11;
use cognate_core::api::pools::{CreateUserPoolInput, UpdateUserPoolInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match json11::decode::<serde_json::Value>(data) {
        Ok(value) => assert!(value.is_object(), "decode accepted a non-object: {value}"),
        Err(e) => assert_eq!(e.error_type, "SerializationException", "{e:?}"),
    }

    match json11::decode::<CreateUserPoolInput>(data) {
        Ok(input) => {
            let _ = input.validate();
        }
        Err(e) => assert_eq!(e.error_type, "SerializationException", "{e:?}"),
    }

    if let Ok(input) = json11::decode::<UpdateUserPoolInput>(data) {
        let _ = input.validate();
    }
});
