//! The Relay `Node` interface.

use async_graphql::Interface;

use super::category::Category;
use super::claim::HouseholdClaim;
use super::company::PropertyCompany;
use super::disclosure::{Disclosure, DisclosureQuestion};
use super::grid::Grid;
use super::meeting::Meeting;
use super::person::Person;
use super::place::Place;
use super::role_grant::RoleGrant;
use super::round::Round;
use super::topic::Topic;
use super::vote::Vote;

#[derive(Interface)]
#[graphql(field(name = "id", ty = "async_graphql::ID", desc = "An opaque global id."))]
pub enum Node {
    Person(Person),
    Place(Place),
    RoleGrant(RoleGrant),
    HouseholdClaim(HouseholdClaim),
    Grid(Grid),
    PropertyCompany(PropertyCompany),
    Topic(Topic),
    Category(Category),
    Round(Round),
    Vote(Vote),
    Meeting(Meeting),
    Disclosure(Disclosure),
    DisclosureQuestion(DisclosureQuestion),
}
