//! The one place that decides "may person P do action A on place X". Storage and the API ask; nothing
//! else decides. Powers come from role grants whose place contains the target, and from two rules that
//! are not plain containment: property roles count only while their company holds the compound's
//! contract, and the residents' committee acts for a missing or under-half owners' committee (代行).

use crate::Denied;
use crate::ids::{PersonId, PlaceId, RoleGrantId};
use crate::partner::{Partner, PartnerDenied};
use crate::place::{Ancestry, PlaceContext, PlaceKind};
use crate::role::{Grant, Role};

/// Who is acting: a person and the roles they hold now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub person: PersonId,
    pub grants: Vec<Grant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Create a place of this kind under the target.
    CreatePlace(PlaceKind),
    /// Rename or re-code the target place.
    EditPlace,
    /// Read the household register at or below the target: areas, owners, residents, their contacts.
    ViewRegister,
    /// Confirm or reject a person's claim to live in or own the target household.
    ReviewClaim,
    /// Grant (or revoke) this role on the target place.
    GrantRole(Role),
    /// Record the owners' committee of the target compound and its number of seats.
    SetOwnersCommittee,
    /// Record which property company holds the target compound's contract.
    AssignPropertyCompany,
    /// Carry out the owners' committee's duties for the target compound.
    ActForOwnersCommittee,
    /// Create grids and assign buildings to them in the target community.
    ManageGrids,
    /// See who holds offices (committees, building leaders, staff) at the target.
    ViewOfficeHolders,
    /// Edit the deliberation catalogue (协商共治事项目录) of the target community.
    ManageCatalogue,
    /// Open solicitation rounds (征集活动) at the target (a community or a place inside it).
    ManageRounds,
    /// Propose a topic about the target compound or building.
    SubmitTopic,
    /// See the topics of the target and their public timelines.
    ViewTopics,
    /// Co-sign (附议) a topic about the target.
    CoSignTopic,
    /// Triage topics about the target at community level: accept, merge, route, reject, escalate.
    TriageTopic,
    /// Triage topics escalated to the street (or, later, to the district).
    TriageEscalatedTopic(PlaceKind),
    /// See the staff-only part of topics' timelines at the target.
    ViewStaffTimeline,
    /// Acknowledge and complete service requests routed to the property company of the target's compound.
    HandleServiceRequest,
    /// Act for one of the five parties at the target (own a task, report its progress): property staff for
    /// the company, the owners' committee (or the residents' committee acting for it), community staff
    /// for the residents' committee and the party organisation, building leaders of the compound.
    ActForParty(crate::topic::Party),
    /// Rate a published outcome and ask for an explanation or a reopening: residents and owners of the
    /// target's compound.
    RateTopic,
    /// Post an opinion or a reply in the online thread (网上协商) of a topic about the target: those who may
    /// co-sign its topics, and community staff and officers over it.
    PostOpinion,
    /// Hide opinions in the online thread of a topic about the target, and see hidden ones and reports:
    /// community staff and officers over it.
    ModerateOpinions,
    /// Record the developer (建设单位) of the target compound and its representative, and mark the units
    /// it still holds: community staff and officers over it, who keep the register.
    RecordDeveloper,
    /// Merge two person records of the target compound's register into one (and undo it), and list likely
    /// duplicates: community staff and officers over it.
    MergePeople,
    /// Publish (or correct) a disclosure of this kind for the target and answer the questions on it: the
    /// party that owes it there (`disclosure_rules`, seed 003).
    PublishDisclosure(crate::disclosure::DisclosureKind),
    /// Question (质询) a line of a disclosure of the target: its residents and owners (seed 002).
    QuestionDisclosure,
    /// Open and close satisfaction surveys (满意度测评) of the target compound: the residents' committee
    /// and the street (community staff and officers over it).
    ManageSurveys,
    /// Answer a survey of the target compound, for one's household: its residents and owners.
    AnswerSurvey,
    /// See the target compound's surveys, their counts and (aggregate only) results: whoever sees its topics.
    ViewSurveys,
    /// Review what the content check held back about the target (a community's whole queue, or a compound
    /// or building), approve or reject it: the residents' committee, i.e. the community's staff (decision 133).
    ModerateContent,
}

