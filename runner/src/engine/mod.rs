//! Running the suite: a whole run against one target (`run`), the cucumber driver that turns
//! each finished scenario into a record (`driver`), what one run shares between its scenarios
//! (`context`), and the mutation self-test (`mutate`).

pub mod context;
pub mod driver;
pub mod mutate;
pub mod run;
