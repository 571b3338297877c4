//! Bounds on a query document, judged before the engine touches it.
//!
//! The GraphQL engine recurses over a document in several places — the parser over nested values, lists
//! and selections; validation and its depth and complexity visitors over every fragment spread, inline,
//! without remembering a fragment already seen. A few kilobytes can therefore overflow a thread's stack
//! (`[[[[ … 2,000 levels … ]]]]` aborted the process) or take seconds of CPU that no `await` interrupts (a
//! chain of fragments each spreading the next twice doubles the work per link; 90,000 duplicate fields
//! feed a validation rule that compares fields pairwise). So two cheap checks run first:
//!
//! - `screen` reads the text once, as tokens, without building anything: its length and how deeply its
//!   brackets nest (`{`, `[`, `(` — every construct that recurses, values, selections, directives'
//!   arguments and list types alike, nests by them);
//! - `measure` walks the parsed document with every fragment computed once, counting the selection as the
//!   engine would expand it (fields, `__typename`, each alias and duplicate, fragment spreads) and its depth,
//!   and refuses fragment cycles and long chains of fragments before anything recurses along them.
//!
//! The depth limit lives here rather than in the engine so that the introspection query — which every
//! GraphiQL and code generator sends, with its own fixed shape deeper than any data query needs — is let
//! through where introspection is on. Its fields still count towards the size.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Positioned};

use crate::error::BadRequest;

/// How deeply brackets may nest in a document. The deepest legitimate document is the introspection
/// query (about a dozen levels); data queries stop at the depth limit plus a few levels of input objects.
/// A recursive descent of this many levels is harmless on any thread.
pub const MAX_NESTING: usize = 32;

/// How many fragments may spread one another in a chain.
pub const MAX_FRAGMENT_CHAIN: usize = 32;

/// Limits on a document, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_text_bytes: usize,
    pub max_depth: usize,
    pub max_selections: u64,
    /// Whether `__schema` and `__type` are answered: then their selections are exempt from the depth limit.
    pub introspection: bool,
}

impl Limits {
    pub fn of(settings: &crate::config::Settings) -> Self {
        let graphql = &settings.graphql;
        Limits {
            max_text_bytes: graphql.max_query_bytes,
            max_depth: graphql.max_depth,
            max_selections: graphql.max_selections,
            introspection: settings.is_demo(),
        }
    }
}

