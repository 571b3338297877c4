//! Who may publish and question disclosures, by role and place; `policy::allows` asks here for
//! `Action::PublishDisclosure` and `Action::QuestionDisclosure`.

use crate::disclosure::DisclosureKind;
use crate::place::{PlaceContext, PlaceKind};
use crate::policy::{Action, Actor, acts_for_party};
use crate::role::Role;

/// The party that owes the disclosure, at the place it is owed for (seed 003 names each):
/// - minutes: the community's residents' committee (社区居民委员会每月要主持召开…联席会议), its staff and the
///   party secretary who chairs it (seed 001);
/// - 双晒: the property company, and only while it holds the compound's contract — a company's staff
///   cannot publish for a compound it no longer serves;
/// - the owners' committee's work: its members, or the residents' committee when it acts for a missing or
///   under-half committee (代行, seed 000).
pub(crate) fn may_publish(actor: &Actor, kind: DisclosureKind, ctx: &PlaceContext) -> bool {
    if ctx.ancestry.kind() != kind.place_kind() {
        return false;
    }
    match kind {
        DisclosureKind::Minutes => actor.holds_at(ctx, Role::is_community_staff),
        DisclosureKind::PropertyAccounts | DisclosureKind::CommitteeFunds => acts_for_party(actor, kind.owed_by(), ctx),
    }
}

/// Residents and owners of the place (seed 002: 社会力量参与"双晒"监督): of the compound for its accounts,
/// of anywhere in the community for its minutes.
pub(crate) fn may_question(actor: &Actor, ctx: &PlaceContext) -> bool {
    let target = &ctx.ancestry;
    if !matches!(target.kind(), PlaceKind::Compound | PlaceKind::Community) {
        return false;
    }
    actor
        .grants
        .iter()
        .any(|grant| matches!(grant.role, Role::Resident | Role::Owner) && grant.place.is_within(target.id()))
}

/// The disclosure actions worth asking about at a place of this kind, for the permitted-actions list
/// (`policy::actions_at`): publishing each kind owed there, and questioning what is published there.
pub(crate) fn disclosure_actions_at(kind: PlaceKind) -> Vec<Action> {
    if !matches!(kind, PlaceKind::Compound | PlaceKind::Community) {
        return Vec::new();
    }
    let publish = DisclosureKind::ALL.into_iter().filter(|k| k.place_kind() == kind).map(Action::PublishDisclosure);
    publish.chain([Action::QuestionDisclosure]).collect()
}
