//! Fixtures for the topic tests: a small tenancy tree, a catalogue entry, and topics walked into every
//! state through the transitions themselves.
//!
//! ```text
//! city ─ district ─ street ─┬─ community ─┬─ compound ─── building ─── household
//!                           │             └─ neighbour compound
//!                           └─ other community ─── other compound
//! ```

use std::fmt::Debug;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use crate::ids::{CategoryId, CompanyId, PersonId, PlaceId, TaskId, TopicId};
use crate::place::Ancestry;
use crate::topic::{
    AnnouncementText, Category, CategoryCode, CategoryName, Deadlines, DeliberationForm, DeliberationPlan, Minutes,
    Note, OutcomeSummary, Party, Photos, Placement, PlanDraft, Reason, Resolution, ResolutionText, TaskProgress, Topic,
    TopicDescription, TopicDraft, TopicError, TopicTitle, Transition,
};

/// The value of a result a test expects to succeed; the refusal in the failure message otherwise.
pub(crate) fn ok<T, E: Debug>(result: Result<T, E>) -> T {
    match result {
        Ok(value) => value,
        Err(refusal) => panic!("unexpected refusal: {refusal:?}"),
    }
}

/// The topic after a step the test expects to succeed.
pub(crate) fn step(result: Result<Transition, TopicError>) -> Topic {
    ok(result).topic
}

/// 2025-06-01 00:00 UTC, when every test's story starts.
pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).single().unwrap_or_default()
}

pub(crate) fn days(n: i64) -> Duration {
    Duration::days(n)
}

pub(crate) fn person() -> PersonId {
    PersonId::from_uuid(Uuid::new_v4())
}

pub(crate) fn reason(text: &str) -> Reason {
    ok(Reason::parse(text))
}

pub(crate) fn note(text: &str) -> Note {
    ok(Note::parse(text))
}

pub(crate) fn plan_draft() -> PlanDraft {
    let starts_on = NaiveDate::from_ymd_opt(2025, 6, 10).unwrap_or_default();
    PlanDraft {
        form: DeliberationForm::CoordinationMeeting,
        parties: vec![Party::ResidentsCommittee, Party::OwnersCommittee, Party::PropertyCompany],
        invitees: vec![],
        starts_on,
        ends_on: starts_on,
        major: false,
    }
}

pub(crate) fn plan(major: bool) -> DeliberationPlan {
    ok(DeliberationPlan::new(PlanDraft { major, ..plan_draft() }))
}

pub(crate) fn resolution() -> Resolution {
    Resolution {
        decision: ok(ResolutionText::parse("地下车库增设50个充电桩，费用由公共收益支出。")),
        minutes: ok(Minutes::parse("出席：居委会、业委会、物业。\n表决：同意5票。")),
        meeting: None,
        vote: None,
    }
}

pub(crate) fn announcement() -> AnnouncementText {
    ok(AnnouncementText::parse("关于地下车库增设充电桩的公告"))
}

pub(crate) fn summary() -> OutcomeSummary {
    ok(OutcomeSummary::parse("充电桩已于6月30日安装完毕并通过验收。"))
}

fn new_place() -> PlaceId {
    PlaceId::from_uuid(Uuid::new_v4())
}

fn below(parent: &Ancestry) -> Ancestry {
    let Some(child) = parent.child(new_place()) else {
        panic!("a {} has no children in the tenancy tree", parent.kind());
    };
    child
}

pub(crate) struct World {
    pub street: Ancestry,
    pub community: Ancestry,
    pub compound: Ancestry,
    pub building: Ancestry,
    pub household: Ancestry,
    pub neighbour_compound: Ancestry,
    pub other_compound: Ancestry,
    /// "停车管理" in the community's catalogue.
    pub category: Category,
    /// "环境卫生" in the same catalogue.
    pub other_category: Category,
    /// "停车管理" in the other community's catalogue.
    pub foreign_category: Category,
    pub submitter: PersonId,
    pub staff: PersonId,
    pub company: CompanyId,
    pub deadlines: Deadlines,
}

fn category(community: &Ancestry, code: &str, zh: &str, en: &str) -> Category {
    let id = CategoryId::from_uuid(Uuid::new_v4());
    let (code, zh, en) = (ok(CategoryCode::parse(code)), ok(CategoryName::parse(zh)), ok(CategoryName::parse(en)));
    ok(Category::new(id, community, code, zh, en))
}