/// Refuses a text that is too long or nests too deeply, reading it as GraphQL tokens (strings, block
/// strings and comments may hold any bracket) without parsing it.
pub fn screen(text: &str, limits: &Limits) -> Result<(), BadRequest> {
    if text.len() > limits.max_text_bytes {
        return Err(BadRequest::QueryTooLong { max: limits.max_text_bytes });
    }
    let bytes = text.as_bytes();
    let (mut at, mut depth) = (0, 0usize);
    while at < bytes.len() {
        match bytes[at] {
            b'#' => {
                while at < bytes.len() && bytes[at] != b'\n' && bytes[at] != b'\r' {
                    at += 1;
                }
            }
            b'"' if bytes[at..].starts_with(b"\"\"\"") => {
                at += 3;
                while at < bytes.len() && !bytes[at..].starts_with(b"\"\"\"") {
                    // `\"""` is an escaped delimiter inside a block string.
                    at += if bytes[at..].starts_with(b"\\\"\"\"") { 4 } else { 1 };
                }
                at += 2;
            }
            b'"' => {
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' && bytes[at] != b'\n' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(BadRequest::Nesting { max: MAX_NESTING });
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        at += 1;
    }
    Ok(())
}

/// What the engine would expand a document into.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    /// Selections — fields (`__typename`, each alias and duplicate included), fragment spreads and inline
    /// fragments — with every fragment expanded where it is spread: the work validation and execution do,
    /// whatever the list lengths.
    pub selections: u64,
    /// Fields nested in fields, as the engine counts depth (`{ me { id } }` is 2), without the
    /// introspection fields' selections where introspection is on.
    pub depth: usize,
}

/// Measures every operation of a document (validation visits them all) and refuses what is over the
/// limits. A spread of an unknown fragment counts nothing: the engine reports it.
pub fn measure(document: &ExecutableDocument, limits: &Limits) -> Result<Shape, BadRequest> {
    let mut walk = Walk { document, limits, fragments: HashMap::new(), chain: 0 };
    let mut total = Shape::default();
    for (_, operation) in document.operations.iter() {
        let shape = walk.selection_set(&operation.node.selection_set, true)?;
        total.selections = total.selections.saturating_add(shape.selections);
        total.depth = total.depth.max(shape.depth);
        if total.selections > limits.max_selections {
            return Err(BadRequest::TooManySelections { max: limits.max_selections });
        }
        if total.depth > limits.max_depth {
            return Err(BadRequest::Depth { max: limits.max_depth });
        }
    }
    Ok(total)
}

enum Fragment {
    /// Being measured: reaching it again is a cycle.
    Open,
    Measured(Shape),
}

struct Walk<'a> {
    document: &'a ExecutableDocument,
    limits: &'a Limits,
    /// By name and whether it is spread at the root (where introspection's fields are exempt from depth).
    fragments: HashMap<(&'a Name, bool), Fragment>,
    /// Fragments being measured inside one another.
    chain: usize,
}

impl<'a> Walk<'a> {
    fn selection_set(&mut self, set: &'a Positioned<SelectionSet>, root: bool) -> Result<Shape, BadRequest> {
        let mut shape = Shape::default();
        for selection in &set.node.items {
            let inner = match &selection.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    let children = self.selection_set(&field.node.selection_set, false)?;
                    let exempt = root && self.limits.introspection && matches!(name, "__schema" | "__type");
                    Shape { selections: children.selections, depth: if exempt { 1 } else { children.depth + 1 } }
                }
                Selection::InlineFragment(inline) => self.selection_set(&inline.node.selection_set, root)?,
                Selection::FragmentSpread(spread) => self.fragment(&spread.node.fragment_name.node, root)?,
            };
            // The selection itself, and what it expands to.
            shape.selections = shape.selections.saturating_add(1).saturating_add(inner.selections);
            shape.depth = shape.depth.max(inner.depth);
            // Refused as soon as a part is over, so a bomb is never walked further than the limit.
            if shape.selections > self.limits.max_selections {
                return Err(BadRequest::TooManySelections { max: self.limits.max_selections });
            }
        }
        Ok(shape)
    }

    /// A fragment's shape, measured once however often it is spread (once for each position: at the root
    /// its `__schema` is exempt from depth).
    fn fragment(&mut self, name: &'a Name, root: bool) -> Result<Shape, BadRequest> {
        let Some((name, definition)) = self.document.fragments.get_key_value(name) else {
            return Ok(Shape::default());
        };
        let key = (name, root);
        match self.fragments.get(&key) {
            Some(Fragment::Measured(shape)) => return Ok(*shape),
            Some(Fragment::Open) => return Err(BadRequest::FragmentCycle { name: name.to_string() }),
            None => {}
        }
        self.fragments.insert(key, Fragment::Open);
        let shape = self.with_chain(|walk| walk.selection_set(&definition.node.selection_set, root))?;
        self.fragments.insert(key, Fragment::Measured(shape));
        Ok(shape)
    }

    fn with_chain(
        &mut self,
        measure: impl FnOnce(&mut Self) -> Result<Shape, BadRequest>,
    ) -> Result<Shape, BadRequest> {
        self.chain += 1;
        if self.chain > MAX_FRAGMENT_CHAIN {
            return Err(BadRequest::FragmentChain { max: MAX_FRAGMENT_CHAIN });
        }
        let shape = measure(self);
        self.chain -= 1;
        shape
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits =
        Limits { max_text_bytes: 64 * 1024, max_depth: 10, max_selections: 1_000, introspection: true };

    fn shape(query: &str) -> Result<Shape, BadRequest> {
        screen(query, &LIMITS)?;
        let document = async_graphql::parser::parse_query(query).map_err(|e| BadRequest::Document(e.to_string()))?;
        measure(&document, &LIMITS)
    }

    fn nested(open: &str, inner: &str, close: &str, levels: usize) -> String {
        format!("{}{inner}{}", open.repeat(levels), close.repeat(levels))
    }

    #[test]
    fn counts_fields_and_depth_as_the_engine_does() {
        assert_eq!(shape("{ me { id name } }"), Ok(Shape { selections: 3, depth: 2 }));
        assert_eq!(
            shape("{ a: __typename b: __typename me { ...F } } fragment F on Person { id id }").map(|s| s.selections),
            Ok(6)
        );
        assert_eq!(shape("{ me { ... on Person { id } } }"), Ok(Shape { selections: 3, depth: 2 }));
    }

    #[test]
    fn brackets_nest_at_most_the_bound_in_any_construct() {
        for levels in [MAX_NESTING + 1, 10_000] {
            let list = format!("{{ node(id: {}) {{ id }} }}", nested("[", "1", "]", levels));
            let object = format!("{{ node(id: {}) {{ id }} }}", nested("{a:", "1", "}", levels));
            let selection = nested("{ a ", "b", "}", levels);
            let list_type = format!("query($v: {}) {{ __typename }}", nested("[", "Int", "]", levels));
            let directive = format!("{{ __typename @skip(if: {}) }}", nested("[", "true", "]", levels));
            for text in [list, object, selection, list_type, directive] {
                assert_eq!(screen(&text, &LIMITS), Err(BadRequest::Nesting { max: MAX_NESTING }), "{levels} levels");
            }
        }
        let deepest = format!("{{ node(id: {}) {{ id }} }}", nested("[", "1", "]", MAX_NESTING - 2));
        assert_eq!(screen(&deepest, &LIMITS), Ok(()));
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let text = format!(
            "{{ a(s: \"{}\", b: \"\"\"{} \\\"\"\" {}\"\"\") # {}\n }}",
            "[".repeat(100),
            "{".repeat(100),
            "(".repeat(100),
            "[".repeat(100)
        );
        assert_eq!(screen(&text, &LIMITS), Ok(()));
    }

    #[test]
    fn a_fragment_bomb_is_refused_without_expanding_it() {
        let mut query = String::from("query { ...F0 }");
        for n in 0..24 {
            query.push_str(&format!(" fragment F{n} on Query {{ ...F{next} ...F{next} }}", next = n + 1));
        }
        query.push_str(" fragment F24 on Query { __typename }");
        assert_eq!(shape(&query), Err(BadRequest::TooManySelections { max: 1_000 }));
        // Spreads count even when they lead nowhere, so a chain of unknown fragments costs what it is.
        let mut hollow = String::from("query { ...F0 }");
        for n in 0..24 {
            hollow.push_str(&format!(" fragment F{n} on Query {{ ...F{next} ...F{next} }}", next = n + 1));
        }
        assert_eq!(shape(&hollow), Err(BadRequest::TooManySelections { max: 1_000 }));
    }

    #[test]
    fn long_chains_of_fragments_are_refused() {
        let mut chain = String::from("query { me { ...F0 } }");
        for n in 0..10_000 {
            chain.push_str(&format!(" fragment F{n} on Person {{ ...F{next} }}", next = n + 1));
        }
        chain.push_str(" fragment F10000 on Person { id }");
        let document = async_graphql::parser::parse_query(&chain).map_err(|e| e.to_string());
        let measured = document.map(|document| measure(&document, &LIMITS));
        assert_eq!(measured, Ok(Err(BadRequest::FragmentChain { max: MAX_FRAGMENT_CHAIN })));
    }

    #[test]
    fn floods_of_aliases_and_duplicates_count_each() {
        let aliases: String = (0..3_000).map(|n| format!("a{n}: __typename ")).collect();
        assert_eq!(shape(&format!("{{ {aliases} }}")), Err(BadRequest::TooManySelections { max: 1_000 }));
        let flood: String = (0..20_000).map(|n| format!("a{n}: __typename ")).collect();
        assert_eq!(shape(&format!("{{ {flood} }}")), Err(BadRequest::QueryTooLong { max: 64 * 1024 }));
        let duplicates = "id ".repeat(1_000);
        assert_eq!(shape(&format!("{{ me {{ {duplicates} }} }}")), Err(BadRequest::TooManySelections { max: 1_000 }));
    }

    #[test]
    fn fragment_cycles_are_refused() {
        let cycle = "{ me { ...A } } fragment A on Person { ...B } fragment B on Person { id ...A }";
        assert!(matches!(shape(cycle), Err(BadRequest::FragmentCycle { .. })));
        let own = "{ ...Q } fragment Q on Query { me { id } ...Q }";
        assert!(matches!(shape(own), Err(BadRequest::FragmentChain { .. }) | Err(BadRequest::FragmentCycle { .. })));
    }

    #[test]
    fn introspection_is_exempt_from_depth_only_where_it_is_answered() {
        let deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }";
        assert_eq!(shape(deep).map(|s| s.depth), Ok(1));
        let limits = Limits { introspection: false, ..LIMITS };
        let document = async_graphql::parser::parse_query(deep).map_err(|e| e.to_string());
        let measured = document.map(|document| measure(&document, &limits));
        assert_eq!(measured, Ok(Err(BadRequest::Depth { max: 10 })));
        let data = "{ me { roles { place { children { edges { node { children { edges { node { children { edges { node { id } } } } } } } } } } } } }";
        assert_eq!(shape(data), Err(BadRequest::Depth { max: 10 }));
    }

    #[test]
    fn long_texts_are_refused_before_reading() {
        let text = format!("{{ me {{ id }} }} #{}", "x".repeat(64 * 1024));
        assert_eq!(screen(&text, &LIMITS), Err(BadRequest::QueryTooLong { max: 64 * 1024 }));
    }
}
