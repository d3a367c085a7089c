//! The embedded widget's rules: the identity token a host platform's backend signs for its
//! member (a JWT, HS256, with the site's secret), and the origins a site's pages come from.
//! Pure: the caller passes the secret and `now`.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ring::hmac;
use serde::Deserialize;

use super::{Error, Reason};

/// The longest token read at all.
pub const MAX_TOKEN_BYTES: usize = 4096;
/// How far ahead a token's expiry may lie (seconds): a token is meant for the page it is
/// printed in, so a day is generous; its id is kept until then to refuse a second use.
pub const MAX_LIFETIME_SECS: i64 = 24 * 60 * 60;
/// The longest token id (`jti`).
pub const MAX_TOKEN_ID_CHARS: usize = 128;
/// Most origins one site may list.
pub const MAX_ORIGINS: usize = 20;

/// Why a token was not taken. None of it is shown to the page (a forger learns nothing);
/// the log says which, for the host's developers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFault {
    /// Not three base64url parts of JSON with the claims needed.
    Malformed,
    /// An algorithm other than HS256 (`none` included).
    Algorithm,
    /// Not signed with the site's secret.
    Signature,
    /// Past its expiry.
    Expired,
    /// Expiring further ahead than [`MAX_LIFETIME_SECS`].
    TooLong,
}

impl TokenFault {
    /// What the log calls it.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenFault::Malformed => "malformed",
            TokenFault::Algorithm => "algorithm",
            TokenFault::Signature => "signature",
            TokenFault::Expired => "expired",
            TokenFault::TooLong => "too-long-lived",
        }
    }
}

/// Who the host says the member is, from a token whose signature and times were checked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Claims {
    /// The member's id on the host platform.
    pub sub: String,
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// Seconds since the epoch.
    pub exp: i64,
    /// The token's own id: a second use of it is refused.
    pub jti: String,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

fn part<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, TokenFault> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| TokenFault::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| TokenFault::Malformed)
}

/// Reads `token`, signed with `secret`, at `now` (seconds): its claims, or why not. The
/// signature is checked (in constant time) before anything the payload says is believed.
pub fn verify(token: &str, secret: &[u8], now: i64) -> Result<Claims, TokenFault> {
    let token = token.trim();
    if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
        return Err(TokenFault::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenFault::Malformed);
    };
    let Header { alg } = part(header)?;
    if alg != "HS256" {
        return Err(TokenFault::Algorithm);
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| TokenFault::Malformed)?;
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    let signed = &token[..header.len() + 1 + payload.len()];
    hmac::verify(&key, signed.as_bytes(), &signature).map_err(|_| TokenFault::Signature)?;
    let claims: Claims = part(payload)?;
    if claims.jti.trim().is_empty() || claims.jti.chars().count() > MAX_TOKEN_ID_CHARS {
        return Err(TokenFault::Malformed);
    }
    if claims.exp <= now {
        return Err(TokenFault::Expired);
    }
    if claims.exp > now + MAX_LIFETIME_SECS {
        return Err(TokenFault::TooLong);
    }
    Ok(claims)
}

/// Signs `claims` (JSON) with `secret`: what a host's backend does. The desk uses it in its
/// tests and its demo page.
pub fn sign(claims: &serde_json::Value, secret: &[u8]) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signed = format!("{header}.{payload}");
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    let signature = URL_SAFE_NO_PAD.encode(hmac::sign(&key, signed.as_bytes()).as_ref());
    format!("{signed}.{signature}")
}

