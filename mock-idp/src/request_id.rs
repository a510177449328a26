//! The id the journal groups one request's entries by. The request middleware in `server` puts
//! it in every request's extensions; handlers read it from there. A leaf: handlers import it
//! without importing the server that routes to them.

/// The id the journal groups a request's entries by.
#[derive(Debug, Clone, Copy)]
pub struct RequestId(pub u64);
