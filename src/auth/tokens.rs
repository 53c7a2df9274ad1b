//! Access tokens (short-lived JWTs, HS256 pinned) and opaque one-time tokens (refresh, email
//! verification, password reset), which are stored only as SHA-256 hashes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::domain::Role;
use crate::settings::AuthSettings;

/// A fresh random token for a client to hold: 256 bits, URL-safe.
pub fn generate_opaque() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of an opaque token. A fast hash suffices: the token has 256 bits of
/// entropy, so there is nothing to brute-force.
pub fn hash_opaque(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub role: Role,
}

/// Signs and checks access tokens with the configured key, issuer and audience.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl_secs: i64,
}

impl JwtKeys {
    pub fn new(secret: &str, settings: &AuthSettings) -> anyhow::Result<Self> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "nbf", "sub", "iss", "aud"]);
        validation.validate_nbf = true;
        validation.leeway = 5;
        Ok(Self {
            encoding: EncodingKey::from_secret(secret.as_bytes())?,
            decoding: DecodingKey::from_secret(secret.as_bytes())?,
            validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            ttl_secs: settings.access_token_ttl_secs,
        })
    }

    pub fn ttl_secs(&self) -> i64 {
        self.ttl_secs
    }

    pub fn issue(&self, user_id: &str, role: Role) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user_id.to_owned(),
            iat: now,
            nbf: now,
            exp: now + self.ttl_secs,
            role,
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The claims of a valid token; `None` for anything else (expired, forged, other algorithm,
    /// other issuer or audience) — the caller answers 401 without saying which.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        match jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation) {
            Ok(data) => Some(data.claims),
            Err(error) => {
                tracing::debug!(%error, "access token refused");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> AuthSettings {
        AuthSettings {
            jwt_secret: None,
            issuer: "talentbridge".into(),
            audience: "talentbridge-api".into(),
            access_token_ttl_secs: 900,
            refresh_token_ttl_days: 30,
            verification_token_ttl_hours: 48,
            reset_token_ttl_minutes: 60,
            account_max_failures: 5,
            ip_max_failures: 50,
            failure_window_secs: 900,
            lockout_secs: 900,
            ip_requests_per_minute: 60,
        }
    }

    const SECRET: &str = "unit-test-secret-unit-test-secret-0123";

    #[test]
    fn a_token_round_trips() {
        let keys = JwtKeys::new(SECRET, &settings()).unwrap();
        let token = keys.issue("user-1", Role::Employer).unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(claims.sub, "user-1");
        assert_eq!(claims.role, Role::Employer);
        assert_eq!(claims.exp - claims.iat, 900);
    }

    #[test]
    fn other_keys_audiences_and_issuers_are_refused() {
        let keys = JwtKeys::new(SECRET, &settings()).unwrap();
        let other_key = JwtKeys::new("another-secret-another-secret-012345", &settings()).unwrap();
        assert!(keys.verify(&other_key.issue("u", Role::Admin).unwrap()).is_none());
        let mut other_audience = settings();
        other_audience.audience = "someone-else".into();
        let token = JwtKeys::new(SECRET, &other_audience)
            .unwrap()
            .issue("u", Role::Admin)
            .unwrap();
        assert!(keys.verify(&token).is_none());
        let mut other_issuer = settings();
        other_issuer.issuer = "evil".into();
        let token = JwtKeys::new(SECRET, &other_issuer)
            .unwrap()
            .issue("u", Role::Admin)
            .unwrap();
        assert!(keys.verify(&token).is_none());
    }

    #[test]
    fn expired_tokens_are_refused() {
        let keys = JwtKeys::new(SECRET, &settings()).unwrap();
        let now = Utc::now().timestamp();
        let claims = Claims {
            iss: "talentbridge".into(),
            aud: "talentbridge-api".into(),
            sub: "u".into(),
            iat: now - 1000,
            nbf: now - 1000,
            exp: now - 60,
            role: Role::Candidate,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding).unwrap();
        assert!(keys.verify(&token).is_none());
    }

    #[test]
    fn opaque_tokens_are_random_and_hashed() {
        let a = generate_opaque();
        assert_ne!(a, generate_opaque());
        assert_eq!(a.len(), 43);
        assert_eq!(hash_opaque(&a).len(), 64);
        assert_ne!(hash_opaque(&a), a);
    }
}
