//! What a content check answers, in WeChat's terms (`msgSecCheck` v2's `result.suggest`), which the word
//! list answers in too, so the rest of the system knows one vocabulary.

/// A check's verdict on one text or image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Suggestion {
    /// May be shown to others.
    Pass,
    /// The checker is unsure: a person must look before others see it.
    Review,
    /// The checker flags it: held for a person to decide.
    Risky,
}

impl Suggestion {
    pub fn as_str(self) -> &'static str {
        match self {
            Suggestion::Pass => "pass",
            Suggestion::Review => "review",
            Suggestion::Risky => "risky",
        }
    }

    /// WeChat's word; `None` for anything else, which the caller treats as no answer.
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "pass" => Some(Suggestion::Pass),
            "review" => Some(Suggestion::Review),
            "risky" => Some(Suggestion::Risky),
            _ => None,
        }
    }

    /// Whether it may be published without a person deciding.
    pub fn publishes(self) -> bool {
        self == Suggestion::Pass
    }
}

/// Where the text will be shown, as WeChat's `scene` counts it: the checker's thresholds differ by scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scene {
    /// 评论: an opinion or a reply in a thread, a rating's comment.
    Comment,
    /// 论坛: a topic, minutes, an explanation, a question, read by the whole compound.
    Forum,
}

impl Scene {
    /// `msgSecCheck`'s number for the scene.
    pub fn wechat_code(self) -> u8 {
        match self {
            Scene::Comment => 2,
            Scene::Forum => 3,
        }
    }
}
