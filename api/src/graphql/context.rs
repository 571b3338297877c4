//! Typed access to what a request carries, instead of unwrapping `ctx.data()` in every resolver.

use std::sync::Arc;

use async_graphql::Context;
use gongzhi_domain::ids::{PersonId, PlaceId};
use gongzhi_domain::partner::{Partner, PartnerDenied, PartnerScope};
use gongzhi_domain::place::PlaceContext;
use gongzhi_domain::policy::{Actor, Caller};
use gongzhi_infra::Store;
use gongzhi_infra::auth::{AccessClaims, AuthError};
use tokio::sync::OnceCell;

use super::loaders::{Loaded, Loaders, PersonLoader, PlaceContextLoader, PlaceLoader, RequestLoader};
use crate::error::{ApiError, Gql};
use crate::i18n::Lang;
use crate::state::{AppState, SharedState};

/// Per-request facts, put into the GraphQL request by the HTTP layer.
pub struct RequestCtx {
    pub lang: Lang,
    /// Where this request's use cases run: the pool, or a unit of work for an idempotent mutation.
    pub store: Store,
    /// `None` without an `Authorization` header; an error when the token was given but is not good.
    pub auth: Option<Result<AccessClaims, AuthError>>,
    /// The API partner calling, when a partner's token was given and still works (`auth` is `None` then).
    pub partner: Option<Arc<Partner>>,
    /// Where file links minted in this request point (`http::files::origin_of`).
    pub origin: String,
    actor: OnceCell<Actor>,
    /// The session a login in this request started: what the request resolves under from then on, so a
    /// login's payload (`person { roles }`) is answered for the person who just logged in.
    started: std::sync::OnceLock<(AccessClaims, OnceCell<Actor>)>,
    /// Set when a mutation answers `ok: false`: it changed nothing, so its idempotency key stays free.
    refused: Arc<std::sync::atomic::AtomicBool>,
}

impl RequestCtx {
    pub fn new(lang: Lang, store: Store, auth: Option<Result<AccessClaims, AuthError>>) -> Self {
        Self {
            lang,
            store,
            auth,
            partner: None,
            origin: String::new(),
            actor: OnceCell::new(),
            started: std::sync::OnceLock::new(),
            refused: Arc::default(),
        }
    }

    /// Resolves the rest of the request under the session a login just started. A second login in the
    /// same request keeps the first's: one request, one person.
    pub fn adopt_session(&self, claims: AccessClaims) {
        let _ = self.started.set((claims, OnceCell::new()));
    }

    /// The session the request resolves under, and the cell its actor is loaded into.
    fn session(&self) -> Option<(Result<&AccessClaims, AuthError>, &OnceCell<Actor>)> {
        if let Some((claims, actor)) = self.started.get() {
            return Some((Ok(claims), actor));
        }
        match &self.auth {
            Some(Ok(claims)) => Some((Ok(claims), &self.actor)),
            Some(Err(reason)) => Some((Err(reason.clone()), &self.actor)),
            None => None,
        }
    }

    /// File links minted in this request start with `origin` (`https://host`).
    pub fn with_origin(mut self, origin: &str) -> Self {
        origin.clone_into(&mut self.origin);
        self
    }

    /// The request is an API partner's.
    pub fn with_partner(mut self, partner: Option<Arc<Partner>>) -> Self {
        self.partner = partner;
        self
    }

    /// Shares the mark a refused mutation sets, so the HTTP layer can read it after the request ran.
    pub fn with_refusal_mark(mut self, mark: Arc<std::sync::atomic::AtomicBool>) -> Self {
        self.refused = mark;
        self
    }

