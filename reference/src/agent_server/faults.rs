//! Faults of the reference multi-user agent server (`@agent` scenarios): the ways such servers
//! mix users up, each switched on where the server's code bends.

use crate::named_faults::named_faults;

named_faults!(AgentFault, "reference agent server", "agent-", {
    SharedTokenCache = "agent-shared-token-cache":
        "keeps one downstream token for all callers: the first user's token serves everyone",
    TrustSessionCookie = "agent-trust-session-cookie":
        "takes a session cookie naming a user as that user's identity",
    TrustQueryIdentity = "agent-trust-query-identity":
        "takes a query parameter naming a user as that user's identity",
    UnverifiedJwt = "agent-unverified-jwt":
        "reads the identity JWT's claims without verifying its signature, issuer, audience or expiry",
    NoAudienceCheck = "agent-no-audience-check":
        "verifies the identity JWT's signature, issuer and expiry but takes any audience",
    CallbackFifo = "agent-callback-fifo":
        "matches a consent's callback to the oldest waiting call instead of by its state",
    AnonymousDefault = "agent-anonymous-default-identity":
        "lets anonymous callers act as one shared default identity",
    ConsentToLatestConnection = "agent-consent-to-latest-connection":
        "sends the consent prompt to the most recently opened connection, not the caller's",
    NoTokenCache = "agent-no-token-cache":
        "keeps no downstream token: every call asks the user for consent again",
    SinglePendingConsent = "agent-single-pending-consent":
        "remembers one pending consent for the whole server: concurrent consents overwrite each other",
    UncheckedCallback = "agent-unchecked-callback":
        "takes a consent callback whose state it does not know as the caller's own, and redeems it without checking state or iss",
    DeniedFallsBack = "agent-denied-falls-back":
        "when a user denies consent, serves the call with the last downstream token it used, whoever granted it",
});
