//! Fitting messages to WeChat's field limits.

use chrono::{TimeZone, Utc};

use super::{FieldKind, NotificationKind, Rendered, TemplateData};

#[test]
fn a_long_title_is_cut_to_twenty_characters_ending_in_an_ellipsis() {
    let title = "三号楼东侧非机动车棚顶棚破损漏雨需要尽快维修更换并加装照明";

    let fitted = FieldKind::Thing.fit(title);

    assert_eq!(fitted.chars().count(), 20);
    assert!(fitted.ends_with('…'));
    assert!(title.starts_with(fitted.trim_end_matches('…')));
}

#[test]
fn text_within_the_limit_arrives_whole_on_one_line() {
    assert_eq!(FieldKind::Thing.fit("加装电梯\n协商会"), "加装电梯 协商会");
    assert_eq!(FieldKind::Thing.fit("  车棚维修  "), "车棚维修");
}

#[test]
fn phrases_keep_five_characters_and_codes_lose_what_wechat_forbids() {
    assert_eq!(FieldKind::Phrase.fit("表决即将截止了").chars().count(), 5);
    assert_eq!(FieldKind::CharacterString.fit("GZ-2026 议题 0042"), "GZ-20260042");
    assert_eq!(FieldKind::Number.fit("约 12.5 万元"), "12.5");
    assert_eq!(FieldKind::CharacterString.fit(&"x".repeat(40)).len(), 32);
}

#[test]
fn every_kind_renders_four_fields_within_wechat_limits() {
    let data = TemplateData {
        subject: "关于小区南门加装人脸识别门禁系统的议题建议（第二轮）".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 22, 2, 30, 0).single().unwrap_or_default(),
        detail: "会议地点：社区党群服务中心三楼多功能厅，请准时参加并携带身份证".into(),
    };

    for kind in NotificationKind::ALL {
        let rendered = Rendered::new(kind, &data);

        let keys: Vec<_> = rendered.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["thing1", "phrase2", "time3", "thing4"], "{kind:?}");
        assert!(rendered.fields[0].value.chars().count() <= 20);
        assert!(rendered.fields[1].value.chars().count() <= 5, "{kind:?}: {}", rendered.fields[1].value);
        assert!(rendered.fields[3].value.chars().count() <= 20);
    }
}

#[test]
fn times_are_written_in_beijing_time() {
    let data = TemplateData {
        subject: "议题".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 22, 18, 5, 0).single().unwrap_or_default(),
        detail: String::new(),
    };

    let rendered = Rendered::new(NotificationKind::VoteOpened, &data);

    assert_eq!(rendered.fields[2].value, "2026年11月23日 02:05");
    assert_eq!(rendered.fields[3].value, "点击查看详情");
}
