//! Helpers shared by the vote tests.

use std::fmt::Debug;

use uuid::Uuid;

use crate::ids::{PersonId, PlaceId};

/// The value of a result a test expects to succeed; the refusal in the failure message otherwise.
pub(crate) fn ok<T, E: Debug>(result: Result<T, E>) -> T {
    match result {
        Ok(value) => value,
        Err(refusal) => panic!("unexpected refusal: {refusal:?}"),
    }
}

pub(crate) fn household() -> PlaceId {
    PlaceId::from_uuid(Uuid::new_v4())
}

pub(crate) fn person() -> PersonId {
    PersonId::from_uuid(Uuid::new_v4())
}
