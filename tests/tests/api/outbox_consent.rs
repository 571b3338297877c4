//! WeChat consent: a subscribe message goes out only under a grant the person gave in the mini-program
//! for its template. A one-time grant is spent by one message, a long-term grant lasts, no grant means the
//! message is skipped with the reason, and WeChat's 43101 ("the user refused") clears the ledger.

use std::collections::HashMap;

use gongzhi_domain::notify::{ConsentGrant, MessageStatus};
use gongzhi_domain::policy::Actor;
use gongzhi_infra::outbox::WorkerSettings;
use gongzhi_tests::fake_gateway::{FakeGateway, MESSAGES, Mode};
use gongzhi_tests::on_both;

use crate::outbox_support::{ACCEPTED, SECRET, World, quick, world};

/// Two topics raised by `author` and accepted: two acceptance messages for them.
async fn two_acceptances_for(w: &World, author: &Actor) {
    for _ in 0..2 {
        let topic = w.raise(author, &[]).await;
        w.accept(topic).await;
    }
    assert_eq!(w.messages().await.len(), 2);
}

const NO_CONSENT: &str = "no WeChat consent for template topic_accepted";

on_both!(a_one_time_grant_is_spent_by_one_message_and_the_next_is_skipped_with_the_reason, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    let person = w.wechat_resident("o-once").await;
    w.consent(&person, ACCEPTED, ConsentGrant::OneTime).await;
    two_acceptances_for(&w, &person).await;

    w.worker(&gateway, quick()).run_once().await.expect("round");

    let messages = w.messages().await;
    let sent: Vec<_> = messages.iter().filter(|m| m.status == MessageStatus::Sent).collect();
    let skipped: Vec<_> = messages.iter().filter(|m| m.status == MessageStatus::Skipped).collect();
    assert_eq!((sent.len(), skipped.len()), (1, 1), "{messages:?}");
    assert_eq!(skipped[0].last_error.as_deref(), Some(NO_CONSENT));
    assert_eq!(skipped[0].attempts, 0, "a skipped message was never attempted");
    assert_eq!(gateway.taken(), vec![sent[0].id.to_string()], "only the message under the grant went out");
    assert_eq!(w.consent_of(&person, ACCEPTED).await, (0, false), "the grant is spent");
});

on_both!(a_long_term_grant_lasts_for_every_message, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    let person = w.wechat_resident("o-always").await;
    w.consent(&person, ACCEPTED, ConsentGrant::LongTerm).await;
    two_acceptances_for(&w, &person).await;

    w.worker(&gateway, quick()).run_once().await.expect("round");

    let messages = w.messages().await;
    assert!(messages.iter().all(|m| m.status == MessageStatus::Sent), "{messages:?}");
    assert_eq!(gateway.taken().len(), 2);
    assert_eq!(w.consent_of(&person, ACCEPTED).await, (0, true), "a long-term grant is not used up");
});

on_both!(without_consent_a_message_is_skipped_with_the_reason_and_never_sent, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    let person = w.wechat_resident("o-never-asked").await;
    let topic = w.raise(&person, &[]).await;
    w.accept(topic).await;

    let claimed = w.worker(&gateway, quick()).run_once().await.expect("round");

    assert_eq!(claimed, 1);
    let messages = w.messages().await;
    assert_eq!(messages[0].status, MessageStatus::Skipped);
    assert_eq!(messages[0].last_error.as_deref(), Some(NO_CONSENT));
    assert!(messages[0].finished_at.is_some());
    assert!(gateway.arrivals().is_empty(), "nothing reached the gateway");
});

