//! The demo world's accountability records (issue 17), so GraphiQL shows them at once: 锦绣花园's open
//! quarterly satisfaction survey, an ad hoc survey five households answered and staff closed (results
//! shown), and the current quarter computed for the city — 安居物业's credit record, and 老街小院 as the
//! problem compound (one complaint for three households against 锦绣花园's one for six).

use chrono::Duration;
use gongzhi_domain::accountability::Quarter;
use gongzhi_domain::accountability::survey::{Answer, Question, QuestionKind};
use gongzhi_domain::ids::PlaceId;

use crate::accountability::surveys::NewSurvey;
use crate::demo::cast_id;
use crate::{Error, Result, Store};

fn questions() -> Vec<Question> {
    vec![
        Question { prompt: "您对物业服务的总体满意度".into(), kind: QuestionKind::Rating },
        Question {
            prompt: "您认为最需要改进的方面".into(),
            kind: QuestionKind::Single {
                options: vec!["保洁".into(), "安保".into(), "绿化".into(), "维修".into()]
            },
        },
        Question {
            prompt: "您希望增加的设施（可多选）".into(),
            kind: QuestionKind::Multiple {
                options: vec!["电动车充电桩".into(), "监控".into(), "健身器材".into()]
            },
        },
        Question { prompt: "其他意见和建议".into(), kind: QuestionKind::Text },
    ]
}

impl Store {
    pub(crate) async fn seed_demo_accountability(&self, city: PlaceId, jinxiu: PlaceId) -> Result<()> {
        let who = |handle: &str| cast_id(handle).ok_or(Error::NotFound("person"));
        let staff = self.actor(who("rc_staff")?).await?;
        let now = self.clock.now();
        let quarter = Quarter::of(now);
        let adhoc = self
            .open_survey_untold(
                &staff,
                NewSurvey {
                    compound: jinxiu,
                    title: "小区环境整治满意度征询".into(),
                    quarter: None,
                    questions: questions(),
                    opens_at: None,
                    closes_at: now + Duration::days(7),
                },
            )
            .await?;
        let answers = [
            ("owner", 4, 2, "希望尽快安装充电桩"),
            ("resident", 5, 0, "保洁很及时"),
            ("oc_chair", 3, 3, "维修响应偏慢"),
            ("oc_member", 4, 1, "夜间巡逻可以加强"),
            ("oc_member2", 4, 2, "绿化修剪及时"),
        ];
        for (handle, rating, option, text) in answers {
            let actor = self.actor(who(handle)?).await?;
            let given = vec![
                Some(Answer::Rating(rating)),
                Some(Answer::Single(option)),
                Some(Answer::Multiple(vec![0])),
                Some(Answer::Text(text.into())),
            ];
            self.answer_survey(&actor, adhoc.id, None, given).await?;
        }
        self.close_survey(&staff, adhoc.id).await?;
        self.open_survey_untold(
            &staff,
            NewSurvey {
                compound: jinxiu,
                title: format!("{}物业服务满意度测评", quarter.code()),
                quarter: Some(quarter.code()),
                questions: questions(),
                opens_at: None,
                closes_at: now + Duration::days(14),
            },
        )
        .await?;
        self.compute_quarter(None, city, quarter).await?;
        Ok(())
    }
}
