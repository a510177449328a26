//! The id the journal groups one request's entries by. The request middleware in `server` puts
//! it in every request's extensions; handlers read it from there. A leaf: handlers import it
//! without importing the server that routes to them.

/// The id the journal groups a request's entries by.
#[derive(Debug, Clone, Copy)]
pub struct RequestId(pub u64);

/// The method and path a request arrived with, for checks that bind to them (a DPoP proof's
/// `htm` and `htu`, RFC 9449 §4.3). Put next to the [`RequestId`] by the same middleware.
#[derive(Debug, Clone)]
pub struct RequestTarget {
    pub method: String,
    pub path: String,
}
