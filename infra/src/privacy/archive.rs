//! The archive of one person's data (decision 144): a zip of JSON files, one per kind of record, and a
//! README in Chinese and English saying what each holds. Only the person's own records, and of other
//! people nothing but what the person already sees: places by name, topics by title, never another
//! person's name, phone or id — who decided a claim or granted a role is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use chrono::{DateTime, Datelike, Timelike, Utc};
use gongzhi_domain::ids::{PersonId, PlaceId};
use gongzhi_domain::role::Role;
use sea_orm::prelude::*;
use sea_orm::{Condition, ConnectionTrait, QueryOrder};
use serde_json::{Value, json};
use zip::write::SimpleFileOptions;

use crate::entities::{
    ballot, household_claim, identity, login_session, notification_preference, opinion, outbox_message, person, place,
    rating, role_grant, subscribe_consent, survey, survey_response, topic, topic_co_signature, vote,
};
use crate::{Error, Result, Store};

/// What each file holds, in both languages; the archive's first file.
const README: &str = "\
个人信息副本 / Copy of your personal information
================================================

本压缩包是您在共治平台上的个人信息副本（《个人信息保护法》第四十五条），均为 JSON 文件。
This archive is a copy of your personal information on Gongzhi (PIPL art. 45), as JSON files.
其中只有您本人的记录；他人的信息只出现您本来就能看到的部分（地点名称、议题标题），不含他人姓名、电话或编号。
It holds your own records only; of other people, only what you could already see (places by name, topics by
title), never another person's name, phone number or id.

profile.json               个人资料：姓名、手机号、注册时间。Your profile: name, phone number, when recorded.
identities.json            登录身份：微信 openid、unionid。Your login identities: WeChat openid and unionid.
roles.json                 您的角色及其所在地点、授予和撤销时间。Your roles, where, when granted and revoked.
households_and_claims.json 您对房屋的认领申请及其结果。Your claims to households and how they were decided.
topics.json                您提交的议题。The topics you submitted.
co_signs.json              您附议的议题。The topics you co-signed.
opinions.json              您发表的意见（含被隐藏的及原因）。Your opinions, hidden ones with the reason.
ballots.json               您投出的票，包括您的选择；代他人投出的票只注明为代投。The ballots you cast, with
                           your choices; a ballot you cast as someone's proxy says so without naming them.
ratings.json               您的满意度评价。Your satisfaction ratings.
survey_answers.json        您所在房屋在进行中的测评中的答卷；测评结束后答卷不再与房屋关联，无法导出。
                           Your household's answers to surveys still open; after a survey closes its answers
                           are no longer tied to any household, so they cannot be exported.
notifications.json         发给您的通知（渠道、模板、内容、状态）。The notifications sent to you.
consents.json              订阅消息授权记录与通知偏好。Your subscription consents and notification settings.
sessions.json              您的登录会话（不含令牌）。Your login sessions (never their tokens).
";

/// The zip's timestamps: the archive's own time, so that a file's date says when it was exported.
fn zip_time(at: DateTime<Utc>) -> zip::DateTime {
    let date = |n: u32| u8::try_from(n).unwrap_or(0);
    zip::DateTime::from_date_and_time(
        u16::try_from(at.year()).unwrap_or(1980),
        date(at.month()),
        date(at.day()),
        date(at.hour()),
        date(at.minute()),
        date(at.second()),
    )
    .unwrap_or_default()
}

fn zipped(files: &[(&str, Vec<u8>)], at: DateTime<Utc>) -> Result<Vec<u8>> {
    let fault = |e: &dyn std::fmt::Display| Error::Database(DbErr::Custom(format!("building the export: {e}")));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip_time(at));
    for (name, bytes) in files {
        zip.start_file(*name, options).map_err(|e| fault(&e))?;
        zip.write_all(bytes).map_err(|e| fault(&e))?;
    }
    Ok(zip.finish().map_err(|e| fault(&e))?.into_inner())
}

fn pretty(value: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(value).unwrap_or_default()
}

/// Place names by id, for the places the records name.
async fn place_names(db: &impl ConnectionTrait, ids: BTreeSet<Uuid>) -> Result<BTreeMap<Uuid, String>> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows = place::Entity::find().filter(place::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|p| (p.id, p.name)).collect())
}

/// Topic titles by id.
async fn topic_titles(db: &impl ConnectionTrait, ids: BTreeSet<Uuid>) -> Result<BTreeMap<Uuid, String>> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows = topic::Entity::find().filter(topic::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|t| (t.id, t.title)).collect())
}

