//! The `@as` steps: which client acts (`given`), the authorization request and the user's
//! answer (`when`), the token endpoint's grants (`tokens`), DPoP proofs (`dpop`) and client assertions
//! (`assertions`), and the two sides of the ID-JAG (`id_jag`).

mod assertions;
mod dpop;
mod given;
mod id_jag;
mod tokens;
mod when;
