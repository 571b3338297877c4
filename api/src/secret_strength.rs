//! How guessable a configured secret is, judged from the secret alone, so that the production profile
//! refuses the ones anyone could guess — `x`, one letter typed 36 times, a word typed four times — and not
//! only the demo's own values.
//!
//! The estimate is the Shannon entropy of the secret's own characters times its length: what it would hold
//! if each character were drawn independently from the mix of characters it contains, taken over its
//! shortest repeating unit (a string that repeats a shorter one holds no more than that one). One repeated
//! character holds 0 bits; 32 random hex characters about 116 (94 at the least in 20,000 draws: a short
//! sample shows fewer distinct characters than its alphabet has, so a random secret scores a little under
//! its true entropy); base64 of 32 random bytes about 215 (189 at the least). Order within the unit is not
//! seen, so a keyboard run scores like its characters shuffled: this catches short and repetitive secrets,
//! not every weak one.

use std::collections::HashMap;

use secrecy::ExposeSecret;

use crate::config::{Profile, Settings};

/// Least estimated bits of each secret in the production profile. A JWT key signs every access token, so
/// it needs a key's full strength (base64 of 32 random bytes; 32 hex characters are refused, 64 are not).
/// WeChat's app secrets are 32 random hex characters, never below 94 by the estimate. The gateway's
/// secret only signs what this server sends to it.
pub const JWT_KEY_BITS: f64 = 128.0;
pub const WECHAT_SECRET_BITS: f64 = 80.0;
pub const GATEWAY_SECRET_BITS: f64 = 64.0;

/// The estimate, in bits.
pub fn estimated_bits(secret: &str) -> f64 {
    let chars: Vec<char> = secret.chars().collect();
    let unit = &chars[..shortest_period(&chars)];
    let mut counts: HashMap<char, u32> = HashMap::new();
    for c in unit {
        *counts.entry(*c).or_default() += 1;
    }
    let length = unit.len() as f64;
    let per_char: f64 = counts
        .values()
        .map(|&count| {
            let share = f64::from(count) / length;
            share * (1.0 / share).log2()
        })
        .sum();
    per_char * length
}

/// The length of the shortest unit `chars` repeats (its own length when it repeats none); a last, partial
/// repetition counts, as in `abcabca`.
fn shortest_period(chars: &[char]) -> usize {
    (1..chars.len()).find(|&p| chars[p..].iter().zip(chars).all(|(a, b)| a == b)).unwrap_or(chars.len())
}

/// Refuses a production start on a secret below its floor, naming the variable and why.
pub fn refuse_weak_secrets(settings: &Settings) -> Result<(), String> {
    if settings.profile != Profile::Production {
        return Ok(());
    }
    let keys = settings.jwt.keys.expose_secret();
    // An entry without a `kid:` is refused with its own message when the keys are read (`jwt_keys`).
    for (kid, secret) in keys.split(',').filter_map(|pair| pair.trim().split_once(':')) {
        strong_enough(
            &format!("GONGZHI_JWT__KEYS (the key {kid:?})"),
            secret,
            JWT_KEY_BITS,
            "use 32 random bytes, e.g. `openssl rand -base64 32`",
        )?;
    }
    strong_enough(
        "WECHAT_APP_SECRET",
        settings.wechat.app_secret.expose_secret(),
        WECHAT_SECRET_BITS,
        "set the mini-program's AppSecret (32 hex characters, from mp.weixin.qq.com)",
    )?;
    if let Some(secret) = &settings.outbox.gateway_secret {
        strong_enough(
            "GATEWAY_SECRET",
            secret.expose_secret(),
            GATEWAY_SECRET_BITS,
            "use 16 random bytes or more, e.g. `openssl rand -hex 16`",
        )?;
    }
    // File links are as good as a session for the file they name: the same floor as a JWT key.
    if let Some(secret) = &settings.storage.link_secret {
        strong_enough(
            "GONGZHI_STORAGE__LINK_SECRET",
            secret.expose_secret(),
            JWT_KEY_BITS,
            "use 32 random bytes, e.g. `openssl rand -base64 32`, or leave it unset to derive it from the JWT key",
        )?;
    }
    Ok(())
}

fn strong_enough(variable: &str, secret: &str, floor: f64, advice: &str) -> Result<(), String> {
    let bits = estimated_bits(secret);
    if bits >= floor {
        return Ok(());
    }
    Err(format!(
        "the production profile refuses {variable}: it is too easy to guess — about {bits:.0} bits by its length \
         and the variety of its characters, where at least {floor:.0} are needed; {advice}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Made with `openssl rand -hex 16` and `openssl rand -base64 32`.
    const RANDOM_HEX: [&str; 3] =
        ["e5c4fec2c4bdb8bf5ea5024b42f6ff7f", "aabd6d82acc8f588f511eec67094791e", "529a3a1c8965fdd802c824a1dc5978a6"];
    const RANDOM_BASE64: [&str; 3] = [
        "neCRIMqR5gNavAkjgMJyrhbFQKRt/o3t4KpzUSoCUps=",
        "tdAQGcs+KWiN0IJMXw/Bpxi71pKVotNyj6wsr1EMohY=",
        "Cj5UDbdzyOLxTvExC8/9V9sqwmBvQEsVLesM+3ZINFA=",
    ];

    #[test]
    fn real_wechat_secrets_and_random_keys_are_accepted() {
        for hex in RANDOM_HEX {
            let bits = estimated_bits(hex);
            assert!((WECHAT_SECRET_BITS..=128.0).contains(&bits), "{hex}: {bits}");
            assert!(bits >= GATEWAY_SECRET_BITS, "{hex}: {bits}");
        }
        for key in RANDOM_BASE64 {
            assert!(estimated_bits(key) >= JWT_KEY_BITS, "{key}: {}", estimated_bits(key));
        }
        let sixty_four_hex = format!("{}{}", RANDOM_HEX[0], RANDOM_HEX[1]);
        assert!(estimated_bits(&sixty_four_hex) >= JWT_KEY_BITS);
    }

    #[test]
    fn repeated_and_low_variety_secrets_hold_next_to_nothing() {
        assert_eq!(estimated_bits(""), 0.0);
        assert_eq!(estimated_bits("x"), 0.0);
        assert_eq!(estimated_bits(&"a".repeat(36)), 0.0);
        assert_eq!(estimated_bits(&"ab".repeat(18)), 2.0, "two letters, once each");
        assert_eq!(estimated_bits(&"0123456789abcdef".repeat(2)), 64.0, "a 16-character unit typed twice");
        assert!(estimated_bits(&"password".repeat(4)) < 25.0);
        assert_eq!(estimated_bits("abcabca"), estimated_bits("abc"), "a partial last repetition counts");
    }

    #[test]
    fn thirty_two_hex_characters_are_not_a_jwt_key() {
        for hex in RANDOM_HEX {
            assert!(estimated_bits(hex) < JWT_KEY_BITS, "{hex}");
        }
    }

    #[test]
    fn the_refusal_names_the_variable_and_why() {
        let mut settings = Settings { profile: Profile::Production, ..Settings::default() };
        settings.jwt.keys = format!("k1:{}", RANDOM_BASE64[0]).into();
        settings.wechat.app_secret = "x".to_owned().into();

        let message = refuse_weak_secrets(&settings).err().unwrap_or_default();

        assert!(message.contains("WECHAT_APP_SECRET") && message.contains("about 0 bits"), "{message}");
        settings.profile = Profile::Demo;
        assert_eq!(refuse_weak_secrets(&settings), Ok(()), "the demo profile runs on the demo's secrets");
    }
}
