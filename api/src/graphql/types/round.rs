use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};
use gongzhi_domain::topic::SolicitationRound;

use crate::graphql::ids::{NodeType, encode};

/// A solicitation round (征集活动): topics invited on a theme until a closing time.
pub struct Round(pub SolicitationRound);

#[Object]
impl Round {
    pub async fn id(&self) -> ID {
        encode(NodeType::Round, self.0.id)
    }

    async fn theme(&self) -> &str {
        self.0.theme.as_str()
    }

    async fn place_id(&self) -> ID {
        encode(NodeType::Place, self.0.place)
    }

    async fn opens_at(&self) -> DateTime<Utc> {
        self.0.opens_at
    }

    async fn closes_at(&self) -> DateTime<Utc> {
        self.0.closes_at
    }
}
