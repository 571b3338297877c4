//! Who reads a place's statistics, for GraphQL and the partners' feeds alike (decision 154): a person
//! by their office roles (`statistics::authorize_reading`), an API partner by its `statistics` scope
//! within its place; and the window asked for, checked once.

use chrono::NaiveDate;
use gongzhi_domain::partner::PartnerScope;
use gongzhi_domain::place::Ancestry;
use gongzhi_domain::policy::Caller;
use gongzhi_domain::statistics::{DEEPEST, Period, Window, authorize_reading};

use crate::error::ApiError;

pub fn authorize(caller: Caller<'_>, place: &Ancestry) -> Result<(), ApiError> {
    match caller {
        Caller::Partner(partner) => {
            partner.reads(PartnerScope::Statistics, place).map_err(ApiError::Partner)?;
            // Figures are kept down to the compound; below it there are none to read (decision 151).
            if place.kind() > DEEPEST { Err(ApiError::Forbidden) } else { Ok(()) }
        }
        Caller::Person(actor) => authorize_reading(actor, place).map_err(|_| {
            tracing::info!(place = %place.id(), "statistics refused: no office at or above the place");
            ApiError::Forbidden
        }),
    }
}

pub fn window(period: Period, from: NaiveDate, to: NaiveDate) -> Result<Window, ApiError> {
    Window::new(period, from, to).map_err(ApiError::Invalid)
}
