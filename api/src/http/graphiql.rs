//! GraphiQL in the demo profile, with its assets served from here (decision 126): GraphiQL's and React's
//! production builds, pinned and committed under `api/assets/graphiql/` with their licences, so the page
//! loads offline and where public CDNs are slow or blocked. The page references nothing but these.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::state::SharedState;

/// The versions of the committed assets (see `api/assets/graphiql/README.md`).
pub const GRAPHIQL_VERSION: &str = "3.8.3";
pub const REACT_VERSION: &str = "18.3.1";

/// Where the assets are served.
const PREFIX: &str = "/graphiql-assets";

const ASSETS: [(&str, &str, &[u8]); 5] = [
    ("graphiql.min.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/graphiql/graphiql.min.js")),
    ("graphiql.min.css", "text/css; charset=utf-8", include_bytes!("../../assets/graphiql/graphiql.min.css")),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    ),
    ("start.js", "text/javascript; charset=utf-8", START.as_bytes()),
];

/// Starts GraphiQL on `/graphql`, with subscriptions over the same path (graphql-transport-ws).
const START: &str = r#"(function () {
  var url = window.location.origin + "/graphql";
  var fetcher = GraphiQL.createFetcher({ url: url, subscriptionUrl: url.replace(/^http/, "ws") });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true })
  );
})();
"#;

/// The page: local stylesheet and scripts only.
pub fn page() -> String {
    format!(
        r#"<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gongzhi 共治 GraphiQL</title>
<link rel="stylesheet" href="{PREFIX}/graphiql.min.css?v={GRAPHIQL_VERSION}">
<style>body {{ margin: 0; }} #graphiql {{ height: 100vh; }}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="{PREFIX}/react.production.min.js?v={REACT_VERSION}"></script>
<script src="{PREFIX}/react-dom.production.min.js?v={REACT_VERSION}"></script>
<script src="{PREFIX}/graphiql.min.js?v={GRAPHIQL_VERSION}"></script>
<script src="{PREFIX}/start.js?v={GRAPHIQL_VERSION}"></script>
</body>
</html>
"#
    )
}

/// `GET /graphiql-assets/{file}`, in the demo profile only (where the page is).
pub async fn asset(state: web::Data<SharedState>, request: HttpRequest) -> HttpResponse {
    let name = request.match_info().get("file").unwrap_or_default();
    let found = ASSETS.iter().find(|(file, _, _)| *file == name);
    match found {
        Some((_, content_type, bytes)) if state.settings.is_demo() => HttpResponse::Ok()
            .content_type(*content_type)
            // Versioned in the page's links, so a browser may keep them.
            .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
            .body(*bytes),
        _ => HttpResponse::NotFound().finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_loads_only_assets_served_here() {
        let page = page();
        let sources: Vec<&str> = page
            .split(['"', '\''])
            .filter(|part| part.starts_with('/') || part.contains("://") || part.starts_with("//"))
            .collect();
        assert!(!sources.is_empty());
        for source in &sources {
            assert!(source.starts_with(PREFIX), "{source} is not one of ours");
            let file = source.trim_start_matches(PREFIX).trim_start_matches('/').split('?').next().unwrap_or_default();
            assert!(ASSETS.iter().any(|(name, _, _)| *name == file), "{file} is not served");
        }
        assert!(!page.contains("http"), "no absolute URL at all");
    }
}