impl World {
    pub(crate) fn new() -> Self {
        let Some(city) = Ancestry::from_path(&[new_place()]) else {
            panic!("a one-id path is a city");
        };
        let street = below(&below(&city));
        let community = below(&street);
        let compound = below(&community);
        let building = below(&compound);
        let household = below(&building);
        let neighbour_compound = below(&community);
        let other_community = below(&street);
        let other_compound = below(&other_community);
        Self {
            category: category(&community, "parking", "停车管理", "Parking"),
            other_category: category(&community, "environment", "环境卫生", "Environment"),
            foreign_category: category(&other_community, "parking", "停车管理", "Parking"),
            street,
            community,
            compound,
            building,
            household,
            neighbour_compound,
            other_compound,
            submitter: person(),
            staff: person(),
            company: CompanyId::from_uuid(Uuid::new_v4()),
            deadlines: Deadlines::default(),
        }
    }

    pub(crate) fn draft(&self) -> TopicDraft {
        TopicDraft {
            title: ok(TopicTitle::parse("地下车库充电桩不足")),
            description: ok(TopicDescription::parse("地下车库只有两个充电桩，晚上排队到十点。")),
            location: None,
            photos: ok(Photos::parse(&["topics/garage-1.jpg"])),
        }
    }

    /// Filed under "停车管理" of whichever community's catalogue the place is in.
    pub(crate) fn placement<'a>(&'a self, place: &'a Ancestry) -> Placement<'a> {
        let home = place.is_within(self.community.id());
        Placement { place, category: if home { &self.category } else { &self.foreign_category }, round: None }
    }

    /// Submitted by `self.submitter` at `t0`, about `place`.
    pub(crate) fn submitted_at(&self, place: &Ancestry) -> Topic {
        let id = TopicId::from_uuid(Uuid::new_v4());
        step(Topic::submit(id, self.submitter, self.draft(), self.placement(place), t0()))
    }

    /// Submitted by `self.submitter` at `t0`, about the building.
    pub(crate) fn submitted(&self) -> Topic {
        self.submitted_at(&self.building)
    }

    /// Accepted one day after submission.
    pub(crate) fn accepted(&self, major: bool) -> Topic {
        step(self.submitted().accept(self.staff, plan(major), None, t0() + days(1)))
    }

    pub(crate) fn resolved(&self, major: bool) -> Topic {
        step(self.accepted(major).resolve(self.staff, resolution(), t0() + days(10)))
    }

    pub(crate) fn implementing(&self) -> Topic {
        let tasks = vec![TaskId::from_uuid(Uuid::new_v4())];
        step(self.resolved(false).start_implementation(self.staff, tasks, t0() + days(11)))
    }

    /// Completed on day 20.
    pub(crate) fn completed(&self) -> Topic {
        step(self.implementing().complete(None, TaskProgress { total: 1, accepted: 1 }, t0() + days(20)))
    }

    pub(crate) fn published(&self) -> Topic {
        step(self.completed().publish(self.staff, summary(), t0() + days(21)))
    }

    /// Rating opened on day 21, closing on day 35 by default.
    pub(crate) fn rating_open(&self) -> Topic {
        step(self.published().open_rating(None, &self.deadlines, t0() + days(21)))
    }

    pub(crate) fn closed(&self) -> Topic {
        step(self.rating_open().close(None, t0() + days(35)))
    }

    /// Routed to the company one day after submission.
    pub(crate) fn routed(&self) -> Topic {
        step(self.submitted().route(self.staff, Some(self.company), None, t0() + days(1)))
    }

    /// Reported done on day 2.
    pub(crate) fn service_done(&self) -> Topic {
        step(self.routed().finish_service(self.staff, note("已更换灯泡"), t0() + days(2)))
    }

    /// One topic in each state, in the order of [`crate::topic::TopicState::CODES`].
    pub(crate) fn in_every_state(&self) -> Vec<Topic> {
        let at = t0() + days(3);
        vec![
            self.submitted(),
            step(self.submitted().withdraw(self.submitter, None, at)),
            step(self.submitted().reject(self.staff, reason("重复提交"), at)),
            ok(self.submitted().merge_into(&self.submitted(), self.staff, None, at)).merged,
            self.routed(),
            step(self.routed().acknowledge_service(self.staff, at)),
            self.service_done(),
            step(self.service_done().confirm_service(self.submitter, None, at)),
            self.accepted(false),
            self.resolved(false),
            step(self.resolved(true).announce(self.staff, announcement(), t0() + days(11))),
            self.implementing(),
            self.completed(),
            self.published(),
            self.rating_open(),
            self.closed(),
        ]
    }
}
