//! The production profile with secrets strong enough for it to start (`secret_strength`): what a real
//! deployment would configure, made with `openssl rand`.

use gongzhi_api::config::{Profile, Settings};

pub const JWT_KID: &str = "p1";
pub const JWT_SECRET: &str = "L9xyC2+8uJyf8ruJaLD533fes2AjoczqeQ4RJc5LFgk=";
pub const WECHAT_SECRET: &str = "e4c03a41c24752970336b6b693afe82f";
pub const GATEWAY_SECRET: &str = "92668214f2eacbd6e8b3e5f7a8188f3a";

/// Turns `settings` into a production deployment's, with a gateway at `gateway_url`.
pub fn production(settings: &mut Settings, gateway_url: &str) {
    settings.profile = Profile::Production;
    settings.jwt.keys = format!("{JWT_KID}:{JWT_SECRET}").into();
    settings.jwt.active_kid = JWT_KID.into();
    settings.wechat.app_secret = WECHAT_SECRET.to_owned().into();
    settings.outbox.gateway_url = Some(gateway_url.into());
    settings.outbox.gateway_secret = Some(GATEWAY_SECRET.to_owned().into());
}
