//! A stock Open311 client against the server, unchanged: Python's `georeport` (PyPI, pinned in
//! `tests/open311_client/requirements.txt`, installed by `.ci/run`) reads services, a definition,
//! requests and one request, in JSON and XML (`tests/open311_client/check.py`). Outside CI a machine
//! without Python or the library skips with a note; under `CI=true` it fails.

use std::process::Command;

use gongzhi_tests::backend::in_ci;
use gongzhi_tests::on_both;
use serde_json::Value;

use crate::open311_support::{BASE, hotline, json_of, post};

/// Whether `python3` can import the client; under CI its absence is a failure.
fn client_available() -> bool {
    let found = Command::new("python3").args(["-c", "import georeport"]).output().is_ok_and(|out| out.status.success());
    if !found {
        assert!(!in_ci(), "CI=true, and python3 cannot import georeport: run .ci/run, which installs it");
        eprintln!(
            "skipped: python3 with georeport is not installed (pip install -r tests/open311_client/requirements.txt)"
        );
    }
    found
}

on_both!(a_stock_open311_client_reads_services_and_requests_in_json_and_xml, |backend| async move {
    if !client_available() {
        return;
    }
    let Some(app) = gongzhi_tests::spawn_app(backend).await else { return };
    let hotline = hotline(&app).await;
    let key = hotline.client_secret.as_str();
    let form = [
        ("api_key", key),
        ("service_code", "repairs"),
        ("address_string", "锦绣花园"),
        ("description", "单元门禁损坏"),
    ];
    let (status, _, filed) = post(&app, "requests.json", &form).await;
    assert_eq!(status, 200, "{filed}");
    let id = json_of(&filed)[0]["service_request_id"].as_str().expect("an id").to_owned();
    let dir = std::env::temp_dir().join(format!("gongzhi-netrc-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let netrc = dir.join("netrc");
    std::fs::write(&netrc, format!("machine 127.0.0.1 login hotline password {key}\n")).expect("netrc written");
    let root = format!("{}{BASE}", app.address);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/open311_client/check.py");

    let request = id.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .arg(script)
            .args([root.as_str(), "邯郸市", request.as_str()])
            .env("NETRC", &netrc)
            .output()
    })
    .await
    .expect("joined")
    .expect("python3 ran");
    let _ = std::fs::remove_dir_all(&dir);

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let seen: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    for format in ["json", "xml"] {
        let read = &seen[format];
        assert!(read["service_codes"].as_array().is_some_and(|codes| codes.iter().any(|c| c == "repairs")), "{read}");
        assert_eq!(read["definition_code"], "repairs", "{read}");
        assert!(read["request_ids"].as_array().is_some_and(|ids| ids.iter().any(|i| i == id.as_str())), "{read}");
        assert_eq!(read["one"]["status"], "open", "{read}");
        assert_eq!(read["one"]["service_code"], "repairs", "{read}");
        assert_eq!(read["one"]["address"], "锦绣花园", "{read}");
        assert_eq!(read["one"]["agency_responsible"], "和平社区", "{read}");
    }
    assert_eq!(seen["json"]["one"]["service_request_id"], seen["xml"]["one"]["service_request_id"]);
});
