//! Credentials for the Prometheus HTTP API, from environment variables or files only: never
//! from the command line (visible in `ps` and shell history) and never printed (a [`Secret`]'s
//! `Debug` is `***`).
//!
//! | variable | meaning |
//! |---|---|
//! | `SHIFTWATCH_PROMETHEUS_TOKEN` | bearer token |
//! | `SHIFTWATCH_PROMETHEUS_TOKEN_FILE` | file holding the bearer token |
//! | `SHIFTWATCH_PROMETHEUS_USER` | basic-auth user name |
//! | `SHIFTWATCH_PROMETHEUS_PASSWORD` | basic-auth password |
//! | `SHIFTWATCH_PROMETHEUS_PASSWORD_FILE` | file holding the basic-auth password |
//! | `SHIFTWATCH_PROMETHEUS_CA_FILE` | PEM bundle of CA certificates to trust (`--ca-file` wins) |
//!
//! A file's content is used without its trailing line break.

use std::fmt;

use crate::{Error, Result};

/// Environment variable: bearer token.
pub const TOKEN: &str = "SHIFTWATCH_PROMETHEUS_TOKEN";
/// Environment variable: file holding the bearer token.
pub const TOKEN_FILE: &str = "SHIFTWATCH_PROMETHEUS_TOKEN_FILE";
/// Environment variable: basic-auth user.
pub const USER: &str = "SHIFTWATCH_PROMETHEUS_USER";
/// Environment variable: basic-auth password.
pub const PASSWORD: &str = "SHIFTWATCH_PROMETHEUS_PASSWORD";
/// Environment variable: file holding the basic-auth password.
pub const PASSWORD_FILE: &str = "SHIFTWATCH_PROMETHEUS_PASSWORD_FILE";
/// Environment variable: CA bundle (PEM).
pub const CA_FILE: &str = "SHIFTWATCH_PROMETHEUS_CA_FILE";

/// A credential that never shows in `Debug` output or error messages.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    pub(super) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How requests authenticate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Auth {
    /// No `Authorization` header.
    #[default]
    None,
    /// `Authorization: Bearer TOKEN`.
    Bearer(Secret),
    /// `Authorization: Basic base64(user:password)`.
    Basic {
        /// User name.
        user: String,
        /// Password.
        password: Secret,
    },
}

impl Auth {
    /// Reads the credentials from the environment variables in the module docs.
    ///
    /// # Errors
    /// A token and a user both set, a password without a user (or the reverse), an unreadable
    /// credential file ([`Error::Io`] naming the file, not its content).
    pub fn from_env() -> Result<Auth> {
        Auth::from_lookup(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    }

    /// [`Auth::from_env`] with the variables looked up by `var`.
    ///
    /// # Errors
    /// As [`Auth::from_env`].
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Auth> {
        let token = secret(&var, TOKEN, TOKEN_FILE)?;
        let password = secret(&var, PASSWORD, PASSWORD_FILE)?;
        let user = var(USER);
        match (token, user, password) {
            (None, None, None) => Ok(Auth::None),
            (Some(t), None, None) => Ok(Auth::Bearer(t)),
            (None, Some(user), Some(password)) => Ok(Auth::Basic { user, password }),
            (Some(_), _, _) => Err(Error::invalid(
                "credentials",
                format!("both a bearer token ({TOKEN}) and basic auth ({USER}) are set; keep one"),
            )),
            (None, Some(_), None) => Err(Error::invalid(
                "credentials",
                format!("{USER} is set without {PASSWORD} or {PASSWORD_FILE}"),
            )),
            (None, None, Some(_)) => Err(Error::invalid(
                "credentials",
                format!("a basic-auth password is set without {USER}"),
            )),
        }
    }

    /// The `Authorization` header value, if any.
    pub(super) fn header(&self) -> Option<String> {
        match self {
            Auth::None => None,
            Auth::Bearer(t) => Some(format!("Bearer {}", t.expose())),
            Auth::Basic { user, password } => Some(format!(
                "Basic {}",
                base64(format!("{user}:{}", password.expose()).as_bytes())
            )),
        }
    }
}

/// The value of `name`, or the content of the file named by `file_var`.
fn secret(
    var: &impl Fn(&str) -> Option<String>,
    name: &str,
    file_var: &str,
) -> Result<Option<Secret>> {
    match (var(name), var(file_var)) {
        (Some(_), Some(_)) => Err(Error::invalid(
            "credentials",
            format!("both {name} and {file_var} are set; keep one"),
        )),
        (Some(v), None) => Ok(Some(Secret(v))),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: format!("{path} (from {file_var})"),
                source,
            })?;
            let text = text.trim_end_matches(['\n', '\r']);
            if text.is_empty() {
                return Err(Error::invalid(
                    "credentials",
                    format!("{path} (from {file_var}) is empty"),
                ));
            }
            Ok(Some(Secret(text.to_string())))
        }
        (None, None) => Ok(None),
    }
}

/// Standard base64 with padding (RFC 4648 §4), for the basic-auth header.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(char::from(A[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        // RFC 4648 §10 test vectors.
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn credentials_from_variables_and_files() {
        assert_eq!(Auth::from_lookup(lookup(&[])).ok(), Some(Auth::None));
        let a = Auth::from_lookup(lookup(&[(TOKEN, "s3cret")])).unwrap_or_default();
        assert_eq!(a.header().as_deref(), Some("Bearer s3cret"));
        assert!(!format!("{a:?}").contains("s3cret"));
        // RFC 7617 §2 example: Aladdin / open sesame.
        let a = Auth::from_lookup(lookup(&[(USER, "Aladdin"), (PASSWORD, "open sesame")]))
            .unwrap_or_default();
        assert_eq!(
            a.header().as_deref(),
            Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        );
        let dir = std::env::temp_dir().join(format!("shiftwatch-auth-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let f = dir.join("token");
        let _ = std::fs::write(&f, "from-file\n");
        let path = f.display().to_string();
        let a = Auth::from_lookup(lookup(&[(TOKEN_FILE, &path)])).unwrap_or_default();
        assert_eq!(a.header().as_deref(), Some("Bearer from-file"));
        let _ = std::fs::remove_dir_all(&dir);
        for bad in [
            vec![(TOKEN, "t"), (USER, "u"), (PASSWORD, "p")],
            vec![(USER, "u")],
            vec![(PASSWORD, "p")],
            vec![(TOKEN, "t"), (TOKEN_FILE, "/x")],
        ] {
            let e = Auth::from_lookup(lookup(&bad)).err().map(|e| e.to_string());
            assert!(
                e.as_ref()
                    .is_some_and(|m| !m.contains("=\"t\"") && m.contains("SHIFTWATCH")),
                "{e:?}"
            );
        }
        let e = Auth::from_lookup(lookup(&[(TOKEN_FILE, "/nonexistent/tok")]))
            .err()
            .map(|e| e.to_string());
        assert!(e.is_some_and(|m| m.contains("/nonexistent/tok") && m.contains(TOKEN_FILE)));
    }
}
