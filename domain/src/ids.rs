//! Typed identifiers. Each wraps a UUID (v7 when minted by storage, so ids sort by creation time) and
//! cannot be confused with another kind of id at compile time.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

id_type!(
    /// A natural person (or the developer as the holder of unsold units).
    PersonId
);
id_type!(
    /// Any node of the tenancy tree, from city down to household.
    PlaceId
);
id_type!(RoleGrantId);
id_type!(HouseholdClaimId);
id_type!(GridId);
id_type!(
    /// A property-service company (物业服务企业).
    CompanyId
);
id_type!(
    /// One login session: every refresh token rotated from one login shares it.
    SessionId
);
id_type!(
    /// A topic (议题) in the co-governance pipeline, from submission to closing.
    TopicId
);
id_type!(
    /// An entry of a community's deliberation catalogue (协商共治事项目录).
    CategoryId
);
id_type!(
    /// A solicitation round (征集活动).
    RoundId
);
id_type!(
    /// A deliberation meeting (联席会议, 恳谈会, 听证会, …).
    MeetingId
);
id_type!(
    /// A vote held during deliberation, of any of the three kinds in [`crate::vote`].
    VoteId
);
id_type!(
    /// A task a resolution is implemented by, owned by one party.
    TaskId
);
id_type!(
    /// One entry of a topic's timeline (its audit trail).
    TimelineEventId
);
id_type!(
    /// An opinion posted in a topic's online deliberation.
    OpinionId
);
id_type!(
    /// An API partner (接口合作方): a smart-community app or a city system with a scoped credential.
    PartnerId
);
id_type!(
    /// A proxy mandate (委托) an owner gave, in the app or on signed paper, for one vote or a period.
    MandateId
);
id_type!(
    /// One published version of a disclosure (三个公开).
    DisclosureId
);
id_type!(
    /// A resident's question (质询) on a line of a disclosure.
    DisclosureQuestionId
);
id_type!(
    /// A satisfaction survey (满意度测评) of a compound.
    SurveyId
);
id_type!(
    /// One listing of a property company on the warning list, through to the blacklist.
    ListingId
);
id_type!(
    /// A problem compound's rectification plan (一院一案).
    RectificationPlanId
);
id_type!(
    /// A person's request for a copy of their data (个人信息查阅、复制), and its archive.
    DataExportId
);
id_type!(
    /// A submission held back from publication by the content check (decision 130).
    ContentHoldId
);
id_type!(
    /// A person's request to be erased, recorded by residents' committee staff (decision 166).
    ErasureRequestId
);