impl Action {
    /// A topic someone may not see does not exist for them, even inside their own community.
    const fn hides_topics(self) -> bool {
        matches!(self, Action::ViewTopics)
    }

    /// Actions on records whose very existence is private: refused as if the record did not exist when
    /// the person has nothing to do with the community.
    const fn is_private(self) -> bool {
        matches!(self, Action::ViewRegister | Action::ReviewClaim)
    }
}

impl Actor {
    /// Grants that count at the target: the grant's place contains it, and a property grant's company
    /// still holds the contract of the target's compound.
    fn effective_at<'a>(&'a self, ctx: &'a PlaceContext) -> impl Iterator<Item = &'a Grant> + 'a {
        self.grants.iter().filter(move |grant| {
            ctx.ancestry.is_within(grant.place.id())
                && (!grant.role.is_property()
                    || ctx.compound.and_then(|c| c.property_company).is_some_and(|c| Some(c) == grant.company))
        })
    }

    pub(crate) fn holds_at(&self, ctx: &PlaceContext, allowed: impl Fn(Role) -> bool) -> bool {
        self.effective_at(ctx).any(|grant| allowed(grant.role))
    }

    /// Holds one of these roles somewhere inside the target's compound (a household, a building, the
    /// compound itself): the people who live there or serve it from within.
    fn holds_within_compound(&self, ctx: &PlaceContext, allowed: impl Fn(Role) -> bool) -> bool {
        let Some(compound) = ctx.ancestry.at(PlaceKind::Compound) else { return false };
        self.grants.iter().any(|grant| {
            grant.place.is_within(compound)
                && allowed(grant.role)
                && (!grant.role.is_property()
                    || ctx.compound.and_then(|c| c.property_company).is_some_and(|c| Some(c) == grant.company))
        })
    }

    /// Whether the person has anything to do with the target's community (or, for a target above
    /// community level, with the target): a role at or above it, or anywhere inside it.
    pub fn is_connected(&self, ctx: &PlaceContext) -> bool {
        let anchor = ctx.ancestry.at(PlaceKind::Community).unwrap_or_else(|| ctx.ancestry.id());
        self.grants.iter().any(|grant| ctx.ancestry.is_within(grant.place.id()) || grant.place.is_within(anchor))
    }

    pub fn has_any_role(&self, roles: &[Role]) -> bool {
        self.grants.iter().any(|grant| roles.contains(&grant.role))
    }
}

fn is_officer(role: Role) -> bool {
    role.officer_level().is_some()
}

fn is_staff_or_officer(role: Role) -> bool {
    role.is_community_staff() || is_officer(role)
}

/// Decides. `Err(Denied::Hidden)` means the answer must not reveal that the target's private records exist.
pub fn authorize(actor: &Actor, action: Action, ctx: &PlaceContext) -> Result<(), Denied> {
    if allows(actor, action, ctx) {
        return Ok(());
    }
    if action.hides_topics() || (action.is_private() && !actor.is_connected(ctx)) {
        Err(Denied::Hidden)
    } else {
        Err(Denied::Forbidden)
    }
}

/// A role that would permit an action at a place: held on `place`, an ancestor of the target (or the
/// target itself) of the role's own kind; or, for roles that sit below the target (a resident's
/// household under a compound), held anywhere inside it (`inside`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeededRole {
    pub role: Role,
    pub place: PlaceId,
    pub kind: PlaceKind,
    pub inside: bool,
}

