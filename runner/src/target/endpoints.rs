//! Where the target's endpoints are. Each is found in the target's metadata by default; a URL
//! here overrides the metadata (or stands in for it); `none` says the target has no such
//! endpoint, so the scenarios that need it are skipped with that reason rather than failed.

use serde::Deserialize;

/// The endpoints that may be `none`: the optional ones (RFC 7591, 7009, 7662, 8628).
pub const OPTIONAL_ENDPOINTS: &[&str] = &[
    "registration",
    "revocation",
    "introspection",
    "device_authorization",
];

/// The `endpoints:` section: for each endpoint, nothing (the metadata says), a URL, or `none`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "RawEndpoints")]
pub struct Endpoints {
    pub authorization: Option<String>,
    pub token: Option<String>,
    pub jwks: Option<String>,
    pub registration: Option<String>,
    pub revocation: Option<String>,
    pub introspection: Option<String>,
    pub device_authorization: Option<String>,
    pub userinfo: Option<String>,
    /// The endpoints the profile says the target does not have (written `none`).
    pub absent: Vec<&'static str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEndpoints {
    authorization: Option<String>,
    token: Option<String>,
    jwks: Option<String>,
    registration: Option<String>,
    revocation: Option<String>,
    introspection: Option<String>,
    device_authorization: Option<String>,
    userinfo: Option<String>,
}

impl From<RawEndpoints> for Endpoints {
    fn from(r: RawEndpoints) -> Self {
        let mut absent = Vec::new();
        let mut url = |name: &'static str, v: Option<String>| match v {
            Some(v) if v == "none" => {
                absent.push(name);
                None
            }
            v => v,
        };
        Endpoints {
            authorization: url("authorization", r.authorization),
            token: url("token", r.token),
            jwks: url("jwks", r.jwks),
            registration: url("registration", r.registration),
            revocation: url("revocation", r.revocation),
            introspection: url("introspection", r.introspection),
            device_authorization: url("device_authorization", r.device_authorization),
            userinfo: url("userinfo", r.userinfo),
            absent,
        }
    }
}

impl Endpoints {
    /// Whether the profile says the target has no such endpoint (`endpoints.<name>: none`).
    pub fn is_absent(&self, name: &str) -> bool {
        self.absent.contains(&name)
    }

    pub(crate) fn validate(&self) -> Result<(), (String, String)> {
        if let Some(name) = self.absent.iter().find(|n| !OPTIONAL_ENDPOINTS.contains(n)) {
            return Err((
                format!("endpoints.{name}"),
                format!(
                    "only an optional endpoint ({}) can be none; give the {name} endpoint's URL, or leave it out to read it from the metadata",
                    OPTIONAL_ENDPOINTS.join(", ")
                ),
            ));
        }
        let listed = [
            ("authorization", &self.authorization),
            ("token", &self.token),
            ("jwks", &self.jwks),
            ("registration", &self.registration),
            ("revocation", &self.revocation),
            ("introspection", &self.introspection),
            ("device_authorization", &self.device_authorization),
            ("userinfo", &self.userinfo),
        ];
        for (name, url) in listed {
            if let Some(u) = url
                && url::Url::parse(u).is_err()
            {
                let none = if OPTIONAL_ENDPOINTS.contains(&name) {
                    ", or none if the target has no such endpoint"
                } else {
                    ""
                };
                return Err((
                    format!("endpoints.{name}"),
                    format!(
                        "{u:?} is not a URL; write it like https://idp.example.com/{name}{none}"
                    ),
                ));
            }
        }
        Ok(())
    }
}
