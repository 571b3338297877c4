//! The names requests are counted under in metrics. Operation names come from clients, and every new name
//! made new series forever (20,000 names grew `/metrics` to 27 MB); a request is counted instead under
//! its kind and its first root field, as the schema names it (`query.topics`, `mutation.castBallot`): a
//! set the schema bounds, and the part of a request that says what it does. Anything else is `other`.

use std::collections::HashMap;
use std::sync::OnceLock;

use async_graphql::parser::types::{OperationDefinition, OperationType, Selection, TypeKind, TypeSystemDefinition};

pub struct OperationLabels {
    /// Per kind (in `KINDS`' order), root field to its label; they live as long as the process, like the
    /// schema.
    labels: [HashMap<String, String>; 3],
}

const KINDS: [(OperationType, &str); 3] = [
    (OperationType::Query, "query"),
    (OperationType::Mutation, "mutation"),
    (OperationType::Subscription, "subscription"),
];

impl OperationLabels {
    pub const OTHER: &'static str = "other";

    /// The labels of the schema this binary serves, made once per process.
    pub fn of_schema() -> &'static Self {
        static LABELS: OnceLock<OperationLabels> = OnceLock::new();
        LABELS.get_or_init(|| Self::from_sdl(&crate::graphql::sdl()))
    }

    fn from_sdl(sdl: &str) -> Self {
        let mut labels: [HashMap<String, String>; 3] = Default::default();
        let definitions = async_graphql::parser::parse_schema(sdl).map(|document| document.definitions);
        for definition in definitions.unwrap_or_default() {
            let TypeSystemDefinition::Type(definition) = definition else { continue };
            let TypeKind::Object(object) = &definition.node.kind else { continue };
            let Some(kind) = KINDS.iter().position(|(_, word)| definition.node.name.node.eq_ignore_ascii_case(word))
            else {
                continue;
            };
            let word = KINDS[kind].1;
            let fields = object.fields.iter().map(|field| field.node.name.node.to_string());
            let meta = ["__typename", "__schema", "__type"].into_iter().map(str::to_owned);
            for field in fields.chain(meta) {
                let label = format!("{word}.{field}");
                labels[kind].insert(field, label);
            }
        }
        Self { labels }
    }

    /// The label of an operation: its kind and first root field (looked into fragments at the root).
    pub fn of(&'static self, operation: &OperationDefinition) -> &'static str {
        let first = operation.selection_set.node.items.iter().find_map(|selection| match &selection.node {
            Selection::Field(field) => Some(field.node.name.node.as_str()),
            _ => None,
        });
        let kind = KINDS.iter().position(|(ty, _)| *ty == operation.ty).unwrap_or_default();
        first.and_then(|field| self.labels[kind].get(field)).map_or(Self::OTHER, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(query: &str) -> &'static str {
        let document = async_graphql::parser::parse_query(query).ok();
        let operation = document.as_ref().and_then(|document| crate::http::documents::operation(document, None));
        operation.map_or("unparsed", |operation| OperationLabels::of_schema().of(operation))
    }

    #[test]
    fn requests_are_labelled_by_kind_and_first_root_field() {
        assert_eq!(label("query Anything { topics(placeId: \"x\") { totalCount } me { id } }"), "query.topics");
        assert_eq!(label("mutation M1 { logout }"), "mutation.logout");
        assert_eq!(label("query Op12345 { __typename }"), "query.__typename");
        assert_eq!(label("{ noSuchField }"), OperationLabels::OTHER);
        assert_eq!(label("mutation { topics }"), OperationLabels::OTHER, "a query field is no mutation");
    }
}
