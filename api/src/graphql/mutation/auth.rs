use async_graphql::{Context, Object};
use gongzhi_infra::auth::AuthError;
use gongzhi_infra::wechat::plausible_code;

use crate::error::{ApiError, BadRequest, Gql};
use crate::graphql::context::CtxExt;
use crate::graphql::types::person::Person;
use crate::graphql::types::session::AuthPayload;

/// The payload of a login: the tokens, and the rest of the request resolved under the session they name.
fn logged_in(
    ctx: &Context<'_>,
    tokens: gongzhi_infra::auth::IssuedTokens,
    person: gongzhi_infra::people::Person,
) -> async_graphql::Result<AuthPayload> {
    let state = ctx.state();
    let claims = state.keys.verify(&tokens.access_token, state.store.clock().now());
    let claims = claims.map_err(|err| ApiError::from(gongzhi_infra::Error::from(err)).into_graphql())?;
    ctx.request()?.adopt_session(claims);
    Ok(AuthPayload::new(tokens, person))
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Logs in with the `code` from `wx.login`. A first login creates the person.
    async fn login_with_we_chat(&self, ctx: &Context<'_>, code: String) -> async_graphql::Result<AuthPayload> {
        if !plausible_code(&code) {
            return Err(ApiError::Bad(BadRequest::LoginCode).into_graphql());
        }
        let state = ctx.state();
        let identity = state.wechat.code_to_session(&code).await.map_err(gongzhi_infra::Error::from).gql()?;
        let person = ctx.store().person_for_wechat(&identity.openid, identity.union_id.as_deref()).await.gql()?;
        let tokens = ctx.store().start_session(&state.keys, person.id).await.gql()?;
        logged_in(ctx, tokens, person)
    }

    /// Trades a refresh token for a new pair. Each refresh token works once: presenting a spent one ends
    /// the whole session, because it means the token was copied.
    async fn refresh_session(&self, ctx: &Context<'_>, refresh_token: String) -> async_graphql::Result<AuthPayload> {
        let state = ctx.state();
        let tokens = ctx.store().refresh_session(&state.keys, &refresh_token).await.gql()?;
        let person = ctx.store().person(tokens.person).await.gql()?;
        logged_in(ctx, tokens, person)
    }

    /// Ends the current session: its refresh tokens and access tokens stop working.
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let claims = ctx.claims()?;
        ctx.store().end_session(claims.session(), claims.person()).await.gql()?;
        // Its live subscriptions end now, on every instance, not at their next check.
        let ended = gongzhi_infra::live::LiveMessage::SessionEnded { session: claims.session().as_uuid() };
        ctx.state().live.bus.publish(ended).await;
        Ok(true)
    }

    /// Demo profile only: log in as a member of the demo cast (see `demoCast`), e.g. `as: "rc_staff"`.
    async fn dev_login(&self, ctx: &Context<'_>, r#as: String) -> async_graphql::Result<AuthPayload> {
        let state = ctx.state();
        if !state.settings.is_demo() {
            return Err(ApiError::from(gongzhi_infra::Error::from(AuthError::DevLoginDisabled)).into_graphql());
        }
        let person_id = gongzhi_infra::demo::cast_id(&r#as).ok_or(ApiError::NotFound).gql()?;
        let person = ctx.store().person(person_id).await.gql()?;
        // A closed account has no identity left to log in with; the demo's shortcut respects that too.
        if ctx.store().is_erased(person.id).await.gql()? {
            return Err(ApiError::Unauthenticated(None).into_graphql());
        }
        let tokens = ctx.store().start_session(&state.keys, person.id).await.gql()?;
        logged_in(ctx, tokens, person)
    }

    /// Sets the logged-in person's display name.
    async fn set_my_name(&self, ctx: &Context<'_>, name: String) -> async_graphql::Result<Person> {
        let actor = ctx.actor().await?;
        Ok(Person(ctx.store().set_name(actor.person, &name).await.gql()?))
    }
}
