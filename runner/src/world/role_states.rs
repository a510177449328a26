//! The World's per-role state: one value per role, keyed by its type, so the World holds every
//! role's flow without naming any. Each role's `flow.rs` defines its state type and registers it
//! through the role table before a scenario starts.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

/// What the World asks of a role's state when a scenario ends.
pub trait RoleState: Any + Send + Sync {
    /// The process the role drove (an adapter under test), stopped; resolves to what it said on
    /// stderr. `None` when the role drove no such process.
    fn stop(&mut self) -> Option<Pin<Box<dyn Future<Output = String> + Send>>> {
        None
    }
}

/// Every role's state in one scenario.
#[derive(Default)]
pub struct RoleStates(HashMap<TypeId, Box<dyn RoleState>>);

impl RoleStates {
    /// Adds (or replaces) a role's state.
    pub fn insert<T: RoleState>(&mut self, state: T) {
        self.0.insert(TypeId::of::<T>(), Box::new(state));
    }

    /// The state of type `T`; registering every role's state before the scenario is the role
    /// table's job, so a missing one is a defect in the runner.
    pub fn get<T: RoleState>(&self) -> &T {
        let any: &dyn Any = self
            .0
            .get(&TypeId::of::<T>())
            .map(|b| b.as_ref() as &dyn Any)
            .unwrap_or_else(|| missing::<T>());
        any.downcast_ref().unwrap_or_else(|| missing::<T>())
    }

    /// The state of type `T`, to change.
    pub fn get_mut<T: RoleState>(&mut self) -> &mut T {
        let any: &mut dyn Any = self
            .0
            .get_mut(&TypeId::of::<T>())
            .map(|b| b.as_mut() as &mut dyn Any)
            .unwrap_or_else(|| missing::<T>());
        any.downcast_mut().unwrap_or_else(|| missing::<T>())
    }

    /// Stops what every role drove; resolves to what each said.
    pub fn stop_all(&mut self) -> Vec<Pin<Box<dyn Future<Output = String> + Send>>> {
        self.0.values_mut().filter_map(|s| s.stop()).collect()
    }
}

fn missing<T>() -> ! {
    panic!(
        "the role state {} was not registered (a defect in the role table)",
        std::any::type_name::<T>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct A(u8);
    impl RoleState for A {}

    #[test]
    fn states_are_found_by_type() {
        let mut s = RoleStates::default();
        s.insert(A(1));
        s.get_mut::<A>().0 += 1;
        assert_eq!(s.get::<A>().0, 2);
        assert!(s.stop_all().is_empty());
    }

    #[test]
    #[should_panic(expected = "was not registered")]
    fn a_missing_state_is_a_runner_defect() {
        RoleStates::default().get::<A>();
    }
}
