//! The leaf of the workspace: protocol mechanics that both the judge (the runner) and the judged
//! (mock-idp, the reference implementations) need, with no verdict in them. A function here may
//! parse, encode or compute; it never decides whether something conforms. The code that judges
//! must not share checks with the code it judges, so a check never moves here.

pub mod callback;
pub mod dpop;
pub mod fault_table;
pub mod jwt;
pub mod pkce;
pub mod secrets;
pub mod time;
pub mod www_authenticate;
