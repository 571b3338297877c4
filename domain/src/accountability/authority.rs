//! Who may run the accountability steps that belong to no single compound: a company's listing is the
//! city's record, its blacklisting a district's decision (seed 001: 区县住房城乡建设部门 lists and
//! publishes), its appeal the company's own (its project managers), and the quarter's computation and
//! settings the city administrators'.

use crate::Denied;
use crate::ids::{CompanyId, PlaceId};
use crate::policy::Actor;
use crate::role::Role;

fn holds(actor: &Actor, roles: &[Role]) -> bool {
    actor.grants.iter().any(|grant| roles.contains(&grant.role))
}

/// Give notice of blacklisting, and blacklist: district officers (and city administrators above them).
pub fn authorize_blacklisting(actor: &Actor) -> Result<(), Denied> {
    if holds(actor, &[Role::DistrictOfficer, Role::CityAdministrator]) { Ok(()) } else { Err(Denied::Forbidden) }
}

/// Appeal a notice: a project manager of the company itself.
pub fn authorize_listing_appeal(actor: &Actor, company: CompanyId) -> Result<(), Denied> {
    let manages =
        actor.grants.iter().any(|grant| grant.role == Role::PropertyManager && grant.company == Some(company));
    if manages { Ok(()) } else { Err(Denied::Forbidden) }
}

/// Compute a quarter, or set the city's weights and thresholds: city administrators of that city.
pub fn authorize_city_accountability(actor: &Actor, city: PlaceId) -> Result<(), Denied> {
    let administers =
        actor.grants.iter().any(|grant| grant.role == Role::CityAdministrator && grant.place.id() == city);
    if administers { Ok(()) } else { Err(Denied::Forbidden) }
}
