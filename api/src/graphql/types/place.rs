use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object, SimpleObject};
use gongzhi_domain::Denied;
use gongzhi_domain::place::PlaceKind as DomainKind;
use gongzhi_domain::policy::{self, Action};
use gongzhi_infra::place_relations::{Offices, Register};
use gongzhi_infra::places::Place as Inner;

use super::company::PropertyCompany;
use super::enums::{PlaceKind, Role};
use super::grid::Grid;
use super::role_grant::RoleGrant;
use crate::error::{ApiError, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, cursor, encode};
use crate::graphql::loaders::{CompanyLoader, FirstChildrenLoader, GridsLoader, MembersLoader, OfficeHoldersLoader};
use crate::graphql::page::{PageArgs, page_args};
use crate::graphql::preload;

/// A node of the tenancy tree: city, district, street, community, compound, building or household.
/// Names and the tree itself are public to anyone logged in; the register (areas, owners, residents) is not.
pub struct Place(pub Inner);

/// The owners' committee of a compound as filed, and whether the residents' committee acts in its
/// place (代行: no committee, or fewer than half its seats filled).
#[derive(SimpleObject)]
pub struct OwnersCommittee {
    seats: Option<u16>,
    filled: u16,
    residents_committee_acts: bool,
}

/// Something the logged-in person may do here.
#[derive(SimpleObject)]
pub struct Permission {
    /// e.g. CREATE_PLACE, GRANT_ROLE, VIEW_REGISTER, REVIEW_CLAIM, ACT_FOR_OWNERS_COMMITTEE.
    action: String,
    /// For GRANT_ROLE: which role.
    role: Option<Role>,
    /// For CREATE_PLACE: which kind of place.
    kind: Option<PlaceKind>,
}

fn party_action(party: gongzhi_domain::topic::Party) -> &'static str {
    use gongzhi_domain::topic::Party;
    match party {
        Party::PartyOrganisation => "ACT_FOR_PARTY_ORGANISATION",
        Party::ResidentsCommittee => "ACT_FOR_RESIDENTS_COMMITTEE",
        Party::OwnersCommittee => "ACT_FOR_OWNERS_COMMITTEE_PARTY",
        Party::BuildingLeaders => "ACT_FOR_BUILDING_LEADERS",
        Party::PropertyCompany => "ACT_FOR_PROPERTY_COMPANY",
    }
}

fn disclosure_action(kind: gongzhi_domain::disclosure::DisclosureKind) -> &'static str {
    use gongzhi_domain::disclosure::DisclosureKind;
    match kind {
        DisclosureKind::Minutes => "PUBLISH_MINUTES",
        DisclosureKind::PropertyAccounts => "PUBLISH_PROPERTY_ACCOUNTS",
        DisclosureKind::CommitteeFunds => "PUBLISH_COMMITTEE_FUNDS",
    }
}

