//! Fieldless enums stored as snake_case strings (database columns, DTO fields).
//!
//! One macro writes `as_str`, `parse`, `ALL`, `Display`, `FromStr` and serde for each, so
//! the string a value is written as and the string it is read back from cannot drift apart.

/// A string did not name any variant of a string-backed enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {type_name} value {value:?}")]
pub struct ParseEnumError {
    /// The Rust name of the enum that was being parsed, e.g. `"InvoiceStatus"`.
    pub type_name: &'static str,
    /// The rejected input, cut to a few characters so a hostile input cannot bloat logs.
    pub value: String,
}

impl ParseEnumError {
    const MAX_ECHO_CHARS: usize = 32;

    pub(crate) fn new(type_name: &'static str, value: &str) -> Self {
        Self {
            type_name,
            value: value.chars().take(Self::MAX_ECHO_CHARS).collect(),
        }
    }
}

/// Declares a fieldless enum whose variants map one-to-one onto fixed strings.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable string stored in database columns and sent on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }

            /// Parses exactly the string [`Self::as_str`] writes (case-sensitive, no trimming).
            pub fn parse(s: &str) -> Result<Self, $crate::ParseEnumError> {
                match s {
                    $( $text => Ok($name::$variant), )+
                    other => Err($crate::ParseEnumError::new(stringify!($name), other)),
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::ParseEnumError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Self::parse(&raw).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    string_enum! {
        /// A test enum.
        enum Fruit {
            /// Apple.
            Apple => "apple",
            /// Blood orange.
            BloodOrange => "blood_orange",
        }
    }

    #[test]
    fn round_trips_every_variant() {
        for fruit in Fruit::ALL {
            assert_eq!(Fruit::parse(fruit.as_str()), Ok(*fruit));
            assert_eq!(fruit.to_string(), fruit.as_str());
        }
    }

    #[test]
    fn rejects_unknown_and_near_misses() {
        for bad in ["", "Apple", " apple", "blood-orange", "pear"] {
            let err = Fruit::parse(bad).unwrap_err();
            assert_eq!(err.type_name, "Fruit");
        }
    }

    #[test]
    fn error_echo_is_bounded() {
        let long = "x".repeat(1000);
        assert_eq!(Fruit::parse(&long).unwrap_err().value.len(), 32);
    }

    #[test]
    fn deserializes_from_the_stored_string() {
        let de: StrDeserializer<'_, DeError> = "blood_orange".into_deserializer();
        assert_eq!(Fruit::deserialize(de), Ok(Fruit::BloodOrange));
        let de: StrDeserializer<'_, DeError> = "kiwi".into_deserializer();
        assert!(Fruit::deserialize(de).is_err());
    }
}
