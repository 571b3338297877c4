//! The three disclosures (三个公开, 双晒) as clients read them: versions with their lines, totals, the
//! difference from the version before, questions and answers, and the place's chain as verified.
//! Disclosures are public (居务公开): every field here is for everyone who can reach the place.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use gongzhi_domain::disclosure::{
    BodyDiff, ChainProblem, ChainVerdict, DisclosureKind as DomainKind, Fen, Line, LineCategory as DomainCategory,
    LineChange,
};
use gongzhi_infra::disclosures::{ChainReport, OwedDisclosure, Question, Version};

use crate::error::Gql;
use crate::graphql::context::CtxExt;
use crate::graphql::ids::{NodeType, encode};
use crate::graphql::types::company::PropertyCompany;
use crate::graphql::types::enums::Party;
use crate::graphql::types::file_link::FileLink;
use crate::graphql::types::place::Place;

/// Which of the three disclosures (seed 003, 三个公开).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum DisclosureKind {
    /// 联席会议纪要: a community's joint meetings of the month, with their minutes.
    Minutes,
    /// 双晒: a compound's property services and accounts for the quarter.
    PropertyAccounts,
    /// 业主委员会工作公开: a compound's owners' committee's work and funds for the quarter.
    CommitteeFunds,
}

impl From<DomainKind> for DisclosureKind {
    fn from(kind: DomainKind) -> Self {
        match kind {
            DomainKind::Minutes => DisclosureKind::Minutes,
            DomainKind::PropertyAccounts => DisclosureKind::PropertyAccounts,
            DomainKind::CommitteeFunds => DisclosureKind::CommitteeFunds,
        }
    }
}

impl From<DisclosureKind> for DomainKind {
    fn from(kind: DisclosureKind) -> Self {
        match kind {
            DisclosureKind::Minutes => DomainKind::Minutes,
            DisclosureKind::PropertyAccounts => DomainKind::PropertyAccounts,
            DisclosureKind::CommitteeFunds => DomainKind::CommitteeFunds,
        }
    }
}

/// What a line is; each disclosure takes its own.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum DisclosureLineCategory {
    /// A service delivered against the contract (晒服务). PROPERTY_ACCOUNTS; no amount.
    Service,
    /// 物业费 income. PROPERTY_ACCOUNTS.
    PropertyFee,
    /// 停车费 income. PROPERTY_ACCOUNTS.
    Parking,
    /// 公共收益 income (advertising, rented common parts). PROPERTY_ACCOUNTS.
    SharedIncome,
    OtherIncome,
    /// Spending of shared income. PROPERTY_ACCOUNTS.
    SharedIncomeUse,
    /// Running costs. PROPERTY_ACCOUNTS.
    OperatingCost,
    OtherExpense,
    /// What the owners' committee did and decided. COMMITTEE_FUNDS; no amount.
    CommitteeWork,
    /// 维修资金 drawn and spent. COMMITTEE_FUNDS.
    MaintenanceFundUse,
    /// The committee's working funds spent (工作经费). COMMITTEE_FUNDS.
    CommitteeExpense,
    /// A joint meeting and its minutes. MINUTES; drawn from the meetings recorded, never given.
    Meeting,
}

macro_rules! categories {
    ($($variant:ident),+) => {
        impl From<DomainCategory> for DisclosureLineCategory {
            fn from(c: DomainCategory) -> Self {
                match c { $(DomainCategory::$variant => DisclosureLineCategory::$variant),+ }
            }
        }
        impl From<DisclosureLineCategory> for DomainCategory {
            fn from(c: DisclosureLineCategory) -> Self {
                match c { $(DisclosureLineCategory::$variant => DomainCategory::$variant),+ }
            }
        }
    };
}
categories!(
    Service,
    PropertyFee,
    Parking,
    SharedIncome,
    OtherIncome,
    SharedIncomeUse,
    OperatingCost,
    OtherExpense,
    CommitteeWork,
    MaintenanceFundUse,
    CommitteeExpense,
    Meeting
);

/// An amount, exact: fen as an integer string, and yuan with two decimals.
#[derive(SimpleObject)]
pub struct Amount {
    /// Exact, in fen (分), as a string: it may exceed a GraphQL Int.
    pub fen: String,
    /// In yuan with two decimals, "1234.50".
    pub yuan: String,
}

impl From<Fen> for Amount {
    fn from(fen: Fen) -> Self {
        Amount { fen: fen.fen().to_string(), yuan: fen.to_string() }
    }
}

/// One line of a version.
pub struct DisclosureLine(pub Line);

#[Object]
impl DisclosureLine {
    /// Stable across versions: corrections and questions refer to it.
    async fn key(&self) -> &str {
        &self.0.key
    }

    async fn category(&self) -> DisclosureLineCategory {
        self.0.category.into()
    }

    async fn label(&self) -> &str {
        &self.0.label
    }

