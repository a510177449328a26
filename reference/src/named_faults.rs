//! The one shape every fault table of a built-in reference component has (the MCP client, the
//! OAuth client, the agent server): an enum whose variants carry a kebab-case name and a one-line
//! description, `ALL` in table order, `Display` as the name and `FromStr` from it. The mutation
//! self-test (`authconform mutate`) switches them on one at a time.

/// `named_faults!(Enum, "what kind of fault", "name-prefix-", { Variant = "name": "description", ... })`.
macro_rules! named_faults {
    ($enum:ident, $kind:literal, $prefix:literal, { $( $variant:ident = $name:literal : $description:literal ),+ $(,)? }) => {
        #[doc = concat!("A deviation the ", $kind, " can be told to commit.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $enum {
            $( #[doc = $description] $variant, )+
        }

        impl $enum {
            /// Every fault, in table order.
            pub const ALL: &'static [$enum] = &[ $( $enum::$variant, )+ ];

            /// The kebab-case name (`--fault`, `authconform faults`).
            pub fn name(self) -> &'static str {
                match self { $( $enum::$variant => $name, )+ }
            }

            /// One line saying what the fault breaks.
            pub fn description(self) -> &'static str {
                match self { $( $enum::$variant => $description, )+ }
            }
        }

        impl std::fmt::Display for $enum {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $enum {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $enum::ALL.iter().copied().find(|f| f.name() == s).ok_or_else(|| {
                    format!(concat!("unknown ", $kind, " fault {:?}; `authconform faults` lists them"), s)
                })
            }
        }

        #[cfg(test)]
        mod named_faults_tests {
            use super::$enum;

            #[test]
            fn names_are_unique_prefixed_and_round_trip() {
                let mut seen = std::collections::HashSet::new();
                for f in $enum::ALL {
                    assert!(seen.insert(f.name()), "{f} twice");
                    assert!(f.name().starts_with($prefix), "{f} lacks {}", $prefix);
                    assert_eq!(f.name().parse::<$enum>().unwrap(), *f);
                }
                assert!(concat!($prefix, "nope").parse::<$enum>().is_err());
            }
        }
    };
}

pub(crate) use named_faults;
