//! Open311's two wire formats from one tree: a response is built once as [`Node`]s and written as JSON or
//! as XML, so the two cannot drift apart. The spec's XML wraps a list in a plural element and each item in
//! a singular one (`<services><service>…`); its JSON is the bare array.

use std::fmt::Write as _;

use quick_xml::escape::escape;

/// The format a path's extension asks for (`services.json`, `services.xml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    pub fn of_extension(extension: &str) -> Option<Self> {
        match extension {
            "json" => Some(Format::Json),
            "xml" => Some(Format::Xml),
            _ => None,
        }
    }

    pub const fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }
}

/// A value of a response. Numbers are kept as their decimal text (coordinates from exact decimals), so
/// nothing passes through floating point.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Text(String),
    Number(String),
    Bool(bool),
    Null,
    Object(Vec<(&'static str, Node)>),
    /// A list, and the element each item is written in as XML.
    List(&'static str, Vec<Node>),
}

impl Node {
    pub fn text(value: impl Into<String>) -> Self {
        Node::Text(value.into())
    }

    pub fn optional(value: Option<impl Into<String>>) -> Self {
        value.map_or(Node::Null, |v| Node::Text(v.into()))
    }
}

/// The response body: `root` names the XML document's element; JSON has no root.
pub fn render(format: Format, root: &'static str, node: &Node) -> String {
    match format {
        Format::Json => json(node).to_string(),
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            xml(&mut out, root, node);
            out
        }
    }
}

fn json(node: &Node) -> serde_json::Value {
    match node {
        Node::Text(text) => serde_json::Value::String(text.clone()),
        // A decimal's text is valid JSON number syntax; one that is not (never made here) stays text.
        Node::Number(text) => serde_json::from_str::<serde_json::Number>(text)
            .map_or_else(|_| serde_json::Value::String(text.clone()), serde_json::Value::Number),
        Node::Bool(value) => serde_json::Value::Bool(*value),
        Node::Null => serde_json::Value::Null,
        Node::Object(fields) => {
            serde_json::Value::Object(fields.iter().map(|(name, value)| ((*name).to_owned(), json(value))).collect())
        }
        Node::List(_, items) => serde_json::Value::Array(items.iter().map(json).collect()),
    }
}

fn xml(out: &mut String, name: &str, node: &Node) {
    match node {
        Node::Null => {
            let _ = write!(out, "<{name}/>");
        }
        Node::Text(text) | Node::Number(text) => {
            let _ = write!(out, "<{name}>{}</{name}>", escape(text.as_str()));
        }
        Node::Bool(value) => {
            let _ = write!(out, "<{name}>{value}</{name}>");
        }
        Node::Object(fields) => {
            let _ = write!(out, "<{name}>");
            for (field, value) in fields {
                xml(out, field, value);
            }
            let _ = write!(out, "</{name}>");
        }
        Node::List(item, items) => {
            let _ = write!(out, "<{name}>");
            for value in items {
                xml(out, item, value);
            }
            let _ = write!(out, "</{name}>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn services() -> Node {
        Node::List(
            "service",
            vec![Node::Object(vec![
                ("service_code", Node::text("parking")),
                ("service_name", Node::text("停车 & <管理>")),
                ("metadata", Node::Bool(false)),
                ("lat", Node::Number("39.123456".into())),
                ("description", Node::Null),
            ])],
        )
    }

    #[test]
    fn one_tree_writes_the_specs_json_and_xml() {
        assert_eq!(
            render(Format::Json, "services", &services()),
            r#"[{"description":null,"lat":39.123456,"metadata":false,"service_code":"parking","service_name":"停车 & <管理>"}]"#
        );
        assert_eq!(
            render(Format::Xml, "services", &services()),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service><service_code>parking</service_code>\
             <service_name>停车 &amp; &lt;管理&gt;</service_name><metadata>false</metadata><lat>39.123456</lat>\
             <description/></service></services>"
        );
    }

    #[test]
    fn only_json_and_xml_are_formats() {
        assert_eq!(Format::of_extension("json"), Some(Format::Json));
        assert_eq!(Format::of_extension("xml"), Some(Format::Xml));
        assert_eq!(Format::of_extension("html"), None);
    }
}