/// The roles that would permit `action` at the target, read off the policy itself: each role is tried as
/// the one grant of a stand-in person, on the target's ancestor of the role's kind (or inside the
/// target). A property role is tried for the company under contract, so none is named without one. Only
/// the target and its ancestors are named: places the caller reached, never others.
pub fn needed_roles(action: Action, ctx: &PlaceContext) -> Vec<NeededRole> {
    let target = &ctx.ancestry;
    let path = target.path();
    Role::ALL
        .into_iter()
        .filter_map(|role| {
            let inside = role.scope() > target.kind();
            let place = if inside {
                somewhere_inside(target, role.scope())?
            } else {
                Ancestry::from_path(&path[..=role.scope().depth()])?
            };
            let company = if role.is_property() { ctx.compound.and_then(|c| c.property_company) } else { None };
            let grant = Grant { id: RoleGrantId::from_uuid(uuid::Uuid::nil()), role, place: place.clone(), company };
            let stand_in = Actor { person: PersonId::from_uuid(uuid::Uuid::nil()), grants: vec![grant] };
            let named = if inside { target } else { &place };
            allows(&stand_in, action, ctx).then(|| NeededRole { role, place: named.id(), kind: named.kind(), inside })
        })
        .collect()
}

/// A place of `kind` strictly inside `target`, standing for any of them: a grant there counts inside the
/// target's compound, never at the target itself, as a real resident's or building leader's does.
fn somewhere_inside(target: &Ancestry, kind: PlaceKind) -> Option<Ancestry> {
    let mut place = target.clone();
    while place.kind() < kind {
        place = place.child(PlaceId::from_uuid(uuid::Uuid::nil()))?;
    }
    Some(place)
}

/// Decides as [`authorize`], and says in a refusal which roles would permit the action here: what
/// storage asks before acting, so the API can tell a client what is missing.
pub fn require(actor: &Actor, action: Action, ctx: &PlaceContext) -> Result<(), Denied> {
    match authorize(actor, action, ctx) {
        Err(Denied::Forbidden) => {
            let needed = needed_roles(action, ctx);
            Err(if needed.is_empty() { Denied::Forbidden } else { Denied::Requires(needed) })
        }
        decided => decided,
    }
}

/// Decides as [`require`] for a step that several actions permit, each at its own place (the ballot
/// roll: the topic's leads, or whoever enters the compound's paper ballots): allowed if any allows, else
/// refused naming every role that would have done, once each; `Hidden` when one hid and none names a role.
pub fn require_any(actor: &Actor, options: &[(Action, &PlaceContext)]) -> Result<(), Denied> {
    let mut needed: Vec<NeededRole> = Vec::new();
    let mut hidden = false;
    for &(action, ctx) in options {
        match require(actor, action, ctx) {
            Ok(()) => return Ok(()),
            Err(Denied::Requires(more)) => {
                for role in more {
                    if !needed.contains(&role) {
                        needed.push(role);
                    }
                }
            }
            Err(Denied::Forbidden | Denied::NotInvited) => {}
            Err(Denied::Hidden) => hidden = true,
        }
    }
    Err(match (needed.is_empty(), hidden) {
        (false, _) => Denied::Requires(needed),
        (true, true) => Denied::Hidden,
        (true, false) => Denied::Forbidden,
    })
}

