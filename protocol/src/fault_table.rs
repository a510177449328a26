//! The one shape of every table of named faults (mock-idp's, and each reference
//! implementation's): an enum whose variants carry a kebab-case name and a one-line description,
//! `ALL` in table order, `name`, `description`, `from_name`, and `Display` as the name. A fault
//! is a deliberate defect the mutation self-test switches on; which behaviour it bends is the
//! owning crate's business, never this one's.

/// `fault_table!(#[attrs] pub enum Name, "what commits them" { Variant = "name": "description", ... })`.
#[macro_export]
macro_rules! fault_table {
    ($(#[$meta:meta])* $vis:vis enum $enum:ident, $kind:literal { $( $variant:ident = $name:literal : $description:literal ),+ $(,)? }) => {
        #[doc = concat!("A named deviation from the specs, committed on request by the ", $kind, ".")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $(#[$meta])*
        $vis enum $enum {
            $( #[doc = $description] $variant, )+
        }

        impl $enum {
            /// Every fault, in table order.
            pub const ALL: &'static [$enum] = &[ $( $enum::$variant, )+ ];

            /// The kebab-case name (config, `--fault`, the admin API, `authconform faults`).
            pub fn name(self) -> &'static str {
                match self { $( $enum::$variant => $name, )+ }
            }

            /// One line saying what the fault breaks.
            pub fn description(self) -> &'static str {
                match self { $( $enum::$variant => $description, )+ }
            }

            /// The fault of this name.
            pub fn from_name(name: &str) -> Option<Self> {
                $enum::ALL.iter().copied().find(|f| f.name() == name)
            }
        }

        impl std::fmt::Display for $enum {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::fault_table!(pub enum Demo, "a test" {
        One = "demo-one": "the first",
        Two = "demo-two": "the second",
    });

    #[test]
    fn names_descriptions_and_lookup() {
        assert_eq!(Demo::ALL, &[Demo::One, Demo::Two]);
        assert_eq!(Demo::Two.name(), "demo-two");
        assert_eq!(Demo::One.description(), "the first");
        assert_eq!(Demo::from_name("demo-two"), Some(Demo::Two));
        assert_eq!(Demo::from_name("nope"), None);
        assert_eq!(Demo::One.to_string(), "demo-one");
    }
}