fn permission(action: Action) -> Permission {
    let (name, role, kind) = match action {
        Action::CreatePlace(kind) => ("CREATE_PLACE", None, Some(kind.into())),
        Action::EditPlace => ("EDIT_PLACE", None, None),
        Action::ViewRegister => ("VIEW_REGISTER", None, None),
        Action::ReviewClaim => ("REVIEW_CLAIM", None, None),
        Action::GrantRole(role) => ("GRANT_ROLE", Some(role.into()), None),
        Action::SetOwnersCommittee => ("SET_OWNERS_COMMITTEE", None, None),
        Action::AssignPropertyCompany => ("ASSIGN_PROPERTY_COMPANY", None, None),
        Action::ActForOwnersCommittee => ("ACT_FOR_OWNERS_COMMITTEE", None, None),
        Action::ManageGrids => ("MANAGE_GRIDS", None, None),
        Action::ViewOfficeHolders => ("VIEW_OFFICE_HOLDERS", None, None),
        Action::ManageCatalogue => ("MANAGE_CATALOGUE", None, None),
        Action::ManageRounds => ("MANAGE_ROUNDS", None, None),
        Action::SubmitTopic => ("SUBMIT_TOPIC", None, None),
        Action::ViewTopics => ("VIEW_TOPICS", None, None),
        Action::CoSignTopic => ("CO_SIGN_TOPIC", None, None),
        Action::TriageTopic => ("TRIAGE_TOPIC", None, None),
        Action::TriageEscalatedTopic(level) => ("TRIAGE_ESCALATED_TOPIC", None, Some(level.into())),
        Action::ViewStaffTimeline => ("VIEW_STAFF_TIMELINE", None, None),
        Action::HandleServiceRequest => ("HANDLE_SERVICE_REQUEST", None, None),
        Action::ActForParty(party) => (party_action(party), None, None),
        Action::RateTopic => ("RATE_TOPIC", None, None),
        Action::PostOpinion => ("POST_OPINION", None, None),
        Action::ModerateOpinions => ("MODERATE_OPINIONS", None, None),
        Action::RecordDeveloper => ("RECORD_DEVELOPER", None, None),
        Action::MergePeople => ("MERGE_PEOPLE", None, None),
        Action::PublishDisclosure(kind) => (disclosure_action(kind), None, None),
        Action::QuestionDisclosure => ("QUESTION_DISCLOSURE", None, None),
        Action::ManageSurveys => ("MANAGE_SURVEYS", None, None),
        Action::AnswerSurvey => ("ANSWER_SURVEY", None, None),
        Action::ViewSurveys => ("VIEW_SURVEYS", None, None),
        Action::ModerateContent => ("MODERATE_CONTENT", None, None),
    };
    Permission { action: name.to_owned(), role, kind }
}

impl Place {
    /// Refuses unless the viewer may read this place's register; `Hidden` reads as not found.
    async fn check(&self, ctx: &Context<'_>, action: Action) -> async_graphql::Result<()> {
        let actor = ctx.actor().await?;
        let context = ctx.place_context(self.0.id()).await?;
        policy::require(actor, action, &context).map_err(|denied| match denied {
            Denied::Forbidden => ApiError::Forbidden.into_graphql(),
            Denied::Requires(needed) => ApiError::Requires(needed).into_graphql(),
            Denied::Hidden => ApiError::NotFound.into_graphql(),
            Denied::NotInvited => ApiError::NotInvited.into_graphql(),
        })
    }
}

#[Object]
impl Place {
    pub async fn id(&self) -> ID {
        encode(NodeType::Place, self.0.id())
    }

    async fn kind(&self) -> PlaceKind {
        self.0.kind().into()
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Administrative or register code, if recorded.
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        let Some(parent) = self.0.ancestry.parent_id() else { return Ok(None) };
        Ok(ctx.places()?.load_one(parent).await.gql()?.map(Place))
    }

    /// From the city down to the parent.
    async fn ancestors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Place>> {
        let mut path = self.0.ancestry.path();
        path.pop();
        let loaded = ctx.places()?.load_many(path.iter().copied()).await.gql()?;
        Ok(path.iter().filter_map(|id| loaded.get(id).cloned()).map(Place).collect())
    }