    /// A mutation of this request was refused (`ok: false`) and changed nothing.
    pub fn note_refusal(&self) {
        self.refused.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

// Only used inside this crate on async-graphql contexts, whose futures are checked for `Send` where used.
#[allow(async_fn_in_trait)]
pub trait CtxExt {
    fn state(&self) -> &AppState;
    /// The request's store; use this, never `state().store`, so idempotent mutations stay in one transaction.
    fn store(&self) -> &Store;
    fn request(&self) -> async_graphql::Result<&RequestCtx>;
    /// The verified token of a person, or `UNAUTHENTICATED` (`FORBIDDEN` for an API partner).
    fn claims(&self) -> async_graphql::Result<&AccessClaims>;
    /// Who calls: the logged-in person (as `actor`), or an API partner. Only reads take a caller.
    async fn caller(&self) -> async_graphql::Result<Caller<'_>>;
    /// The logged-in person with their current roles, loaded once per request. Every person's action
    /// starts here, so an API partner is refused them all (`FORBIDDEN`, with reason `PEOPLE_ONLY`).
    async fn actor(&self) -> async_graphql::Result<&Actor>;
    fn places(&self) -> async_graphql::Result<&Loaded<PlaceLoader>>;
    fn people(&self) -> async_graphql::Result<&Loaded<PersonLoader>>;
    /// Any of the request's loaders (see `loaders::attach`).
    fn loader<L: RequestLoader>(&self) -> async_graphql::Result<&Loaded<L>>;
    /// Whether the request's loaders remember what they load (queries), so loading a list's relations
    /// ahead (`preload`) saves the rows their statements.
    fn remembers(&self) -> bool;
    /// The logged-in person; `None` for an API partner, who has nothing personal (never co-signed, rated
    /// or voted), so "did I…" fields answer no rather than with an error that would take the whole list
    /// with it.
    async fn viewer(&self) -> async_graphql::Result<Option<PersonId>>;
    /// The viewer's key for personal loaders: (the logged-in person, `id`); `None` for an API partner.
    async fn mine<K: Send>(&self, id: K) -> async_graphql::Result<Option<(PersonId, K)>>;
    /// Whether the logged-in person is `person`; never an API partner.
    async fn is_me(&self, person: PersonId) -> async_graphql::Result<bool>;
    /// The policy's context of a place, batched across the request; `NOT_FOUND` when there is no such place.
    async fn place_context(&self, place: PlaceId) -> async_graphql::Result<PlaceContext>;
    /// For an API partner, whether it holds `scope` (`FORBIDDEN`, reason `MISSING_SCOPE`, when not); a
    /// person passes, their roles decide later (decision 120).
    fn partner_may(&self, scope: PartnerScope) -> async_graphql::Result<()>;
}

fn missing(what: &str) -> async_graphql::Error {
    tracing::error!(what, "request context is missing a value");
    ApiError::Internal.into_graphql()
}

impl CtxExt for Context<'_> {
    fn state(&self) -> &AppState {
        // The HTTP layer always inserts the state; a schema executed without it is a programming error
        // caught by every test.
        self.data_unchecked::<SharedState>()
    }

    fn store(&self) -> &Store {
        self.data_opt::<RequestCtx>().map_or(&self.state().store, |request| &request.store)
    }

    fn request(&self) -> async_graphql::Result<&RequestCtx> {
        self.data_opt::<RequestCtx>().ok_or_else(|| missing("RequestCtx"))
    }

    fn claims(&self) -> async_graphql::Result<&AccessClaims> {
        let request = self.request()?;
        if request.partner.is_some() {
            return Err(ApiError::Partner(PartnerDenied::PeopleOnly).into_graphql());
        }
        match request.session() {
            Some((Ok(claims), _)) => Ok(claims),
            Some((Err(reason), _)) => Err(ApiError::Unauthenticated(Some(reason)).into_graphql()),
            None => Err(ApiError::Unauthenticated(None).into_graphql()),
        }
    }

    async fn caller(&self) -> async_graphql::Result<Caller<'_>> {
        if let Some(partner) = &self.request()?.partner {
            return Ok(Caller::Partner(partner));
        }
        let claims = self.claims()?;
        let request = self.request()?;
        let store = &request.store;
        let cell = request.session().map_or(&request.actor, |(_, cell)| cell);
        let actor = cell
            .get_or_try_init(|| async {
                // A logged-out session's access tokens stop working at once, not when they expire.
                store
                    .session_actor(claims.session(), claims.person())
                    .await
                    .gql()?
                    .ok_or_else(|| ApiError::Unauthenticated(Some(AuthError::SessionEnded)).into_graphql())
            })
            .await?;
        Ok(Caller::Person(actor))
    }

    async fn actor(&self) -> async_graphql::Result<&Actor> {
        // The domain decides: a partner is never a person.
        self.caller().await?.person().map_err(|denied| ApiError::Partner(denied).into_graphql())
    }

    fn places(&self) -> async_graphql::Result<&Loaded<PlaceLoader>> {
        self.loader::<PlaceLoader>()
    }

    fn partner_may(&self, scope: PartnerScope) -> async_graphql::Result<()> {
        match &self.request()?.partner {
            Some(partner) => partner.may(scope).map_err(|denied| ApiError::Partner(denied).into_graphql()),
            None => Ok(()),
        }
    }

    fn people(&self) -> async_graphql::Result<&Loaded<PersonLoader>> {
        self.loader::<PersonLoader>()
    }

    fn loader<L: RequestLoader>(&self) -> async_graphql::Result<&Loaded<L>> {
        Ok(self.data_opt::<Loaders>().ok_or_else(|| missing("Loaders"))?.get::<L>())
    }

    fn remembers(&self) -> bool {
        self.data_opt::<Loaders>().is_some_and(Loaders::remember)
    }

    async fn viewer(&self) -> async_graphql::Result<Option<PersonId>> {
        Ok(match self.caller().await? {
            Caller::Person(actor) => Some(actor.person),
            Caller::Partner(_) => None,
        })
    }

    async fn mine<K: Send>(&self, id: K) -> async_graphql::Result<Option<(PersonId, K)>> {
        Ok(self.viewer().await?.map(|person| (person, id)))
    }

    async fn is_me(&self, person: PersonId) -> async_graphql::Result<bool> {
        Ok(self.viewer().await? == Some(person))
    }

    async fn place_context(&self, place: PlaceId) -> async_graphql::Result<PlaceContext> {
        let context = self.loader::<PlaceContextLoader>()?.load_one(place).await.gql()?;
        context.ok_or_else(|| ApiError::NotFound.into_graphql())
    }
}