impl Store {
    /// The zip of `person`'s data, as of now.
    pub(crate) async fn export_archive(&self, person: PersonId) -> Result<Vec<u8>> {
        let db = &self.db;
        let me = person.as_uuid();
        let profile = person::Entity::find_by_id(me).one(db).await?.ok_or(Error::NotFound("person"))?;
        let identities = identity::Entity::find().filter(identity::Column::PersonId.eq(me)).all(db).await?;
        let grants = role_grant::Entity::find()
            .filter(role_grant::Column::PersonId.eq(me))
            .order_by_asc(role_grant::Column::GrantedAt)
            .all(db)
            .await?;
        let claims = household_claim::Entity::find()
            .filter(household_claim::Column::PersonId.eq(me))
            .order_by_asc(household_claim::Column::Id)
            .all(db)
            .await?;
        let topics = topic::Entity::find()
            .filter(topic::Column::SubmitterId.eq(me))
            .order_by_asc(topic::Column::SubmittedAt)
            .all(db)
            .await?;
        let co_signs = topic_co_signature::Entity::find()
            .filter(topic_co_signature::Column::PersonId.eq(me))
            .order_by_asc(topic_co_signature::Column::CreatedAt)
            .all(db)
            .await?;
        let opinions = opinion::Entity::find()
            .filter(opinion::Column::AuthorId.eq(me))
            .order_by_asc(opinion::Column::PostedAt)
            .all(db)
            .await?;
        let ballots = ballot::Entity::find()
            .filter(Condition::any().add(ballot::Column::PersonId.eq(me)).add(ballot::Column::CastBy.eq(me)))
            .order_by_asc(ballot::Column::CastAt)
            .all(db)
            .await?;
        let ratings = rating::Entity::find().filter(rating::Column::PersonId.eq(me)).all(db).await?;
        let messages = outbox_message::Entity::find()
            .filter(outbox_message::Column::PersonId.eq(me))
            .order_by_asc(outbox_message::Column::Id)
            .all(db)
            .await?;
        let consents =
            subscribe_consent::Entity::find().filter(subscribe_consent::Column::PersonId.eq(me)).all(db).await?;
        let preferences = notification_preference::Entity::find()
            .filter(notification_preference::Column::PersonId.eq(me))
            .all(db)
            .await?;
        let sessions = login_session::Entity::find()
            .filter(login_session::Column::PersonId.eq(me))
            .order_by_asc(login_session::Column::CreatedAt)
            .all(db)
            .await?;
        let votes: BTreeMap<Uuid, vote::Model> = if ballots.is_empty() {
            BTreeMap::new()
        } else {
            let ids: BTreeSet<Uuid> = ballots.iter().map(|b| b.vote_id).collect();
            vote::Entity::find()
                .filter(vote::Column::Id.is_in(ids))
                .all(db)
                .await?
                .into_iter()
                .map(|v| (v.id, v))
                .collect()
        };
        let household_grants: Vec<&role_grant::Model> = grants
            .iter()
            .filter(|g| g.revoked_at.is_none())
            .filter(|g| matches!(Role::parse(&g.role), Ok(Role::Resident | Role::Owner)))
            .collect();

        let mut places: BTreeSet<Uuid> = grants.iter().map(|g| g.place_id).collect();
        places.extend(claims.iter().map(|c| c.household_id));
        places.extend(topics.iter().map(|t| t.place_id));
        places.extend(ballots.iter().filter_map(|b| Uuid::parse_str(&b.voter_key).ok()));
        let names = place_names(db, places).await?;
        let name = |id: &Uuid| names.get(id).cloned();
        let mut titled: BTreeSet<Uuid> = co_signs.iter().map(|c| c.topic_id).collect();
        titled.extend(opinions.iter().map(|o| o.topic_id));
        titled.extend(ratings.iter().map(|r| r.topic_id));
        let titles = topic_titles(db, titled).await?;
        let title = |id: &Uuid| titles.get(id).cloned();

        let survey_answers = self.household_survey_answers(&household_grants).await?;

        let files: Vec<(&str, Vec<u8>)> = vec![
            ("README.txt", README.as_bytes().to_vec()),
            (
                "profile.json",
                pretty(&json!({
                    "id": profile.id, "name": profile.name, "phone": profile.phone, "recordedAt": profile.created_at,
                })),
            ),
            (
                "identities.json",
                pretty(&json!(identities.iter().map(|i| json!({
                    "provider": i.provider, "openid": i.subject, "unionid": i.union_id, "createdAt": i.created_at,
                })).collect::<Vec<_>>())),
            ),
            (
                "roles.json",
                pretty(&json!(grants.iter().map(|g| json!({
                    "role": g.role, "placeId": g.place_id, "place": name(&g.place_id), "grantedAt": g.granted_at,
                    "revokedAt": g.revoked_at, "revokeReason": g.revoke_reason,
                })).collect::<Vec<_>>())),
            ),
            (
                "households_and_claims.json",
                pretty(&json!(
                    claims
                        .iter()
                        .map(|c| json!({
                            "household": name(&c.household_id), "householdId": c.household_id, "relation": c.relation,
                            "evidence": c.note, "status": c.status, "decidedAt": c.decided_at, "reason": c.reason,
                            "createdAt": c.created_at,
                        }))
                        .collect::<Vec<_>>()
                )),
            ),
            (
                "topics.json",
                pretty(&json!(
                    topics
                        .iter()
                        .map(|t| json!({
                            "id": t.id, "title": t.title, "description": t.description, "place": name(&t.place_id),
                            "submittedAt": t.submitted_at, "state": t.state, "stage": t.stage, "photos": t.photos,
                        }))
                        .collect::<Vec<_>>()
                )),
            ),
            (
                "co_signs.json",
                pretty(&json!(
                    co_signs
                        .iter()
                        .map(|c| json!({
                            "topicId": c.topic_id, "topic": title(&c.topic_id), "coSignedAt": c.created_at,
                        }))
                        .collect::<Vec<_>>()
                )),
            ),
            (
                "opinions.json",
                pretty(&json!(
                    opinions
                        .iter()
                        .map(|o| json!({
                            "id": o.id, "topicId": o.topic_id, "topic": title(&o.topic_id), "replyTo": o.parent_id,
                            "stance": o.stance, "text": o.text, "postedAt": o.posted_at, "hiddenAt": o.hidden_at,
                            "hiddenReason": o.hidden_reason,
                        }))
                        .collect::<Vec<_>>()
                )),
            ),
            (
                "ballots.json",
                pretty(&json!(ballots.iter().map(|b| {
                    let vote = votes.get(&b.vote_id);
                    let how = if b.mandate_id.is_some() || b.proxy_mandate.is_some() {
                        "proxy"
                    } else if b.paper {
                        "paper"
                    } else {
                        "in_person"
                    };
                    let unit = Uuid::parse_str(&b.voter_key).ok();
                    json!({
                        "voteId": b.vote_id, "vote": vote.map(|v| v.title.clone()), "choice": b.choice, "how": how,
                        "mine": b.person_id == me, "castByMe": b.cast_by == me,
                        "unit": unit.as_ref().and_then(&name), "castAt": b.cast_at, "changedAt": b.updated_at,
                    })
                }).collect::<Vec<_>>())),
            ),
            (
                "ratings.json",
                pretty(&json!(
                    ratings
                        .iter()
                        .map(|r| json!({
                            "topicId": r.topic_id, "topic": title(&r.topic_id), "score": r.score, "comment": r.comment,
                            "ratedAt": r.created_at, "changedAt": r.updated_at,
                        }))
                        .collect::<Vec<_>>()
                )),
            ),
            ("survey_answers.json", pretty(&json!(survey_answers))),
            (
                "notifications.json",
                pretty(&json!(
                    messages
                        .iter()
                        .map(|m| json!({
                            "kind": m.kind, "channel": m.channel, "address": m.address, "template": m.template,
                            "data": serde_json::from_str::<Value>(&m.data).unwrap_or(Value::String(m.data.clone())),
                            "topicId": m.topic_id, "status": m.status, "createdAt": m.created_at, "sentAt": m.sent_at,
                        }))
                        .collect::<Vec<_>>()
                )),
            ),
            (
                "consents.json",
                pretty(&json!({
                    "subscribeConsents": consents.iter().map(|c| json!({
                        "template": c.template, "oneTimeGrants": c.one_time_grants, "longTerm": c.long_term,
                        "updatedAt": c.updated_at,
                    })).collect::<Vec<_>>(),
                    "notificationPreferences": preferences.iter().map(|p| json!({
                        "kind": p.kind, "channel": p.channel, "enabled": p.enabled, "updatedAt": p.updated_at,
                    })).collect::<Vec<_>>(),
                })),
            ),
            (
                "sessions.json",
                pretty(&json!(sessions.iter().map(|s| json!({
                    "id": s.id, "createdAt": s.created_at, "revokedAt": s.revoked_at, "revokeReason": s.revoke_reason,
                })).collect::<Vec<_>>())),
            ),
        ];
        zipped(&files, self.clock.now())
    }

