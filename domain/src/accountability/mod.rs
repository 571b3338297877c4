//! Accountability (issue 17): what makes the property company and the committees answerable once the
//! pipeline has run — residents' satisfaction surveys, the company's credit record with its warning list
//! and blacklist, and the city's problem compounds. Pure rules; storage and the API call in.

pub mod authority;
pub mod credit;
pub mod error;
pub mod listing;
pub mod problem_compounds;
pub mod quarter;
pub mod rectification;
pub mod survey;

pub use error::AccountabilityError;
pub use quarter::Quarter;

/// `num/den` as a decimal with `places` digits after the point, rounded half up; exact integer arithmetic
/// throughout, since figures people compare (means, rates, scores) must not drift with floating point.
pub fn decimal(num: u64, den: u64, places: u32) -> String {
    if den == 0 {
        return "-".to_owned();
    }
    let scale = 10_u128.pow(places);
    let scaled = (u128::from(num) * scale * 2 + u128::from(den)) / (u128::from(den) * 2);
    let (whole, frac) = (scaled / scale, scaled % scale);
    if places == 0 { whole.to_string() } else { format!("{whole}.{frac:0width$}", width = places as usize) }
}

#[cfg(test)]
mod credit_tests;
#[cfg(test)]
mod problem_compounds_tests;
#[cfg(test)]
mod rectification_tests;
#[cfg(test)]
mod survey_tests;
