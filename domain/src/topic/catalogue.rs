//! The deliberation catalogue (协商共治事项目录) each community maintains: the matters its residents may
//! raise as topics. A topic's category must come from the catalogue of the community it lies in.

use crate::Invalid;
use crate::ids::{CategoryId, PlaceId};
use crate::place::{Ancestry, PlaceKind};
use crate::topic::{CategoryName, TopicError};

/// A short machine code, unique within a community's catalogue (storage enforces the uniqueness), so
/// statistics can add up "parking" across communities whatever each calls it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CategoryCode(String);

impl CategoryCode {
    const MAX_CHARS: usize = 32;

    /// A lowercase ASCII letter, then lowercase letters, digits and underscores.
    pub fn parse(input: &str) -> Result<Self, TopicError> {
        let trimmed = input.trim();
        let valid = trimmed.len() <= Self::MAX_CHARS
            && trimmed.starts_with(|c: char| c.is_ascii_lowercase())
            && trimmed.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if valid { Ok(Self(trimmed.to_owned())) } else { Err(TopicError::CategoryCode { given: input.to_owned() }) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: CategoryId,
    /// The community whose catalogue holds the category.
    pub community: PlaceId,
    pub code: CategoryCode,
    pub name_zh: CategoryName,
    pub name_en: CategoryName,
    /// Retired categories stay on old topics but take no new ones; a catalogue entry is never deleted
    /// while topics point at it.
    pub active: bool,
}

impl Category {
    /// A new, active entry in the catalogue of `community`, which must be a community.
    pub fn new(
        id: CategoryId,
        community: &Ancestry,
        code: CategoryCode,
        name_zh: CategoryName,
        name_en: CategoryName,
    ) -> Result<Self, TopicError> {
        if community.kind() != PlaceKind::Community {
            return Err(Invalid::WrongPlaceKind { expected: "community", given: community.kind().as_str() }.into());
        }
        Ok(Self { id, community: community.id(), code, name_zh, name_en, active: true })
    }

    /// Whether a topic at `place` may be filed under this category now.
    pub fn check_usable_at(&self, place: &Ancestry) -> Result<(), TopicError> {
        if place.at(PlaceKind::Community) != Some(self.community) {
            return Err(TopicError::CategoryElsewhere);
        }
        if !self.active {
            return Err(TopicError::CategoryRetired);
        }
        Ok(())
    }
}

/// The catalogue a new community starts from, after the matters DOMAIN.md and 邯民〔2018〕67号 list:
/// `(code, 中文名, English name)`. Communities add, rename and retire entries from there.
pub const STANDARD_CATALOGUE: [(&str, &str, &str); 12] = [
    ("property_service", "物业服务内容和标准", "Property service content and grade"),
    ("fees", "收费项目和标准", "Fee items and standards"),
    ("parking", "停车管理", "Parking"),
    ("environment", "环境卫生与绿化", "Environment and greenery"),
    ("safety", "安全隐患", "Safety"),
    ("repairs", "房屋及设施维修", "Repairs of buildings and facilities"),
    ("maintenance_fund", "维修资金使用", "Maintenance fund"),
    ("shared_income", "公共收益", "Shared income"),
    ("renovation", "老旧小区改造", "Renovation of old compounds"),
    ("illegal_structures", "违章搭建", "Illegal structures"),
    ("neighbour_disputes", "邻里纠纷", "Neighbour disputes"),
    ("other", "其他公共事务", "Other public matters"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topic::testing::{World, ok};
    use uuid::Uuid;

    fn names(zh: &str, en: &str) -> (CategoryName, CategoryName) {
        (ok(CategoryName::parse(zh)), ok(CategoryName::parse(en)))
    }

    #[test]
    fn the_standard_catalogue_parses_and_its_codes_are_distinct() {
        for (i, (code, zh, en)) in STANDARD_CATALOGUE.iter().enumerate() {
            assert!(CategoryCode::parse(code).is_ok(), "{code}");
            assert!(CategoryName::parse(zh).is_ok() && CategoryName::parse(en).is_ok(), "{code}");
            assert!(STANDARD_CATALOGUE[..i].iter().all(|(other, _, _)| other != code), "{code} twice");
        }
    }

    #[test]
    fn category_codes_are_lowercase_snake_case() {
        assert!(CategoryCode::parse("maintenance_fund2").is_ok());
        for bad in ["", "Parking", "2nd", "停车", "car park", &"a".repeat(33)] {
            assert!(matches!(CategoryCode::parse(bad), Err(TopicError::CategoryCode { .. })), "{bad:?}");
        }
    }

    #[test]
    fn a_category_belongs_to_a_community_not_to_a_compound() {
        let world = World::new();
        let (zh, en) = names("停车管理", "Parking");
        let id = CategoryId::from_uuid(Uuid::new_v4());
        let code = ok(CategoryCode::parse("parking"));
        assert_eq!(
            Category::new(id, &world.compound, code.clone(), zh.clone(), en.clone()),
            Err(TopicError::Invalid(Invalid::WrongPlaceKind { expected: "community", given: "compound" }))
        );
        let category = ok(Category::new(id, &world.community, code, zh, en));
        assert_eq!(category.community, world.community.id());
        assert!(category.active);
    }

    #[test]
    fn a_category_of_another_community_or_retired_takes_no_topics() {
        let world = World::new();
        assert_eq!(world.category.check_usable_at(&world.building), Ok(()));
        assert_eq!(world.category.check_usable_at(&world.other_compound), Err(TopicError::CategoryElsewhere));
        let retired = Category { active: false, ..world.category.clone() };
        assert_eq!(retired.check_usable_at(&world.building), Err(TopicError::CategoryRetired));
    }
}
