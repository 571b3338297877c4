//! A topic's detail lists, keyed by the viewer's [`Standing`] towards the topic (so read only once the
//! policy let them see it, and as it lets them): tasks, votes, meetings, timeline, requests, the ratings
//! summary; and what those hold: a meeting's minutes, an opinion's reports.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use gongzhi_domain::ids::{MeetingId, OpinionId, TaskId};
use gongzhi_domain::meeting::MinutesVersion;
use gongzhi_domain::task::Task;
use gongzhi_infra::Store;
use gongzhi_infra::topics::{
    MeetingRecord, OpinionPage, OpinionReport, RatingSummary, Standing, TimelineEntry, TopicRequest,
};
use gongzhi_infra::votes::VoteRecord;

use super::{LoadError, failed};

pub struct TasksLoader(pub Store);
pub struct VotesLoader(pub Store);
/// Meetings with who is on their lists.
pub struct MeetingsLoader(pub Store);
/// The timeline as the standing's viewer may see it.
pub struct TimelineLoader(pub Store);
/// Explanation and reopen requests: all for the staff, the viewer's own otherwise.
pub struct RequestsLoader(pub Store);
pub struct RatingSummaryLoader(pub Store);
/// Every version of a meeting's minutes, for meetings already shown to the viewer.
pub struct MinutesLoader(pub Store);
/// An opinion's reports, for opinions read for one of the thread's moderators.
pub struct ReportsLoader(pub Store);
/// The first page of a topic's opinion thread, keyed (standing, page size). Later pages (after a cursor)
/// continue one topic's thread and are read alone.
pub struct FirstThreadsLoader(pub Store);
/// A task's progress reports, for tasks already shown to the viewer.
pub struct ProgressLoader(pub Store);

impl Loader<TaskId> for ProgressLoader {
    type Value = Vec<gongzhi_infra::topics::ProgressReport>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[TaskId],
    ) -> Result<HashMap<TaskId, Vec<gongzhi_infra::topics::ProgressReport>>, LoadError> {
        self.0.progress_of(keys).await.map_err(failed)
    }
}

impl Loader<Standing> for TasksLoader {
    type Value = Vec<Task>;
    type Error = LoadError;

    async fn load(&self, keys: &[Standing]) -> Result<HashMap<Standing, Vec<Task>>, LoadError> {
        self.0.tasks_of(keys).await.map_err(failed)
    }
}

impl Loader<Standing> for VotesLoader {
    type Value = Vec<VoteRecord>;
    type Error = LoadError;

    async fn load(&self, keys: &[Standing]) -> Result<HashMap<Standing, Vec<VoteRecord>>, LoadError> {
        self.0.votes_of(keys).await.map_err(failed)
    }
}

impl Loader<Standing> for MeetingsLoader {
    type Value = Vec<MeetingRecord>;
    type Error = LoadError;

    async fn load(&self, keys: &[Standing]) -> Result<HashMap<Standing, Vec<MeetingRecord>>, LoadError> {
        self.0.meetings_of(keys).await.map_err(failed)
    }
}

impl Loader<Standing> for TimelineLoader {
    type Value = Vec<TimelineEntry>;
    type Error = LoadError;

    async fn load(&self, keys: &[Standing]) -> Result<HashMap<Standing, Vec<TimelineEntry>>, LoadError> {
        self.0.timelines(keys).await.map_err(failed)
    }
}

impl Loader<Standing> for RequestsLoader {
    type Value = Vec<TopicRequest>;
    type Error = LoadError;

    async fn load(&self, keys: &[Standing]) -> Result<HashMap<Standing, Vec<TopicRequest>>, LoadError> {
        self.0.requests_of(keys).await.map_err(failed)
    }
}

impl Loader<Standing> for RatingSummaryLoader {
    type Value = RatingSummary;
    type Error = LoadError;

    async fn load(&self, keys: &[Standing]) -> Result<HashMap<Standing, RatingSummary>, LoadError> {
        self.0.rating_summaries(keys).await.map_err(failed)
    }
}

impl Loader<MeetingId> for MinutesLoader {
    type Value = Vec<MinutesVersion>;
    type Error = LoadError;

    async fn load(&self, keys: &[MeetingId]) -> Result<HashMap<MeetingId, Vec<MinutesVersion>>, LoadError> {
        self.0.minutes_of(keys).await.map_err(failed)
    }
}

impl Loader<OpinionId> for ReportsLoader {
    type Value = Vec<OpinionReport>;
    type Error = LoadError;

    async fn load(&self, keys: &[OpinionId]) -> Result<HashMap<OpinionId, Vec<OpinionReport>>, LoadError> {
        self.0.reports_of(keys).await.map_err(failed)
    }
}

impl Loader<(Standing, u64)> for FirstThreadsLoader {
    type Value = OpinionPage;
    type Error = LoadError;

    async fn load(&self, keys: &[(Standing, u64)]) -> Result<HashMap<(Standing, u64), OpinionPage>, LoadError> {
        // Pages of one size are read together; a request asks for one size, or a few.
        let mut sizes: HashMap<u64, Vec<Standing>> = HashMap::new();
        for (standing, limit) in keys {
            sizes.entry(*limit).or_default().push(*standing);
        }
        let mut pages = HashMap::new();
        for (limit, standings) in sizes {
            let found = self.0.first_threads(&standings, limit).await.map_err(failed)?;
            pages.extend(found.into_iter().map(|(standing, page)| ((standing, limit), page)));
        }
        Ok(pages)
    }
}