fn allows(actor: &Actor, action: Action, ctx: &PlaceContext) -> bool {
    let target = &ctx.ancestry;
    match action {
        Action::CreatePlace(kind) => {
            // Cities are created by the operator, never through the API.
            kind.parent() == Some(target.kind()) && actor.holds_at(ctx, is_staff_or_officer)
        }
        Action::EditPlace => {
            actor.effective_at(ctx).any(|grant| grant.place.id() != target.id() && is_staff_or_officer(grant.role))
        }
        Action::ViewRegister => {
            let own_household = target.kind() == PlaceKind::Household
                && actor
                    .grants
                    .iter()
                    .any(|grant| matches!(grant.role, Role::Resident | Role::Owner) && grant.place.id() == target.id());
            own_household
                || actor.holds_at(ctx, |role| {
                    is_staff_or_officer(role)
                        || role.is_property()
                        || role.is_owners_committee()
                        || role == Role::BuildingLeader
                })
        }
        Action::ReviewClaim => {
            target.kind() == PlaceKind::Household
                && actor.holds_at(ctx, |role| is_staff_or_officer(role) || role.is_property())
        }
        Action::GrantRole(role) => {
            role.scope() == target.kind() && actor.effective_at(ctx).any(|grant| may_grant(grant.role, role))
        }
        Action::SetOwnersCommittee => target.kind() == PlaceKind::Compound && actor.holds_at(ctx, is_officer),
        Action::AssignPropertyCompany => {
            target.kind() == PlaceKind::Compound && actor.holds_at(ctx, is_staff_or_officer)
        }
        Action::ActForOwnersCommittee => {
            let Some(compound) = ctx.compound.filter(|_| target.kind() == PlaceKind::Compound) else {
                return false;
            };
            let roles = crate::topic::Party::OwnersCommittee.acting_roles(&compound);
            actor.holds_at(ctx, |role| roles.contains(&role))
        }
        Action::ManageGrids => target.kind() == PlaceKind::Community && actor.holds_at(ctx, is_staff_or_officer),
        Action::ViewOfficeHolders => actor.is_connected(ctx),
        Action::ManageCatalogue => {
            target.kind() == PlaceKind::Community && actor.holds_at(ctx, Role::is_community_staff)
        }
        // Community staff in their community; street officers and above also for a whole street.
        Action::ManageRounds => {
            target.kind() >= PlaceKind::Street
                && target.kind() != PlaceKind::Household
                && actor.holds_at(ctx, is_staff_or_officer)
        }
        Action::SubmitTopic => {
            about_compound_or_building(target.kind())
                && (actor.holds_within_compound(ctx, lives_or_serves_inside)
                    || actor.holds_at(ctx, Role::is_community_staff))
        }
        Action::CoSignTopic => {
            about_compound_or_building(target.kind()) && actor.holds_within_compound(ctx, lives_or_serves_inside)
        }
        // Residents see their compound's topics; staff and officers also see whole communities and above.
        Action::ViewTopics => match target.kind() {
            PlaceKind::Compound | PlaceKind::Building => {
                actor.holds_within_compound(ctx, |_| true) || actor.holds_at(ctx, is_staff_or_officer)
            }
            PlaceKind::Household => false,
            _ => actor.holds_at(ctx, is_staff_or_officer),
        },
        Action::TriageTopic | Action::ViewStaffTimeline => {
            about_compound_or_building(target.kind()) && actor.holds_at(ctx, is_staff_or_officer)
        }
        // The level's officers or those above them: an officer below the topic's level no longer decides it.
        Action::TriageEscalatedTopic(level) => {
            about_compound_or_building(target.kind())
                && actor
                    .effective_at(ctx)
                    .any(|grant| grant.role.officer_level().is_some() && grant.place.kind() <= level)
        }
        Action::HandleServiceRequest => {
            about_compound_or_building(target.kind()) && actor.holds_within_compound(ctx, Role::is_property)
        }
        Action::ActForParty(party) => about_compound_or_building(target.kind()) && acts_for_party(actor, party, ctx),
        Action::RateTopic => {
            about_compound_or_building(target.kind())
                && actor.holds_within_compound(ctx, |role| matches!(role, Role::Resident | Role::Owner))
        }
        Action::PostOpinion => {
            about_compound_or_building(target.kind())
                && (actor.holds_within_compound(ctx, lives_or_serves_inside)
                    || actor.holds_at(ctx, is_staff_or_officer))
        }
        Action::ModerateOpinions => {
            about_compound_or_building(target.kind()) && actor.holds_at(ctx, is_staff_or_officer)
        }
        Action::MergePeople => target.kind() == PlaceKind::Compound && actor.holds_at(ctx, is_staff_or_officer),
        Action::PublishDisclosure(kind) => crate::disclosure_rules::may_publish(actor, kind, ctx),
        Action::QuestionDisclosure => crate::disclosure_rules::may_question(actor, ctx),
        Action::RecordDeveloper => {
            matches!(target.kind(), PlaceKind::Compound | PlaceKind::Household)
                && actor.holds_at(ctx, is_staff_or_officer)
        }
        Action::ManageSurveys => target.kind() == PlaceKind::Compound && actor.holds_at(ctx, is_staff_or_officer),
        Action::AnswerSurvey => {
            target.kind() == PlaceKind::Compound
                && actor.holds_within_compound(ctx, |role| matches!(role, Role::Resident | Role::Owner))
        }
        Action::ViewSurveys => {
            target.kind() == PlaceKind::Compound
                && (actor.holds_within_compound(ctx, |_| true) || actor.holds_at(ctx, is_staff_or_officer))
        }
        // At a community: its whole queue; at a compound or building: what was submitted about it.
        Action::ModerateContent => {
            (target.kind() == PlaceKind::Community || about_compound_or_building(target.kind()))
                && actor.holds_at(ctx, Role::is_community_staff)
        }
    }
}