    #[graphql(complexity = "first.unwrap_or(20).max(0) as usize * child_complexity + 1")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Place>> {
        ctx.actor().await?;
        let PageArgs { limit, after } = page_args(first, after).gql()?;
        if after.is_some() {
            // A later page continues one place's list, so it is read for this place alone.
            return children_page(ctx, Some(self.0.id()), after, limit).await;
        }
        // The first page is read for every place of a list at once (one more row says whether more follow).
        let rows = u64::try_from(limit + 1).unwrap_or(u64::MAX);
        let rows = ctx.loader::<FirstChildrenLoader>()?.load_one((self.0.id(), rows)).await.gql()?;
        connection(ctx, rows.unwrap_or_default(), false, limit).await
    }

    /// Exclusive floor area in m² with two decimals (households). Part of the register.
    async fn area_m2(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        if self.0.kind() != DomainKind::Household {
            return Ok(None);
        }
        self.check(ctx, Action::ViewRegister).await?;
        Ok(self.0.area.map(|a| a.to_string()))
    }

    /// Residents and owners of a household. Part of the register.
    async fn members(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RoleGrant>> {
        let actor = ctx.actor().await?;
        let register = Register::check(actor, &ctx.place_context(self.0.id()).await?).gql()?;
        let members = ctx.loader::<MembersLoader>()?.load_one(register).await.gql()?.unwrap_or_default();
        preload::grants(ctx, ctx.look_ahead(), &members).await?;
        Ok(members.into_iter().map(RoleGrant).collect())
    }

    /// Committees, staff, officers and building leaders holding office here.
    async fn office_holders(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RoleGrant>> {
        let actor = ctx.actor().await?;
        let offices = Offices::check(actor, &ctx.place_context(self.0.id()).await?).gql()?;
        let holders = ctx.loader::<OfficeHoldersLoader>()?.load_one(offices).await.gql()?.unwrap_or_default();
        preload::grants(ctx, ctx.look_ahead(), &holders).await?;
        Ok(holders.into_iter().map(RoleGrant).collect())
    }

    /// Compounds: the owners' committee on file and whether the residents' committee acts for it.
    async fn owners_committee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OwnersCommittee>> {
        if self.0.kind() != DomainKind::Compound {
            return Ok(None);
        }
        ctx.actor().await?;
        let Some(facts) = ctx.place_context(self.0.id()).await?.compound else { return Ok(None) };
        Ok(Some(OwnersCommittee {
            seats: facts.owners_committee.map(|c| c.seats),
            filled: facts.owners_committee.map_or(0, |c| c.filled),
            residents_committee_acts: facts.residents_committee_acts_for_owners(),
        }))
    }

    /// Compounds: the company holding the property-service contract.
    async fn property_company(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PropertyCompany>> {
        let Some(company) = self.0.property_company else { return Ok(None) };
        ctx.actor().await?;
        let company = ctx.loader::<CompanyLoader>()?.load_one(company).await.gql()?;
        company.map(PropertyCompany).map(Some).ok_or_else(|| ApiError::NotFound.into_graphql())
    }

    /// Communities: their grids.
    async fn grids(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Grid>> {
        if self.0.kind() != DomainKind::Community {
            return Ok(Vec::new());
        }
        ctx.actor().await?;
        let grids = ctx.loader::<GridsLoader>()?.load_one(self.0.id()).await.gql()?.unwrap_or_default();
        preload::grids(ctx, ctx.look_ahead(), &grids).await?;
        Ok(grids.into_iter().map(Grid).collect())
    }

    /// What the logged-in person may do here, for clients deciding which actions to offer.
    async fn my_permissions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Permission>> {
        let actor = ctx.actor().await?;
        let context = ctx.place_context(self.0.id()).await?;
        let allowed = policy::permitted(actor, &context, &policy::actions_at(self.0.kind()));
        Ok(allowed.into_iter().map(permission).collect())
    }
}

/// One page of a place's children (or of the cities, for `parent: None`).
pub async fn children_page(
    ctx: &Context<'_>,
    parent: Option<gongzhi_domain::ids::PlaceId>,
    after: Option<uuid::Uuid>,
    limit: usize,
) -> async_graphql::Result<Connection<String, Place>> {
    let fetch = u64::try_from(limit + 1).unwrap_or(u64::MAX);
    let rows = ctx.store().children(parent, after.map(Into::into), fetch).await.gql()?;
    connection(ctx, rows, after.is_some(), limit).await
}

/// A page of places from `limit + 1` rows read, with what its rows select loaded for all of them.
async fn connection(
    ctx: &Context<'_>,
    mut rows: Vec<Inner>,
    has_previous: bool,
    limit: usize,
) -> async_graphql::Result<Connection<String, Place>> {
    let has_next = rows.len() > limit;
    rows.truncate(limit);
    // The rows are what their children's `parent` and their grants' `place` name.
    ctx.places()?.feed_many(rows.iter().map(|place| (place.id(), place.clone()))).await;
    preload::places(ctx, preload::rows_of(&ctx.look_ahead()), &rows).await?;
    let mut connection = Connection::new(has_previous, has_next);
    connection.edges.extend(rows.into_iter().map(|place| Edge::new(cursor(place.id()), Place(place))));
    Ok(connection)
}