    /// Money lines only.
    async fn amount(&self) -> Option<Amount> {
        self.0.amount.map(Amount::from)
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum LineChangeKind {
    Added,
    Removed,
    Changed,
}

/// One line's change from the version before.
#[derive(SimpleObject)]
pub struct DisclosureLineChange {
    pub key: String,
    pub change: LineChangeKind,
    /// The line as it was (absent when added).
    pub before: Option<DisclosureLine>,
    /// The line as it is now (absent when removed).
    pub after: Option<DisclosureLine>,
}

/// What a correction changed, line by line.
#[derive(SimpleObject)]
pub struct DisclosureChanges {
    pub lines: Vec<DisclosureLineChange>,
    pub summary_changed: bool,
    pub totals_changed: bool,
    pub attachments_added: Vec<String>,
    pub attachments_removed: Vec<String>,
}

impl From<BodyDiff> for DisclosureChanges {
    fn from(diff: BodyDiff) -> Self {
        let lines = diff
            .lines
            .into_iter()
            .map(|change| match change {
                LineChange::Added(line) => DisclosureLineChange {
                    key: line.key.clone(),
                    change: LineChangeKind::Added,
                    before: None,
                    after: Some(DisclosureLine(line)),
                },
                LineChange::Removed(line) => DisclosureLineChange {
                    key: line.key.clone(),
                    change: LineChangeKind::Removed,
                    before: Some(DisclosureLine(line)),
                    after: None,
                },
                LineChange::Changed { before, after } => DisclosureLineChange {
                    key: after.key.clone(),
                    change: LineChangeKind::Changed,
                    before: Some(DisclosureLine(before)),
                    after: Some(DisclosureLine(after)),
                },
            })
            .collect();
        DisclosureChanges {
            lines,
            summary_changed: diff.summary_changed,
            totals_changed: diff.totals_changed,
            attachments_added: diff.attachments_added,
            attachments_removed: diff.attachments_removed,
        }
    }
}

/// One published version of a disclosure: never edited; a correction is the next version.
pub struct Disclosure(pub Version);

#[Object]
impl Disclosure {
    pub async fn id(&self) -> ID {
        encode(NodeType::Disclosure, self.0.id)
    }

    async fn place(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.place).await.gql()?.map(Place))
    }

    async fn kind(&self) -> DisclosureKind {
        self.0.kind.into()
    }

    async fn period_start(&self) -> NaiveDate {
        self.0.period.start()
    }

    /// The period's last day.
    async fn period_end(&self) -> NaiveDate {
        self.0.period.end()
    }

    /// 1 for the first publication, then one more per correction.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The party that published it (the one that owes it).
    async fn publisher(&self) -> Option<Party> {
        gongzhi_domain::topic::Party::parse(&self.0.publisher_party).ok().map(Party::from)
    }

    /// For 双晒: the company that held the contract and published it.
    async fn company(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PropertyCompany>> {
        let Some(company) = self.0.company else { return Ok(None) };
        Ok(Some(PropertyCompany(ctx.store().company(company).await.gql()?)))
    }

    async fn published_at(&self) -> DateTime<Utc> {
        self.0.published_at
    }

    /// Why this version corrects the one before; null on the first.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    async fn summary(&self) -> &str {
        &self.0.body.summary
    }

    async fn lines(&self) -> Vec<DisclosureLine> {
        self.0.body.lines.iter().cloned().map(DisclosureLine).collect()
    }

    /// The declared income total, which equals the sum of the income lines.
    async fn total_income(&self) -> Option<Amount> {
        self.0.body.totals.income.map(Amount::from)
    }

    /// The declared expense total, which equals the sum of the expense lines.
    async fn total_expense(&self) -> Option<Amount> {
        self.0.body.totals.expense.map(Amount::from)
    }

    /// Receipts, contracts, scans: links anyone may open until they expire.
    async fn attachments(&self, ctx: &Context<'_>) -> Vec<FileLink> {
        FileLink::mint_all(ctx, self.0.body.attachments.iter().map(String::as_str))
    }

    /// The hash of the place's version before this one in its chain (64 zeros for the first).
    async fn previous_hash(&self) -> &str {
        &self.0.previous_hash
    }

    /// SHA-256 over this version's canonical content and `previousHash` (decision 101).
    async fn content_hash(&self) -> &str {
        &self.0.content_hash
    }

