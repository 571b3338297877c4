use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use gongzhi_domain::task::{Task as Inner, TaskState};
use gongzhi_infra::topics::{RatingSummary as InnerSummary, TopicRequest as InnerRequest};

use super::enums::Party;
use super::file_link::FileLink;
use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::loaders::ProgressLoader;

/// A task a resolution became: owned by one party, due by a date, accepted by the residents' committee.
pub struct Task(pub Inner);

#[Object]
impl Task {
    pub async fn id(&self) -> ID {
        encode(NodeType::Task, self.0.id)
    }

    async fn owner(&self) -> Party {
        self.0.owner.into()
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn criteria(&self) -> &str {
        &self.0.criteria
    }

    async fn due_at(&self) -> DateTime<Utc> {
        self.0.due_at
    }

    /// open, done or accepted.
    async fn state(&self) -> &'static str {
        self.0.state.code()
    }

    async fn done_at(&self) -> Option<DateTime<Utc>> {
        match self.0.state {
            TaskState::Done { at, .. } => Some(at),
            _ => None,
        }
    }

    async fn accepted_at(&self) -> Option<DateTime<Utc>> {
        match self.0.state {
            TaskState::Accepted { at, .. } => Some(at),
            _ => None,
        }
    }

    /// When the reminder letter (提示函) went out.
    async fn reminder_at(&self) -> Option<DateTime<Utc>> {
        self.0.reminder_at
    }

    /// When the warning letter (警示函) went out.
    async fn warning_at(&self) -> Option<DateTime<Utc>> {
        self.0.warning_at
    }

    /// The owning party's progress reports, oldest first, with their evidence photos.
    async fn progress(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProgressReport>> {
        let reports = ctx.loader::<ProgressLoader>()?.load_one(self.0.id).await.gql()?.unwrap_or_default();
        Ok(reports.into_iter().map(ProgressReport).collect())
    }
}

/// A progress report on a task (进展报告): what the owning party did, with evidence photos.
pub struct ProgressReport(pub gongzhi_infra::topics::ProgressReport);

#[Object]
impl ProgressReport {
    async fn note(&self) -> &str {
        &self.0.note
    }

    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// Storage keys of the evidence photos, in order.
    async fn photos(&self) -> Vec<&str> {
        self.0.photos.keys().iter().map(|k| k.as_str()).collect()
    }

    /// The evidence photos, each with a signed link to show it by (see `FileLink.url`).
    async fn photo_files(&self, ctx: &Context<'_>) -> Vec<FileLink> {
        FileLink::mint_all(ctx, self.0.photos.keys().iter().map(|k| k.as_str()))
    }
}

/// How residents rated a topic's outcome so far.
#[derive(SimpleObject)]
pub struct RatingSummary {
    count: u64,
    /// Counts of 1s to 5s.
    by_score: Vec<u64>,
    /// The mean as an exact fraction ("17/4"), `null` before anyone rated.
    mean: Option<String>,
}

impl From<InnerSummary> for RatingSummary {
    fn from(summary: InnerSummary) -> Self {
        let count = summary.count();
        let mean = (count > 0).then(|| {
            let ratio = num_rational_mean(summary.total(), count);
            format!("{}/{}", ratio.0, ratio.1)
        });
        Self { count, by_score: summary.by_score.to_vec(), mean }
    }
}

fn num_rational_mean(total: u64, count: u64) -> (u64, u64) {
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let g = gcd(total, count).max(1);
    (total / g, count / g)
}

/// A resident's request on a topic: an explanation of a dissatisfying outcome, or a reopening.
pub struct TopicRequest(pub InnerRequest);

#[Object]
impl TopicRequest {
    pub async fn id(&self) -> ID {
        encode(NodeType::TopicRequest, self.0.id)
    }

    /// explanation or reopen.
    async fn kind(&self) -> &str {
        &self.0.kind
    }

    async fn text(&self) -> &str {
        &self.0.text
    }

    /// pending, answered, granted or declined.
    async fn status(&self) -> &str {
        &self.0.status
    }

    /// The staff's answer or the reason for their decision.
    async fn answer(&self) -> Option<&str> {
        self.0.answer.as_deref()
    }

    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
