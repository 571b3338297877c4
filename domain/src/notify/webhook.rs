//! Partner webhook endpoints: where events are posted, checked before one is registered.

use crate::Invalid;

/// An endpoint must be HTTPS: the body carries what happened in a community and the signature protects
/// only its integrity. Plain HTTP is allowed to this machine alone, for a partner's local adapter and
/// for tests.
pub fn webhook_url(given: &str) -> Result<String, Invalid> {
    let url = given.trim();
    let bad = || Invalid::WebhookUrl { given: given.chars().take(200).collect() };
    let rest = if let Some(rest) = url.strip_prefix("https://") {
        rest
    } else if let Some(rest) = url.strip_prefix("http://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
        if !matches!(name, "127.0.0.1" | "localhost" | "[::1]") {
            return Err(bad());
        }
        rest
    } else {
        return Err(bad());
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || url.len() > 500 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::webhook_url;

    #[test]
    fn https_anywhere_and_plain_http_only_to_this_machine() {
        assert!(webhook_url("https://partner.example.cn/hooks/gongzhi").is_ok());
        assert!(webhook_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(webhook_url("http://localhost/hook").is_ok());
        assert!(webhook_url("http://partner.example.cn/hook").is_err());
        assert!(webhook_url("ftp://partner.example.cn").is_err());
        assert!(webhook_url("https://").is_err());
        assert!(webhook_url("https://a.cn/x y").is_err());
    }
}