/// The party's roles (`Party::acting_roles`) held over the target (community staff) or inside its compound
/// (the committee, building leaders, property staff under contract). Without the compound's facts nobody
/// acts: a compound or building always has them unless its rows are corrupt.
pub(crate) fn acts_for_party(actor: &Actor, party: crate::topic::Party, ctx: &PlaceContext) -> bool {
    let Some(compound) = ctx.compound else { return false };
    let roles = party.acting_roles(&compound);
    let acting = |role: Role| roles.contains(&role);
    actor.holds_at(ctx, acting) || actor.holds_within_compound(ctx, acting)
}

fn about_compound_or_building(kind: PlaceKind) -> bool {
    matches!(kind, PlaceKind::Compound | PlaceKind::Building)
}

/// Those who raise and co-sign a compound's topics: residents and owners, and the building leaders and
/// owners' committee members who gather opinions from them. Staff and the property company do not co-sign.
fn lives_or_serves_inside(role: Role) -> bool {
    matches!(role, Role::Resident | Role::Owner | Role::BuildingLeader) || role.is_owners_committee()
}

/// Who may grant which role, given that the granter's place contains the grant's place.
fn may_grant(granter: Role, granted: Role) -> bool {
    if let Some(level) = granter.officer_level() {
        // Officers appoint anyone below them; city administrators may also add fellow administrators.
        return match granted.officer_level() {
            Some(granted_level) => {
                granted_level < level || (granter == Role::CityAdministrator && granted == Role::CityAdministrator)
            }
            None => true,
        };
    }
    match granted {
        Role::Resident | Role::Owner => granter.is_community_staff() || granter.is_property(),
        Role::PropertyStaff => granter.is_community_staff() || granter == Role::PropertyManager,
        Role::BuildingLeader
        | Role::PropertyManager
        | Role::Lawyer
        | Role::Mediator
        | Role::Deputy
        | Role::SocialWorker => granter.is_community_staff(),
        // Owners' committees are elected by the owners' assembly and filed with the street; community staff
        // and officers are appointed from above.
        Role::OwnersCommitteeMember
        | Role::OwnersCommitteeChair
        | Role::ResidentsCommitteeStaff
        | Role::PartySecretary
        | Role::StreetOfficer
        | Role::DistrictOfficer
        | Role::CityAdministrator => false,
    }
}

/// The property-company registry is city-wide and belongs to no place: community staff and officers add
/// to it, wherever they serve.
pub fn authorize_company_registration(actor: &Actor) -> Result<(), Denied> {
    if actor.grants.iter().any(|grant| is_staff_or_officer(grant.role)) { Ok(()) } else { Err(Denied::Forbidden) }
}

