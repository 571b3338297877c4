//! API partners as city administrators see them: the registry's entries and, once, a credential.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::partner::{self, PartnerStatus};
use gongzhi_infra::partners::{IssuedCredentials, PartnerRecord};

use super::place::Place;
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};

/// What kind of system a partner is.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PartnerKind {
    /// A third-party smart-community app (智慧社区应用).
    SmartCommunityApp,
    /// A city integration system (城市系统).
    CitySystem,
}

impl From<PartnerKind> for partner::PartnerKind {
    fn from(kind: PartnerKind) -> Self {
        match kind {
            PartnerKind::SmartCommunityApp => partner::PartnerKind::SmartCommunityApp,
            PartnerKind::CitySystem => partner::PartnerKind::CitySystem,
        }
    }
}

impl From<partner::PartnerKind> for PartnerKind {
    fn from(kind: partner::PartnerKind) -> Self {
        match kind {
            partner::PartnerKind::SmartCommunityApp => PartnerKind::SmartCommunityApp,
            partner::PartnerKind::CitySystem => PartnerKind::CitySystem,
        }
    }
}

/// What a partner may read or do (decision 120).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PartnerScope {
    /// Topic feeds, counts, and a topic's public fields and timeline.
    Topics,
    /// A topic's tasks and their progress.
    Tasks,
    /// Votes and their results as the public sees them.
    Votes,
    /// Meetings and their minutes.
    Meetings,
    /// Solicitation rounds.
    Rounds,
    /// Statistics (granted now; served when the statistics come).
    Statistics,
    /// Filing and following service requests through Open311 GeoReport v2 (`/open311/v2/`).
    #[graphql(name = "OPEN311")]
    Open311,
}

impl From<PartnerScope> for partner::PartnerScope {
    fn from(scope: PartnerScope) -> Self {
        match scope {
            PartnerScope::Topics => partner::PartnerScope::Topics,
            PartnerScope::Tasks => partner::PartnerScope::Tasks,
            PartnerScope::Votes => partner::PartnerScope::Votes,
            PartnerScope::Meetings => partner::PartnerScope::Meetings,
            PartnerScope::Rounds => partner::PartnerScope::Rounds,
            PartnerScope::Statistics => partner::PartnerScope::Statistics,
            PartnerScope::Open311 => partner::PartnerScope::Open311,
        }
    }
}

impl From<partner::PartnerScope> for PartnerScope {
    fn from(scope: partner::PartnerScope) -> Self {
        match scope {
            partner::PartnerScope::Topics => PartnerScope::Topics,
            partner::PartnerScope::Tasks => PartnerScope::Tasks,
            partner::PartnerScope::Votes => PartnerScope::Votes,
            partner::PartnerScope::Meetings => PartnerScope::Meetings,
            partner::PartnerScope::Rounds => PartnerScope::Rounds,
            partner::PartnerScope::Statistics => PartnerScope::Statistics,
            partner::PartnerScope::Open311 => PartnerScope::Open311,
        }
    }
}

pub struct ApiPartner(pub PartnerRecord);

/// A smart-community app or city system that reads the topics of its scope with a client credential.
#[Object]
impl ApiPartner {
    async fn id(&self) -> ID {
        encode(NodeType::ApiPartner, self.0.partner.id)
    }

    async fn name(&self) -> &str {
        self.0.partner.name.as_str()
    }

    async fn kind(&self) -> PartnerKind {
        self.0.partner.kind.into()
    }

    /// The public half of its credential, sent with the secret to `POST /oauth/token`.
    async fn client_id(&self) -> String {
        self.0.partner.client_id().as_str().to_owned()
    }

    /// It reads the topics of this place and every place below it (a city: the whole city).
    async fn scope(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.partner.scope.id()).await.gql()?.map(Place))
    }

    /// Its own budget of query-complexity points per rate-limit window; `null` takes the default.
    async fn rate_points(&self) -> Option<i32> {
        self.0.partner.rate_budget.map(|budget| i32::try_from(budget.points()).unwrap_or(i32::MAX))
    }

    /// The budget it is held to: its own, or the configured default.
    async fn effective_rate_points(&self, ctx: &Context<'_>) -> i32 {
        let points = match self.0.partner.rate_budget {
            Some(budget) => budget.points(),
            None => ctx.state().settings.rate_limits.partner_points,
        };
        i32::try_from(points).unwrap_or(i32::MAX)
    }

    /// False once disabled: its secret and tokens no longer work.
    async fn enabled(&self) -> bool {
        self.0.partner.is_active()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// What it may read or do.
    async fn scopes(&self) -> Vec<PartnerScope> {
        self.0.partner.scopes.iter().map(PartnerScope::from).collect()
    }

    /// Until when the secret replaced by the last rotation still works; `null` when it stopped at once.
    async fn old_secret_valid_until(&self) -> Option<DateTime<Utc>> {
        self.0.partner.previous_secret.map(|old| old.until)
    }

    /// When its secret was last replaced; `null` while the first one is in use.
    async fn secret_rotated_at(&self) -> Option<DateTime<Utc>> {
        self.0.secret_rotated_at
    }

    async fn disabled_at(&self) -> Option<DateTime<Utc>> {
        match self.0.partner.status {
            PartnerStatus::Active => None,
            PartnerStatus::Disabled { at } => Some(at),
        }
    }
}

/// A partner's credential, shown this once: only a hash of the secret is kept, so a lost secret is
/// replaced with `rotatePartnerSecret`, never shown again.
#[derive(SimpleObject)]
pub struct PartnerCredentials {
    pub partner: ApiPartner,
    pub client_id: String,
    /// The secret, this once; `null` when `registerPartner` found the partner already registered (its
    /// secret was shown then: rotate it if that answer was lost).
    pub client_secret: Option<String>,
    /// False when `registerPartner` answered a partner registered before under the same name and scope.
    pub created: bool,
}

impl PartnerCredentials {
    pub fn new(record: PartnerRecord, issued: IssuedCredentials) -> Self {
        Self {
            partner: ApiPartner(record),
            client_id: issued.client_id.as_str().to_owned(),
            client_secret: Some(issued.client_secret),
            created: true,
        }
    }

    /// A partner registered before: its credential's public half, no secret.
    pub fn existing(record: PartnerRecord) -> Self {
        let client_id = record.partner.client_id().as_str().to_owned();
        Self { partner: ApiPartner(record), client_id, client_secret: None, created: false }
    }
}
