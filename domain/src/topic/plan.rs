//! The deliberation plan (协商方案) an accepted topic gets at triage: in which form it is deliberated,
//! which of the five parties (五位一体) take part and who else is invited, when, and whether it is a
//! major matter that must be announced in writing before it is implemented.
//!
//! Plan dates are calendar dates in the community's own calendar (`NaiveDate`), not instants: "the
//! hearing is on 12 June" means the same day to everyone there, and no time zone can move it.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::ids::PersonId;
use crate::topic::{InviteeName, TopicError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliberationForm {
    /// 民情恳谈会: residents and parties air opinions on a matter.
    OpinionHearing,
    /// 事务协调会: the parties settle who does what.
    CoordinationMeeting,
    /// 听证会: a formal hearing before a decision that affects many.
    PublicHearing,
    /// 评议会: residents evaluate work done or a party's performance.
    EvaluationMeeting,
    /// 网上协商: deliberation in the topic's online thread, without a meeting.
    Online,
}

impl DeliberationForm {
    pub const ALL: [DeliberationForm; 5] = [
        DeliberationForm::OpinionHearing,
        DeliberationForm::CoordinationMeeting,
        DeliberationForm::PublicHearing,
        DeliberationForm::EvaluationMeeting,
        DeliberationForm::Online,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            DeliberationForm::OpinionHearing => "opinion_hearing",
            DeliberationForm::CoordinationMeeting => "coordination_meeting",
            DeliberationForm::PublicHearing => "public_hearing",
            DeliberationForm::EvaluationMeeting => "evaluation_meeting",
            DeliberationForm::Online => "online",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|form| form.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "form", given: input.to_owned() })
    }
}

/// The five parties of community co-governance (五位一体).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// 社区党组织.
    PartyOrganisation,
    /// 居委会.
    ResidentsCommittee,
    /// 业委会 (or the residents' committee acting for it, 代行).
    OwnersCommittee,
    /// 楼门长.
    BuildingLeaders,
    /// 物业服务企业.
    PropertyCompany,
}

impl Party {
    pub const ALL: [Party; 5] = [
        Party::PartyOrganisation,
        Party::ResidentsCommittee,
        Party::OwnersCommittee,
        Party::BuildingLeaders,
        Party::PropertyCompany,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Party::PartyOrganisation => "party_organisation",
            Party::ResidentsCommittee => "residents_committee",
            Party::OwnersCommittee => "owners_committee",
            Party::BuildingLeaders => "building_leaders",
            Party::PropertyCompany => "property_company",
        }
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|party| party.as_str() == input)
            .ok_or_else(|| Invalid::UnknownValue { field: "party", given: input.to_owned() })
    }
}

/// Someone invited beyond the five parties: a person with an account (a lawyer or deputy on the
/// community's roster, a resident directly affected), or a name for someone without one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Invitee {
    Person { person: PersonId },
    Named { name: InviteeName },
}

/// A plan as submitted, before its rules are checked; also the shape a stored plan is read back from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlanDraft {
    pub form: DeliberationForm,
    pub parties: Vec<Party>,
    pub invitees: Vec<Invitee>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Renovation, repairs, illegal structures, traffic and the like: residents must be told in writing
    /// and heard before implementation (DOMAIN.md, "Deliberate").
    pub major: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PlanDraft")]
pub struct DeliberationPlan {
    form: DeliberationForm,
    parties: BTreeSet<Party>,
    invitees: Vec<Invitee>,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    major: bool,
}

impl DeliberationPlan {
    pub const MAX_INVITEES: usize = 50;

