use async_graphql::{Context, ID, Object};
use gongzhi_domain::topic::Category as Inner;

use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::i18n::Lang;

/// An entry of a community's deliberation catalogue (协商共治事项目录).
pub struct Category(pub Inner);

#[Object]
impl Category {
    pub async fn id(&self) -> ID {
        encode(NodeType::Category, self.0.id)
    }

    async fn code(&self) -> &str {
        self.0.code.as_str()
    }

    async fn name_zh(&self) -> &str {
        self.0.name_zh.as_str()
    }

    async fn name_en(&self) -> &str {
        self.0.name_en.as_str()
    }

    /// The name in the request's language.
    async fn name(&self, ctx: &Context<'_>) -> &str {
        match ctx.request().map(|r| r.lang).unwrap_or_default() {
            Lang::Zh => self.0.name_zh.as_str(),
            Lang::En => self.0.name_en.as_str(),
        }
    }

    /// Retired entries keep their old topics but take no new ones.
    async fn active(&self) -> bool {
        self.0.active
    }
}