    /// What changed from the version before, line by line; null for a first version.
    async fn changes(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DisclosureChanges>> {
        Ok(ctx.store().disclosure_changes(&self.0).await.gql()?.map(DisclosureChanges::from))
    }

    /// The version this one corrects.
    async fn previous(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Disclosure>> {
        Ok(ctx.store().previous_disclosure(&self.0).await.gql()?.map(Disclosure))
    }

    /// Residents' questions (质询) on this version's lines and the publisher's answers, oldest first.
    async fn questions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DisclosureQuestion>> {
        Ok(ctx.store().disclosure_questions(self.0.id).await.gql()?.into_iter().map(DisclosureQuestion).collect())
    }
}

/// A question (质询) on one line, and its answer; public on the disclosure, the asker is not named.
pub struct DisclosureQuestion(pub Question);

#[Object]
impl DisclosureQuestion {
    pub async fn id(&self) -> ID {
        encode(NodeType::DisclosureQuestion, self.0.id)
    }

    async fn disclosure_id(&self) -> ID {
        encode(NodeType::Disclosure, self.0.disclosure)
    }

    /// The key of the line questioned.
    async fn line(&self) -> &str {
        &self.0.line
    }

    async fn text(&self) -> &str {
        &self.0.text
    }

    async fn asked_at(&self) -> DateTime<Utc> {
        self.0.asked_at
    }

    /// Whether the viewer asked it (false for a reader who is not logged in).
    async fn mine(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        if ctx.claims().is_err() {
            return Ok(false);
        }
        ctx.is_me(self.0.asked_by).await
    }

    /// The publisher must answer by then.
    async fn answer_due_at(&self) -> DateTime<Utc> {
        self.0.answer_due_at
    }

    async fn answer(&self) -> Option<&str> {
        self.0.answer.as_deref()
    }

    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.answered_at
    }

    /// Unanswered past its deadline, or answered after it.
    async fn overdue(&self, ctx: &Context<'_>) -> bool {
        self.0.overdue(ctx.store().clock().now())
    }
}

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ChainBreak {
    /// A version's stored content no longer hashes to its stored hash: it was changed after publication.
    Altered,
    /// A version does not point at the hash of the one before it.
    Unlinked,
    /// A version is missing from the sequence.
    Gap,
    /// A version's content is no longer readable.
    Unreadable,
}

/// A place's chain of disclosure versions, verified by recomputing every hash.
pub struct DisclosureChain(pub ChainReport);

#[Object]
impl DisclosureChain {
    async fn place_id(&self) -> ID {
        encode(NodeType::Place, self.0.place)
    }

    async fn intact(&self) -> bool {
        matches!(self.0.verdict, ChainVerdict::Intact { .. })
    }

    /// Versions checked before the verdict (all of them when intact).
    async fn length(&self) -> i32 {
        match &self.0.verdict {
            ChainVerdict::Intact { length, .. } => i32::try_from(*length).unwrap_or(i32::MAX),
            ChainVerdict::Broken { chain_seq, .. } => i32::try_from(*chain_seq - 1).unwrap_or(i32::MAX),
        }
    }

    /// The last version's hash when intact: keep it to check later that nothing before it changed.
    async fn head_hash(&self) -> Option<&str> {
        match &self.0.verdict {
            ChainVerdict::Intact { head, .. } => Some(head),
            ChainVerdict::Broken { .. } => None,
        }
    }

    /// The first version that fails.
    async fn broken_at(&self) -> Option<ID> {
        match &self.0.verdict {
            ChainVerdict::Broken { at, .. } => Some(encode(NodeType::Disclosure, *at)),
            ChainVerdict::Intact { .. } => None,
        }
    }

    async fn problem(&self) -> Option<ChainBreak> {
        match &self.0.verdict {
            ChainVerdict::Broken { problem, .. } => Some(match problem {
                ChainProblem::Altered => ChainBreak::Altered,
                ChainProblem::Unlinked => ChainBreak::Unlinked,
                ChainProblem::Gap => ChainBreak::Gap,
                ChainProblem::Unreadable => ChainBreak::Unreadable,
            }),
            ChainVerdict::Intact { .. } => None,
        }
    }
}

/// A disclosure owed for a place and period, and where it stands with its letters.
pub struct DisclosureObligation(pub OwedDisclosure);

#[Object]
impl DisclosureObligation {
    async fn place(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Place>> {
        Ok(ctx.places()?.load_one(self.0.place).await.gql()?.map(Place))
    }

    async fn kind(&self) -> DisclosureKind {
        self.0.kind.into()
    }

    async fn period_start(&self) -> NaiveDate {
        self.0.period.start()
    }

    async fn period_end(&self) -> NaiveDate {
        self.0.period.end()
    }

    async fn owed_by(&self) -> Option<Party> {
        gongzhi_domain::topic::Party::parse(&self.0.owed_by).ok().map(Party::from)
    }

    /// For 双晒: the company under contract when the period ended.
    async fn company(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PropertyCompany>> {
        let Some(company) = self.0.company else { return Ok(None) };
        Ok(Some(PropertyCompany(ctx.store().company(company).await.gql()?)))
    }

    async fn due_at(&self) -> DateTime<Utc> {
        self.0.obligation.due_at
    }

    /// When its first version was published; null while missing.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.obligation.fulfilled_at
    }

    /// Published by the due date; null while missing.
    async fn on_time(&self) -> Option<bool> {
        self.0.obligation.on_time()
    }

    /// 提示函 sent.
    async fn reminder_at(&self) -> Option<DateTime<Utc>> {
        self.0.obligation.reminder_at
    }

    /// 警示函 sent.
    async fn warning_at(&self) -> Option<DateTime<Utc>> {
        self.0.obligation.warning_at
    }

    /// Handed up to the street.
    async fn escalated_at(&self) -> Option<DateTime<Utc>> {
        self.0.obligation.escalated_at
    }
}
