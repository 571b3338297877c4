//! Relay pagination arguments: `first` at most 100, `after` an opaque cursor.

use uuid::Uuid;

use crate::error::{ApiError, BadRequest};
use crate::graphql::ids::decode_cursor;

pub const MAX_PAGE: usize = 100;
pub const DEFAULT_PAGE: usize = 20;

pub struct PageArgs {
    pub limit: usize,
    pub after: Option<Uuid>,
}

pub fn page_args(first: Option<i32>, after: Option<String>) -> Result<PageArgs, ApiError> {
    let limit = match first {
        None => DEFAULT_PAGE,
        Some(n) if (0..=MAX_PAGE as i32).contains(&n) => n as usize,
        Some(_) => return Err(ApiError::Bad(BadRequest::PageSize { max: MAX_PAGE })),
    };
    let after = after.as_deref().map(decode_cursor).transpose()?;
    Ok(PageArgs { limit, after })
}
