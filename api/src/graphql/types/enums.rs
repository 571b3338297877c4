//! GraphQL enums mirroring the domain's, converted both ways.

use async_graphql::Enum;
use gongzhi_domain::claim::ClaimRelation as DomainRelation;
use gongzhi_domain::notify::{
    Channel as DomainChannel, MessageStatus as DomainStatus, NotificationKind as DomainNotificationKind,
};
use gongzhi_domain::place::PlaceKind as DomainKind;
use gongzhi_domain::role::Role as DomainRole;
use gongzhi_domain::statistics::{Metric as DomainMetric, Period as DomainPeriod};
use gongzhi_domain::topic::{
    Datum as DomainDatum, DeadlineKind as DomainDeadlineKind, DeliberationForm as DomainForm,
    EscalationLevel as DomainLevel, Party as DomainParty, Stage as DomainStage,
};
use gongzhi_domain::vote::{Choice as DomainChoice, OwnersMatter as DomainMatter, Verdict as DomainVerdict};

macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident <=> $domain:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                match value { $($domain::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => $domain::$variant),+ }
            }
        }
    };
}

mirror!(
    /// A level of the tenancy tree.
    PlaceKind <=> DomainKind { City, District, Street, Community, Compound, Building, Household }
);

mirror!(
    /// A role held at a place; see DOMAIN.md "People and roles".
    Role <=> DomainRole {
        Resident, Owner, BuildingLeader, OwnersCommitteeMember, OwnersCommitteeChair,
        ResidentsCommitteeStaff, PartySecretary, PropertyStaff, PropertyManager,
        StreetOfficer, DistrictOfficer, CityAdministrator, Lawyer, Mediator, Deputy, SocialWorker,
    }
);

mirror!(
    /// What a claimant says they are to a household.
    ClaimRelation <=> DomainRelation { Resident, Owner }
);

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ClaimStatus {
    Pending,
    Confirmed,
    Rejected,
    Withdrawn,
}

mirror!(
    /// Where a topic stands, coarsely: for feeds and counts.
    Stage <=> DomainStage { Collecting, Deliberating, Implementing, Feedback, Closed, Service, Rejected, Merged, Withdrawn }
);

mirror!(
    /// Who leads a topic now: the community, or the street or district it was escalated to.
    EscalationLevel <=> DomainLevel { Community, Street, District }
);

mirror!(
    /// The form a deliberation takes.
    DeliberationForm <=> DomainForm { OpinionHearing, CoordinationMeeting, PublicHearing, EvaluationMeeting, Online }
);

mirror!(
    /// The five parties of community co-governance (五位一体).
    Party <=> DomainParty { PartyOrganisation, ResidentsCommittee, OwnersCommittee, BuildingLeaders, PropertyCompany }
);

mirror!(
    /// A coordinate system: WGS-84 (GPS) or GCJ-02 (Chinese maps).
    Datum <=> DomainDatum { Wgs84, Gcj02 }
);

mirror!(
    /// What a topic's running deadline is for.
    DeadlineKind <=> DomainDeadlineKind { Triage, Publication, ServiceConfirmation, RatingClose }
);

/// Orders of the topic feed.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum TopicSort {
    #[default]
    Newest,
    MostCoSigned,
    /// Topics with a running deadline, soonest first.
    NearestDeadline,
}

mirror!(
    /// The matters owners decide together (PRC Civil Code art. 278, items 1–9). Items 6–8 need ≥ 3/4;
    /// the others more than half.
    OwnersMatter <=> DomainMatter {
        RulesOfProcedure, ManagementStatute, OwnersCommittee, PropertyManager, UseMaintenanceFund,
        RaiseMaintenanceFund, RebuildOrAlter, CommonPartsUse, OtherMajorMatter,
    }
);

mirror!(
    /// A ballot's choice. Abstaining counts as taking part, not as agreeing.
    Choice <=> DomainChoice { For, Against, Abstain }
);

mirror!(
    /// INVALID: too few took part, so nothing was decided. FAILED: enough took part, too few agreed.
    Verdict <=> DomainVerdict { Invalid, Failed, Passed }
);

/// The three kinds of vote.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum VoteType {
    /// Among the parties invited to a meeting: majority of votes cast, with a quorum of invitees.
    Meeting,
    /// Residents' consultation: one ballot per household.
    Household,
    /// Owners' statutory vote under art. 278, weighted by exclusive area and counted by head.
    Owners,
}

mirror!(
    /// What a message is about; each is one WeChat template and one switch in a person's preferences.
    NotificationKind <=> DomainNotificationKind {
        TopicAccepted, TopicRejected, TopicRouted, TopicMerged, MeetingInvited, MeetingChanged, VoteOpened,
        VoteClosing, TaskAssigned, TaskOverdue, TaskWarning, OutcomePublished, RatingRequested, ExplanationAnswered,
        SurveyToAnswer,
    }
);

mirror!(
    /// How a message travels: the first three reach a person through the messaging gateway.
    Channel <=> DomainChannel { WechatSubscribe, Sms, AppPush, Webhook }
);

mirror!(
    /// Where a message is in its delivery.
    MessageStatus <=> DomainStatus { Queued, Sending, Sent, Dead, Skipped }
);

mirror!(
    /// The periods statistics are kept for: days and months, by the calendar in China.
    StatisticsPeriod <=> DomainPeriod { Day, Month }
);

mirror!(
    /// A statistics figure (docs/architecture.md, "Projections", defines each). `*_SECONDS` are sums over
    /// the matching `*_TIMED` count.
    StatisticsMetric <=> DomainMetric {
        TopicsSubmitted, TopicsAccepted, TopicsRejected, TopicsWithdrawn, TopicsMerged, TopicsRouted,
        TopicsEscalated, TopicsResolved, TopicsCompleted, TopicsPublished, TopicsClosed, TopicsReopened,
        ServiceConfirmed, AcceptSeconds, AcceptTimed, ResolveSeconds, ResolveTimed, CloseSeconds, CloseTimed,
        CoSigns, VotesOpened, VoteElectorate, VotesClosed, VotesPassed, BallotsCast, MeetingsScheduled,
        MeetingCheckIns, Ratings, RatingScore, TaskLetters, TasksFinished, DisclosureLetters, TriageDecided,
        TriageOnTime, PublicationDue, PublicationOnTime, TasksDue, TasksOnTime, SurveysClosed, SurveyResponses,
        SurveyHouseholds, SurveyRatings, SurveyRatingScore, ProblemCompoundsListed
    }
);