    /// The answers of the person's households to surveys still open (their link key still exists).
    async fn household_survey_answers(&self, grants: &[&role_grant::Model]) -> Result<Vec<Value>> {
        let households: BTreeSet<Uuid> = grants.iter().map(|g| g.place_id).collect();
        if households.is_empty() {
            return Ok(Vec::new());
        }
        let rows = place::Entity::find().filter(place::Column::Id.is_in(households)).all(&self.db).await?;
        let compounds: BTreeSet<Uuid> = rows.iter().filter_map(|p| p.compound_id).collect();
        let open = survey::Entity::find()
            .filter(survey::Column::CompoundId.is_in(compounds))
            .filter(survey::Column::LinkKey.is_not_null())
            .all(&self.db)
            .await?;
        let mut answers = Vec::new();
        for survey in &open {
            let Some(key) = survey.link_key.as_deref() else { continue };
            for household in rows.iter().filter(|p| p.compound_id == Some(survey.compound_id)) {
                let link = crate::accountability::surveys::link_of(key, PlaceId::from_uuid(household.id));
                if let Some(response) = survey_response::Entity::find_by_id((survey.id, link)).one(&self.db).await? {
                    answers.push(json!({
                        "surveyId": survey.id, "survey": survey.title, "household": household.name,
                        "questions": serde_json::from_str::<Value>(&survey.questions).unwrap_or(Value::Null),
                        "answers": serde_json::from_str::<Value>(&response.answers).unwrap_or(Value::Null),
                    }));
                }
            }
        }
        Ok(answers)
    }
}
