//! The `@as` steps: which client acts (`given`), the authorization request and the user's
//! answer (`when`), and the token endpoint's grants (`tokens`).

mod given;
mod tokens;
mod when;
