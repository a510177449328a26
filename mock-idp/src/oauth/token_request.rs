//! What the token endpoint hands each grant handler: the request's client (already
//! authenticated), its issuer and form, and how to refuse it. Shared by the dispatcher (`token`)
//! and the per-grant modules (`token_code`, `token_refresh`, ...), which import this and never the
//! dispatcher. It must not dispatch or judge a grant.

use crate::dpop::Proof;
use crate::error::OAuthError;
use crate::journal::Decision;
use crate::oauth::client_auth::AuthenticatedClient;
use crate::params::Params;
use crate::state::AppState;

/// The token endpoint's name in the journal.
pub const ENDPOINT: &str = "token";

/// What every grant handler gets.
pub struct TokenRequest<'a> {
    pub state: &'a AppState,
    pub rid: Option<u64>,
    pub issuer: String,
    pub client: AuthenticatedClient,
    pub params: &'a Params,
    /// The DPoP proof that came with the request, checked (RFC 9449 §5); `None`: a bearer
    /// token request.
    pub dpop: Option<Proof>,
}

impl TokenRequest<'_> {
    /// Journals a refusal about this client and returns the error.
    pub fn refuse(
        &self,
        code: &'static str,
        reason: impl Into<String>,
        err: OAuthError,
    ) -> OAuthError {
        self.state.refuse(
            self.rid,
            Decision::refused(ENDPOINT, code, reason).client(&self.client.client.client_id),
            err,
        )
    }

    pub fn client_id(&self) -> &str {
        &self.client.client.client_id
    }

    /// The thumbprint of the key the tokens are bound to, when a proof came with the request.
    pub fn jkt(&self) -> Option<&str> {
        self.dpop.as_ref().map(|p| p.jkt.as_str())
    }

    /// The key a public client's refresh token is bound to (RFC 9449 §5: "the refresh token
    /// MUST be bound to the respective public key"); confidential clients' are bound to the
    /// client instead.
    pub fn refresh_jkt(&self) -> Option<String> {
        let bind = self.client.client.is_public()
            && !self.state.fault(crate::faults::Fault::DpopRefreshNotBound);
        self.jkt().filter(|_| bind).map(str::to_string)
    }
}
