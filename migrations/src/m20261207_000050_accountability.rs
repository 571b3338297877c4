//! Accountability (issue 17, decisions 110–117): satisfaction surveys and their anonymous responses, each
//! city's accountability settings, the property companies' quarterly credit scores, their listings on the
//! warning list and blacklist, and the problem compounds of each quarter.
//!
//! A survey response keeps no person and no household: only `link`, a digest of the household under the
//! survey's own `link_key`, so that a household can change its answer while the survey is open. The key is
//! erased when the survey closes, after which nothing in the database ties an answer to a household.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::support::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Surveys {
    Table,
    Id,
    CompoundId,
    Title,
    Quarter,
    Questions,
    OpenedBy,
    OpensAt,
    ClosesAt,
    ClosedAt,
    ClosedBy,
    Households,
    MinResponses,
    LinkKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SurveyResponses {
    Table,
    SurveyId,
    Link,
    Answers,
}

#[derive(DeriveIden)]
enum AccountabilitySettings {
    Table,
    CityId,
    SurveyMinResponses,
    Weights,
    Rules,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CreditScores {
    Table,
    Id,
    CompanyId,
    CityId,
    Quarter,
    ScoreCenti,
    Inputs,
    Weights,
    LettersInYear,
    ComputedAt,
}

#[derive(DeriveIden)]
enum CompanyListings {
    Table,
    Id,
    CompanyId,
    CityId,
    Status,
    Reasons,
    ListedQuarter,
    ListedAt,
    NoticeAt,
    NoticeBy,
    NoticeReason,
    AppealUntil,
    Appeal,
    AppealedAt,
    AppealAnswer,
    BlacklistedAt,
    BlacklistedBy,
    BlacklistedUntil,
    GoodQuarters,
    CheckedQuarter,
    LiftedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProblemCompounds {
    Table,
    Id,
    CityId,
    CompoundId,
    Quarter,
    Complaints,
    Households,
    InCut,
    Listed,
    PeriodsBelow,
    ComputedAt,
}

#[derive(DeriveIden)]
enum Places {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Persons {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PropertyCompanies {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Surveys::Table)
                    .col(pk_uuid(Surveys::Id))
                    .col(uuid(Surveys::CompoundId))
                    .col(string_len(Surveys::Title, 100))
                    .col(string_len_null(Surveys::Quarter, 8))
                    .col(text(Surveys::Questions))
                    .col(uuid(Surveys::OpenedBy))
                    .col(timestamp_with_time_zone(Surveys::OpensAt))
                    .col(timestamp_with_time_zone(Surveys::ClosesAt))
                    .col(timestamp_with_time_zone_null(Surveys::ClosedAt))
                    .col(uuid_null(Surveys::ClosedBy))
                    .col(integer(Surveys::Households))
                    .col(integer(Surveys::MinResponses))
                    .col(string_len_null(Surveys::LinkKey, 64))
                    .col(timestamp_with_time_zone(Surveys::CreatedAt))
                    .foreign_key(&mut fk(Surveys::Table, Surveys::CompoundId, Places::Table, Places::Id))
                    .foreign_key(&mut fk(Surveys::Table, Surveys::OpenedBy, Persons::Table, Persons::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("surveys_compound", Surveys::Table, &["compound_id", "closes_at"])).await?;
        manager
            .create_table(
                Table::create()
                    .table(SurveyResponses::Table)
                    .col(uuid(SurveyResponses::SurveyId))
                    .col(string_len(SurveyResponses::Link, 64))
                    .col(text(SurveyResponses::Answers))
                    .primary_key(Index::create().col(SurveyResponses::SurveyId).col(SurveyResponses::Link))
                    .foreign_key(&mut fk(
                        SurveyResponses::Table,
                        SurveyResponses::SurveyId,
                        Surveys::Table,
                        Surveys::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccountabilitySettings::Table)
                    .col(uuid(AccountabilitySettings::CityId).primary_key())
                    .col(integer(AccountabilitySettings::SurveyMinResponses))
                    .col(text(AccountabilitySettings::Weights))
                    .col(text(AccountabilitySettings::Rules))
                    .col(uuid_null(AccountabilitySettings::UpdatedBy))
                    .col(timestamp_with_time_zone(AccountabilitySettings::UpdatedAt))
                    .foreign_key(&mut fk(
                        AccountabilitySettings::Table,
                        AccountabilitySettings::CityId,
                        Places::Table,
                        Places::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CreditScores::Table)
                    .col(pk_uuid(CreditScores::Id))
                    .col(uuid(CreditScores::CompanyId))
                    .col(uuid(CreditScores::CityId))
                    .col(string_len(CreditScores::Quarter, 8))
                    .col(big_integer_null(CreditScores::ScoreCenti))
                    .col(text(CreditScores::Inputs))
                    .col(text(CreditScores::Weights))
                    .col(integer(CreditScores::LettersInYear))
                    .col(timestamp_with_time_zone(CreditScores::ComputedAt))
                    .foreign_key(&mut fk(
                        CreditScores::Table,
                        CreditScores::CompanyId,
                        PropertyCompanies::Table,
                        PropertyCompanies::Id,
                    ))
                    .foreign_key(&mut fk(CreditScores::Table, CreditScores::CityId, Places::Table, Places::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("credit_scores_company_quarter", CreditScores::Table, &["company_id", "city_id", "quarter"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CompanyListings::Table)
                    .col(pk_uuid(CompanyListings::Id))
                    .col(uuid(CompanyListings::CompanyId))
                    .col(uuid(CompanyListings::CityId))
                    .col(string_len(CompanyListings::Status, 16))
                    .col(text(CompanyListings::Reasons))
                    .col(string_len(CompanyListings::ListedQuarter, 8))
                    .col(timestamp_with_time_zone(CompanyListings::ListedAt))
                    .col(timestamp_with_time_zone_null(CompanyListings::NoticeAt))
                    .col(uuid_null(CompanyListings::NoticeBy))
                    .col(string_len_null(CompanyListings::NoticeReason, 1000))
                    .col(timestamp_with_time_zone_null(CompanyListings::AppealUntil))
                    .col(string_len_null(CompanyListings::Appeal, 2000))
                    .col(timestamp_with_time_zone_null(CompanyListings::AppealedAt))
                    .col(string_len_null(CompanyListings::AppealAnswer, 2000))
                    .col(timestamp_with_time_zone_null(CompanyListings::BlacklistedAt))
                    .col(uuid_null(CompanyListings::BlacklistedBy))
                    .col(timestamp_with_time_zone_null(CompanyListings::BlacklistedUntil))
                    .col(integer(CompanyListings::GoodQuarters))
                    .col(string_len(CompanyListings::CheckedQuarter, 8))
                    .col(timestamp_with_time_zone_null(CompanyListings::LiftedAt))
                    .col(timestamp_with_time_zone(CompanyListings::UpdatedAt))
                    .foreign_key(&mut fk(
                        CompanyListings::Table,
                        CompanyListings::CompanyId,
                        PropertyCompanies::Table,
                        PropertyCompanies::Id,
                    ))
                    .foreign_key(&mut fk(CompanyListings::Table, CompanyListings::CityId, Places::Table, Places::Id))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("company_listings_company", CompanyListings::Table, &["company_id", "status"]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProblemCompounds::Table)
                    .col(pk_uuid(ProblemCompounds::Id))
                    .col(uuid(ProblemCompounds::CityId))
                    .col(uuid(ProblemCompounds::CompoundId))
                    .col(string_len(ProblemCompounds::Quarter, 8))
                    .col(big_integer(ProblemCompounds::Complaints))
                    .col(big_integer(ProblemCompounds::Households))
                    .col(boolean(ProblemCompounds::InCut))
                    .col(boolean(ProblemCompounds::Listed))
                    .col(integer(ProblemCompounds::PeriodsBelow))
                    .col(timestamp_with_time_zone(ProblemCompounds::ComputedAt))
                    .foreign_key(&mut fk(ProblemCompounds::Table, ProblemCompounds::CityId, Places::Table, Places::Id))
                    .foreign_key(&mut fk(
                        ProblemCompounds::Table,
                        ProblemCompounds::CompoundId,
                        Places::Table,
                        Places::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("problem_compounds_compound_quarter", ProblemCompounds::Table, &["compound_id", "quarter"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("problem_compounds_city_quarter", ProblemCompounds::Table, &["city_id", "quarter"]))
            .await?;
        Ok(())
    }
}
