use async_graphql::{ID, Object};
use gongzhi_infra::companies::Company;

use crate::graphql::ids::{NodeType, encode};

/// A property-service company (物业服务企业).
pub struct PropertyCompany(pub Company);

#[Object]
impl PropertyCompany {
    pub async fn id(&self) -> ID {
        encode(NodeType::PropertyCompany, self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Unified social credit code (统一社会信用代码).
    async fn credit_code(&self) -> Option<&str> {
        self.0.credit_code.as_deref()
    }
}
