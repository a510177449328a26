//! The fault tables of the reference components (the MCP client, the OAuth client, the agent
//! server): `protocol::fault_table!` (the one table shape mock-idp's faults share) plus
//! `FromStr` with the reference's own error and a test that every name carries the component's
//! prefix. The mutation self-test (`authconform mutate`) switches them on one at a time.

/// `named_faults!(Enum, "what kind of fault", "name-prefix-", { Variant = "name": "description", ... })`.
macro_rules! named_faults {
    ($enum:ident, $kind:literal, $prefix:literal, { $( $variant:ident = $name:literal : $description:literal ),+ $(,)? }) => {
        protocol::fault_table!(pub enum $enum, $kind {
            $( $variant = $name : $description, )+
        });

        impl std::str::FromStr for $enum {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $enum::from_name(s).ok_or_else(|| {
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