/// Message delivery is platform plumbing: the outbox holds every resident's contact addresses and what
/// they were told, and a webhook sends the events of whole districts to a partner. Only city
/// administrators see the outbox, replay dead letters or register webhooks.
pub fn authorize_delivery_operations(actor: &Actor) -> Result<(), Denied> {
    if is_city_administrator(actor) { Ok(()) } else { Err(needs_city_administrator(actor)) }
}

/// Replaying a partner's webhooks sends again every public event of its scope from a point in the log:
/// the same plumbing as registering the endpoint, so the same people.
pub fn authorize_webhook_replay(actor: &Actor) -> Result<(), Denied> {
    authorize_delivery_operations(actor)
}

fn is_city_administrator(actor: &Actor) -> bool {
    actor.grants.iter().any(|grant| grant.role == Role::CityAdministrator)
}

/// A refusal for want of a city administrator's role, naming the city the actor serves or lives in (the
/// only city they know of); `Forbidden` for someone with no role anywhere.
fn needs_city_administrator(actor: &Actor) -> Denied {
    match actor.grants.iter().find_map(|grant| grant.place.at(PlaceKind::City)) {
        Some(city) => city_administrator_of(city),
        None => Denied::Forbidden,
    }
}

fn city_administrator_of(city: PlaceId) -> Denied {
    Denied::Requires(vec![NeededRole {
        role: Role::CityAdministrator,
        place: city,
        kind: PlaceKind::City,
        inside: false,
    }])
}

/// Moving the demo's clock forward moves every deadline of every place at once, so it is the city
/// administrators' alone (and the API offers it only in the demo profile).
pub fn authorize_clock_travel(actor: &Actor) -> Result<(), Denied> {
    if is_city_administrator(actor) { Ok(()) } else { Err(needs_city_administrator(actor)) }
}

/// Who calls: a person with the roles they hold now, or an API partner (a machine) with its scope.
#[derive(Debug, Clone, Copy)]
pub enum Caller<'a> {
    Person(&'a Actor),
    Partner(&'a Partner),
}

impl<'a> From<&'a Actor> for Caller<'a> {
    fn from(actor: &'a Actor) -> Self {
        Caller::Person(actor)
    }
}

impl<'a> From<&'a Partner> for Caller<'a> {
    fn from(partner: &'a Partner) -> Self {
        Caller::Partner(partner)
    }
}

impl<'a> Caller<'a> {
    /// The person taking a person's action. Every action but reading is a person's — submitting,
    /// co-signing, voting, triaging, administering, and every personal read (my topics, my ballot) — so
    /// a partner is refused them all, whatever its scope, before anything runs.
    pub fn person(self) -> Result<&'a Actor, PartnerDenied> {
        match self {
            Caller::Person(actor) => Ok(actor),
            Caller::Partner(_) => Err(PartnerDenied::PeopleOnly),
        }
    }

    /// The person reading, when a person reads: whose co-signature and own steps a read may show.
    pub fn person_id(self) -> Option<PersonId> {
        match self {
            Caller::Person(actor) => Some(actor.person),
            Caller::Partner(_) => None,
        }
    }

    /// Decides a read for either kind of caller. A partner's refusals come back as a person's would: out
    /// of scope is `Hidden`, anything else `Forbidden` (the API refuses partners people's actions with
    /// their own error before they get here; see [`Caller::person`]).
    pub fn authorize(self, action: Action, ctx: &PlaceContext) -> Result<(), Denied> {
        match self {
            Caller::Person(actor) => authorize(actor, action, ctx),
            Caller::Partner(partner) => authorize_partner(partner, action, ctx).map_err(|denied| match denied {
                PartnerDenied::OutOfScope => Denied::Hidden,
                PartnerDenied::PeopleOnly | PartnerDenied::Disabled | PartnerDenied::MissingScope(_) => {
                    Denied::Forbidden
                }
            }),
        }
    }
}