/// One origin as browsers send it (`https://shop.example.com`, `http://127.0.0.1:8080`):
/// scheme and host in lower case, the port only when it is not the scheme's own; anything
/// with a path, user or query is refused.
pub fn origin(text: &str) -> Result<String, Error> {
    let refused = || Error::Invalid {
        field: "origins",
        reason: Reason::new("invalid-origin").with("origin", text.trim()),
    };
    let url = url::Url::parse(text.trim()).map_err(|_| refused())?;
    let plain = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    if !matches!(url.scheme(), "http" | "https")
        || !plain
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(refused());
    }
    let host = url.host_str().ok_or_else(refused)?;
    Ok(match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

/// A site's origins, one per line or separated by spaces or commas: each read by [`origin`],
/// without repeats, at least one and at most [`MAX_ORIGINS`].
pub fn origins(text: &str) -> Result<Vec<String>, Error> {
    let mut list = Vec::new();
    for item in text.split(|c: char| c.is_whitespace() || c == ',') {
        if item.is_empty() {
            continue;
        }
        let origin = origin(item)?;
        if !list.contains(&origin) {
            list.push(origin);
        }
    }
    if list.is_empty() || list.len() > MAX_ORIGINS {
        return Err(Error::Invalid {
            field: "origins",
            reason: Reason::new("invalid-origins-count").with("max", MAX_ORIGINS),
        });
    }
    Ok(list)
}

/// The `Content-Security-Policy` that lets exactly `origins` frame a page.
pub fn frame_ancestors(origins: &[String]) -> String {
    format!("frame-ancestors {}", origins.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET: &[u8] = b"a site's secret, 32 bytes or more";
    const NOW: i64 = 1_800_000_000;

    fn claims(exp: i64) -> serde_json::Value {
        json!({"sub": "u-1", "name": "Anna", "email": "anna@example.net",
               "phone": "+79161234501", "exp": exp, "jti": "n-1"})
    }

    #[test]
    fn a_token_signed_with_the_secret_is_read() {
        let token = sign(&claims(NOW + 300), SECRET);
        let read = verify(&token, SECRET, NOW).unwrap();
        assert_eq!(read.sub, "u-1");
        assert_eq!(read.phone.as_deref(), Some("+79161234501"));
        assert_eq!(read.jti, "n-1");
    }

    #[test]
    fn forged_expired_and_far_off_tokens_are_refused() {
        let token = sign(&claims(NOW + 300), b"another secret");
        assert_eq!(verify(&token, SECRET, NOW), Err(TokenFault::Signature));
        let token = sign(&claims(NOW), SECRET);
        assert_eq!(verify(&token, SECRET, NOW), Err(TokenFault::Expired));
        let token = sign(&claims(NOW + MAX_LIFETIME_SECS + 1), SECRET);
        assert_eq!(verify(&token, SECRET, NOW), Err(TokenFault::TooLong));
    }

    #[test]
    fn a_changed_payload_breaks_the_signature() {
        let token = sign(&claims(NOW + 300), SECRET);
        let mut parts: Vec<&str> = token.split('.').collect();
        let other = URL_SAFE_NO_PAD.encode(claims(NOW + 300).to_string().replace("u-1", "u-2"));
        parts[1] = &other;
        assert_eq!(
            verify(&parts.join("."), SECRET, NOW),
            Err(TokenFault::Signature)
        );
    }

    #[test]
    fn other_algorithms_and_shapes_are_refused() {
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(claims(NOW + 300).to_string())
        );
        assert_eq!(verify(&none, SECRET, NOW), Err(TokenFault::Algorithm));
        for bad in [
            "",
            "a.b",
            "a.b.c.d",
            "!!.??.**",
            &"x".repeat(MAX_TOKEN_BYTES + 1),
        ] {
            assert_eq!(
                verify(bad, SECRET, NOW),
                Err(TokenFault::Malformed),
                "{bad}"
            );
        }
        let no_id = json!({"sub": "u", "name": "A", "email": "a@b.c", "exp": NOW + 60});
        assert_eq!(
            verify(&sign(&no_id, SECRET), SECRET, NOW),
            Err(TokenFault::Malformed)
        );
    }

    #[test]
    fn origins_are_read_as_browsers_send_them() {
        assert_eq!(
            origin("https://Shop.Example.com/").unwrap(),
            "https://shop.example.com"
        );
        assert_eq!(
            origin("https://a.example:443").unwrap(),
            "https://a.example"
        );
        assert_eq!(
            origin("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "shop.example.com",
            "ftp://a.example",
            "https://a.example/x",
            "https://u@a.example",
        ] {
            assert!(origin(bad).is_err(), "{bad}");
        }
        assert_eq!(
            origins("https://a.example, https://a.example\nhttp://b.example:81").unwrap(),
            vec![
                "https://a.example".to_owned(),
                "http://b.example:81".to_owned()
            ]
        );
        assert!(origins("  ").is_err());
        assert_eq!(
            frame_ancestors(&["https://a.example".into(), "https://b.example".into()]),
            "frame-ancestors https://a.example https://b.example"
        );
    }
}
