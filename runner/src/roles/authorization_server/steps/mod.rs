//! The `@as` steps: which client acts (`given`), the authorization request and the user's
//! answer (`when`), the token endpoint's grants (`tokens`), and DPoP proofs (`dpop`).

mod dpop;
mod given;
mod tokens;
mod when;
