//! The wire identifiers of the Identity Assertion JWT Authorization Grant
//! (draft-ietf-oauth-identity-assertion-authz-grant) and its token exchange (RFC 8693 §3): what
//! the grant modules check and issue and the metadata advertises. Identifiers only; no logic.

/// The `typ` of an ID-JAG (the draft's §3).
pub const ID_JAG_TYP: &str = "oauth-id-jag+jwt";
/// The grant profile a resource authorization server that takes ID-JAGs advertises (§9.2).
pub const ID_JAG_PROFILE: &str = "urn:ietf:params:oauth:grant-profile:id-jag";
/// The token type of an ID-JAG (§4.3, §9.1).
pub const ID_JAG_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id-jag";
/// The token type of an OpenID Connect ID token (RFC 8693 §3).
pub const ID_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:id_token";
