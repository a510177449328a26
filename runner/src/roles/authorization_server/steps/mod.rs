//! The `@as` steps: which client acts (`given`), the authorization request and the user's
//! answer (`when`), the token endpoint's grants (`tokens`), DPoP proofs (`dpop`) and client assertions
//! (`assertions`).

mod assertions;
mod dpop;
mod given;
mod tokens;
mod when;