/// What an API partner may do at the target: read the topics of places at or below its scope and their
/// public timelines — what every resident of those places reads, and no more (no staff notes, no names
/// of residents). Every other action is taken by a person in a role, and a partner is refused it whatever
/// its scope. Each action is named here, so a new one has to be put on one side or the other.
pub fn authorize_partner(partner: &Partner, action: Action, ctx: &PlaceContext) -> Result<(), PartnerDenied> {
    if !partner.is_active() {
        return Err(PartnerDenied::Disabled);
    }
    match action {
        Action::ViewTopics => {
            partner.may(crate::partner::PartnerScope::Topics)?;
            let target = &ctx.ancestry;
            if target.kind() != PlaceKind::Household && target.is_within(partner.scope.id()) {
                Ok(())
            } else {
                Err(PartnerDenied::OutOfScope)
            }
        }
        Action::CreatePlace(_)
        | Action::EditPlace
        | Action::ViewRegister
        | Action::ReviewClaim
        | Action::GrantRole(_)
        | Action::SetOwnersCommittee
        | Action::AssignPropertyCompany
        | Action::ActForOwnersCommittee
        | Action::ManageGrids
        | Action::ViewOfficeHolders
        | Action::ManageCatalogue
        | Action::ManageRounds
        | Action::SubmitTopic
        | Action::CoSignTopic
        | Action::TriageTopic
        | Action::TriageEscalatedTopic(_)
        | Action::ViewStaffTimeline
        | Action::HandleServiceRequest
        | Action::ActForParty(_)
        | Action::RateTopic
        | Action::PostOpinion
        | Action::ModerateOpinions
        | Action::RecordDeveloper
        | Action::MergePeople
        | Action::PublishDisclosure(_)
        | Action::QuestionDisclosure
        | Action::ManageSurveys
        | Action::AnswerSurvey
        | Action::ViewSurveys
        | Action::ModerateContent => Err(PartnerDenied::PeopleOnly),
    }
}

/// The partner registry is the city's: a credential reads a whole scope's topics on its own, so only a
/// city administrator of the city the scope lies in registers, rotates or disables it. District and
/// street officers, community staff and residents are refused, as for webhooks.
pub fn authorize_partner_administration(actor: &Actor, scope: &Ancestry) -> Result<(), Denied> {
    let administers =
        actor.grants.iter().any(|grant| grant.role == Role::CityAdministrator && scope.is_within(grant.place.id()));
    if administers {
        Ok(())
    } else {
        Err(city_administrator_of(scope.at(PlaceKind::City).unwrap_or_else(|| scope.id())))
    }
}

/// Whether the actor keeps any city's partner registry, before a listing shows them the partners of
/// their own cities (each checked with [`authorize_partner_administration`]).
pub fn authorize_partner_registry(actor: &Actor) -> Result<(), Denied> {
    if is_city_administrator(actor) { Ok(()) } else { Err(needs_city_administrator(actor)) }
}

/// The actions in `candidates` the actor may take at the target, for clients that show or hide buttons.
pub fn permitted(actor: &Actor, ctx: &PlaceContext, candidates: &[Action]) -> Vec<Action> {
    candidates.iter().copied().filter(|action| allows(actor, *action, ctx)).collect()
}

/// Every action worth asking about at a place of this kind.
pub fn actions_at(kind: PlaceKind) -> Vec<Action> {
    let mut actions = vec![Action::EditPlace, Action::ViewRegister, Action::ViewOfficeHolders];
    if let Some(child) = kind.child() {
        actions.push(Action::CreatePlace(child));
    }
    actions.extend(Role::ALL.into_iter().filter(|r| r.scope() == kind).map(Action::GrantRole));
    match kind {
        PlaceKind::Household => actions.push(Action::ReviewClaim),
        PlaceKind::Compound => {
            actions.extend([Action::SetOwnersCommittee, Action::AssignPropertyCompany, Action::ActForOwnersCommittee])
        }
        PlaceKind::Community => actions.push(Action::ManageGrids),
        _ => {}
    }
    actions.extend(crate::disclosure_rules::disclosure_actions_at(kind));
    actions
}