    /// At least one of the five parties (a party named twice counts once), no invitee twice, and a
    /// start no later than the end. A one-day meeting starts and ends on the same date.
    pub fn new(draft: PlanDraft) -> Result<Self, TopicError> {
        let parties: BTreeSet<Party> = draft.parties.into_iter().collect();
        if parties.is_empty() {
            return Err(TopicError::NoParties);
        }
        if draft.invitees.len() > Self::MAX_INVITEES {
            return Err(TopicError::TooManyInvitees { max: Self::MAX_INVITEES });
        }
        if draft.invitees.iter().enumerate().any(|(i, invitee)| draft.invitees[..i].contains(invitee)) {
            return Err(TopicError::DuplicateInvitee);
        }
        if draft.ends_on < draft.starts_on {
            return Err(TopicError::PlanDates);
        }
        Ok(Self {
            form: draft.form,
            parties,
            invitees: draft.invitees,
            starts_on: draft.starts_on,
            ends_on: draft.ends_on,
            major: draft.major,
        })
    }

    pub const fn form(&self) -> DeliberationForm {
        self.form
    }

    pub fn parties(&self) -> &BTreeSet<Party> {
        &self.parties
    }

    pub fn invitees(&self) -> &[Invitee] {
        &self.invitees
    }

    pub const fn starts_on(&self) -> NaiveDate {
        self.starts_on
    }

    pub const fn ends_on(&self) -> NaiveDate {
        self.ends_on
    }

    pub const fn is_major(&self) -> bool {
        self.major
    }
}

impl TryFrom<PlanDraft> for DeliberationPlan {
    type Error = TopicError;

    fn try_from(draft: PlanDraft) -> Result<Self, TopicError> {
        Self::new(draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topic::testing::{ok, person, plan_draft};
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, StrDeserializer};

    #[test]
    fn a_plan_names_each_party_once() {
        let draft = PlanDraft {
            parties: vec![Party::PropertyCompany, Party::ResidentsCommittee, Party::PropertyCompany],
            ..plan_draft()
        };
        let plan = ok(DeliberationPlan::new(draft));
        assert_eq!(
            plan.parties().iter().copied().collect::<Vec<_>>(),
            [Party::ResidentsCommittee, Party::PropertyCompany]
        );
    }

    #[test]
    fn a_plan_without_any_of_the_five_parties_is_refused() {
        assert_eq!(DeliberationPlan::new(PlanDraft { parties: vec![], ..plan_draft() }), Err(TopicError::NoParties));
    }

    #[test]
    fn a_plan_that_ends_before_it_starts_is_refused_but_a_one_day_plan_is_not() {
        let draft = plan_draft();
        let backwards = PlanDraft { ends_on: draft.starts_on - chrono::Days::new(1), ..draft.clone() };
        assert_eq!(DeliberationPlan::new(backwards), Err(TopicError::PlanDates));
        let one_day = PlanDraft { ends_on: draft.starts_on, ..draft };
        assert!(DeliberationPlan::new(one_day).is_ok());
    }

    #[test]
    fn an_invitee_named_twice_is_refused() {
        let lawyer = person();
        let invitees = vec![Invitee::Person { person: lawyer }, Invitee::Person { person: lawyer }];
        assert_eq!(DeliberationPlan::new(PlanDraft { invitees, ..plan_draft() }), Err(TopicError::DuplicateInvitee));
    }

    #[test]
    fn more_than_fifty_invitees_are_refused() {
        let invitees = (0..51).map(|_| Invitee::Person { person: person() }).collect();
        assert_eq!(
            DeliberationPlan::new(PlanDraft { invitees, ..plan_draft() }),
            Err(TopicError::TooManyInvitees { max: 50 })
        );
    }

    #[test]
    fn forms_and_parties_round_trip_through_their_codes_in_serde_too() {
        for form in DeliberationForm::ALL {
            assert_eq!(DeliberationForm::parse(form.as_str()), Ok(form));
            let code: StrDeserializer<'_, Error> = form.as_str().into_deserializer();
            assert_eq!(DeliberationForm::deserialize(code), Ok(form));
        }
        for party in Party::ALL {
            assert_eq!(Party::parse(party.as_str()), Ok(party));
            let code: StrDeserializer<'_, Error> = party.as_str().into_deserializer();
            assert_eq!(Party::deserialize(code), Ok(party));
        }
    }
}