on_both!(a_43101_refusal_dead_letters_the_message_with_its_reason_and_clears_the_consent, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    let refuser = w.wechat_resident("o-refuser").await;
    w.consent(&refuser, ACCEPTED, ConsentGrant::LongTerm).await;
    w.consent(&refuser, ACCEPTED, ConsentGrant::OneTime).await;
    let neighbour = w.wechat_resident("o-neighbour").await;
    w.consent(&neighbour, ACCEPTED, ConsentGrant::LongTerm).await;
    let topic = w.raise(&refuser, std::slice::from_ref(&neighbour)).await;
    w.accept(topic).await;
    gateway.refuse_consent_of("o-refuser");

    w.worker(&gateway, quick()).run_once().await.expect("round");

    let by_address: HashMap<_, _> = w.messages().await.into_iter().map(|m| (m.address.clone(), m)).collect();
    let refused = &by_address["o-refuser"];
    assert_eq!(refused.status, MessageStatus::Dead, "a refusal is not retried: {refused:?}");
    let reason = refused.last_error.clone().unwrap_or_default();
    assert!(reason.contains("43101") && reason.contains("refused"), "reason: {reason}");
    let (_, attempts) = w.message(refused.id).await;
    assert_eq!(attempts.iter().map(|a| a.http_status).collect::<Vec<_>>(), [Some(403)]);
    assert_eq!(w.consent_of(&refuser, ACCEPTED).await, (0, false), "WeChat holds no consent, so neither do we");
    assert_eq!(by_address["o-neighbour"].status, MessageStatus::Sent, "others are not affected");
    assert_eq!(w.consent_of(&neighbour, ACCEPTED).await, (0, true));
});

on_both!(a_configured_template_id_is_the_one_consented_to_and_sent, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    let mapped = w.wechat_resident("o-mapped").await;
    w.consent(&mapped, "TPL-ACCEPTED-01", ConsentGrant::LongTerm).await;
    let by_code = w.wechat_resident("o-by-code").await;
    w.consent(&by_code, ACCEPTED, ConsentGrant::LongTerm).await;
    let topic = w.raise(&mapped, std::slice::from_ref(&by_code)).await;
    w.accept(topic).await;
    let settings =
        WorkerSettings { templates: HashMap::from([(ACCEPTED.to_owned(), "TPL-ACCEPTED-01".to_owned())]), ..quick() };

    w.worker(&gateway, settings).run_once().await.expect("round");

    let by_address: HashMap<_, _> = w.messages().await.into_iter().map(|m| (m.address.clone(), m)).collect();
    assert_eq!(by_address["o-mapped"].status, MessageStatus::Sent);
    assert_eq!(by_address["o-by-code"].status, MessageStatus::Skipped, "consent is given per template id");
    assert_eq!(by_address["o-by-code"].last_error.as_deref(), Some("no WeChat consent for template TPL-ACCEPTED-01"));
    let arrivals = gateway.arrivals();
    assert_eq!(arrivals.len(), 1);
    assert_eq!(arrivals[0].path, MESSAGES);
    assert_eq!(arrivals[0].body["template"], "TPL-ACCEPTED-01");
});

on_both!(a_resend_after_a_stopped_worker_does_not_spend_a_second_one_time_grant, |backend| async move {
    let Some(w) = world(backend).await else { return };
    let gateway = FakeGateway::start(SECRET).await;
    let person = w.wechat_resident("o-twice").await;
    for _ in 0..2 {
        w.consent(&person, ACCEPTED, ConsentGrant::OneTime).await;
    }
    let topic = w.raise(&person, &[]).await;
    w.accept(topic).await;
    let patient = WorkerSettings { timeout: std::time::Duration::from_secs(20), ..quick() };
    let first = std::sync::Arc::new(w.worker(&gateway, patient));
    gateway.set_mode(Mode::Hang);
    let round = tokio::spawn({
        let first = first.clone();
        async move { first.run_once().await }
    });
    assert!(gateway.wait_until(std::time::Duration::from_secs(5), |g| !g.arrivals().is_empty()).await);
    round.abort();
    let _ = round.await;
    gateway.set_mode(Mode::Accept);

    w.advance(31);
    w.worker(&gateway, quick()).run_once().await.expect("round");

    assert_eq!(w.messages().await[0].status, MessageStatus::Sent);
    assert_eq!(gateway.taken().len(), 1);
    assert_eq!(w.consent_of(&person, ACCEPTED).await, (1, false), "one message, one grant");
});
