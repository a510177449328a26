//! Running the suite: a whole run against one target (`run`), the cucumber driver that turns
//! each finished scenario into a record (`driver`), and the mutation self-test (`mutate`).

pub mod driver;
pub mod mutate;
pub mod run;
