//! Typed public ids (`cus_…`, `inv_…`): what URLs and the wire carry. Database keys stay
//! inside the server; a `CustomerId` can never be passed where an `InvoiceId` is expected.

/// Lowercase RFC 4648 base32: no ambiguous case in URLs, readable when read aloud.
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// Number of characters after the prefix: 10 random bytes = 80 bits = 16 base32 digits.
pub const ID_BODY_LEN: usize = 16;

/// Why a string is not a valid id of the expected kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The id does not start with the expected prefix (e.g. an `inv_` where a `cus_` belongs).
    #[error("expected an id starting with {expected}")]
    WrongPrefix {
        /// The prefix this id type requires, e.g. `"cus_"`.
        expected: &'static str,
    },
    /// The part after the prefix is not exactly 16 characters.
    #[error("wrong id length")]
    WrongLength,
    /// The part after the prefix contains a character outside lowercase base32.
    #[error("invalid character in id")]
    InvalidCharacter,
}

fn encode_base32(bytes: [u8; 10]) -> String {
    let mut out = String::with_capacity(ID_BODY_LEN);
    // 10 bytes are exactly two 40-bit blocks of eight 5-bit digits each: no padding.
    for chunk in bytes.chunks_exact(5) {
        let block = chunk.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        for i in (0..8).rev() {
            let digit = ((block >> (i * 5)) & 0x1f) as usize;
            out.push(char::from(ALPHABET[digit]));
        }
    }
    out
}

fn validate(raw: &str, prefix: &'static str) -> Result<(), IdError> {
    let body = raw
        .strip_prefix(prefix)
        .ok_or(IdError::WrongPrefix { expected: prefix })?;
    if !body.bytes().all(|b| ALPHABET.contains(&b)) {
        return Err(IdError::InvalidCharacter);
    }
    if body.len() != ID_BODY_LEN {
        return Err(IdError::WrongLength);
    }
    Ok(())
}

macro_rules! public_id {
    ($(#[$meta:meta])* $name:ident, $prefix:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The prefix every id of this kind starts with.
            pub const PREFIX: &'static str = $prefix;

            /// A new id from 10 caller-supplied random bytes (this crate has no randomness).
            pub fn from_random(bytes: [u8; 10]) -> Self {
                Self(format!("{}{}", Self::PREFIX, encode_base32(bytes)))
            }

            /// Parses the canonical form exactly (prefix, then 16 lowercase base32 chars).
            pub fn parse(raw: &str) -> Result<Self, IdError> {
                validate(raw, Self::PREFIX)?;
                Ok(Self(raw.to_owned()))
            }

            /// The id as text, prefix included.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                validate(&s, Self::PREFIX)?;
                Ok(Self(s))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Self::try_from(raw).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    };
}

public_id!(
    /// A customer of a merchant: `cus_…`.
    CustomerId, "cus_"
);
public_id!(
    /// An invoice: `inv_…`.
    InvoiceId, "inv_"
);
public_id!(
    /// A saved payment method (card or SEPA mandate): `pm_…`.
    PaymentMethodId, "pm_"
);
public_id!(
    /// A subscription: `sub_…`.
    SubscriptionId, "sub_"
);
public_id!(
    /// A plan: `plan_…`.
    PlanId, "plan_"
);
public_id!(
    /// One charge attempt against an invoice: `pay_…`.
    PaymentAttemptId, "pay_"
);
public_id!(
    /// A merchant organization: `org_…`.
    OrganizationId, "org_"
);
public_id!(
    /// An outbound email: `em_…`.
    EmailId, "em_"
);
public_id!(
    /// A CSV import: `imp_…`.
    ImportId, "imp_"
);
public_id!(
    /// A merchant's API key (its public handle, not the secret): `key_…`.
    ApiKeyId, "key_"
);

public_id!(
    /// A state change the merchant's app can read and be told about: `evt_…`.
    EventId, "evt_"
);
public_id!(
    /// A merchant's webhook endpoint: `we_…`.
    WebhookEndpointId, "we_"
);
public_id!(
    /// One delivery of an event to a webhook endpoint: `whd_…`.
    WebhookDeliveryId, "whd_"
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    #[test]
    fn encodes_known_vectors() {
        assert_eq!(
            CustomerId::from_random([0; 10]).as_str(),
            "cus_aaaaaaaaaaaaaaaa"
        );
        assert_eq!(
            InvoiceId::from_random([0xff; 10]).as_str(),
            "inv_7777777777777777"
        );
        // RFC 4648 test vector "fooba" -> MZXW6YTB, twice.
        assert_eq!(
            PlanId::from_random(*b"foobafooba").as_str(),
            "plan_mzxw6ytbmzxw6ytb"
        );
    }

    #[test]
    fn parses_only_canonical_ids() {
        let cases: &[(&str, Result<(), IdError>)] = &[
            ("cus_abcdefghijkl2345", Ok(())),
            ("cus_7777777777777777", Ok(())),
            (
                "inv_abcdefghijkl2345",
                Err(IdError::WrongPrefix { expected: "cus_" }),
            ),
            (
                "CUS_abcdefghijkl2345",
                Err(IdError::WrongPrefix { expected: "cus_" }),
            ),
            ("", Err(IdError::WrongPrefix { expected: "cus_" })),
            ("cus_", Err(IdError::WrongLength)),
            ("cus_abcdefghijkl234", Err(IdError::WrongLength)),
            ("cus_abcdefghijkl23456", Err(IdError::WrongLength)),
            ("cus_ABCDEFGHIJKL2345", Err(IdError::InvalidCharacter)),
            ("cus_abcdefghijkl2341", Err(IdError::InvalidCharacter)),
            ("cus_abcdefghijkl234/", Err(IdError::InvalidCharacter)),
            ("cus_abcdefghijkl234é", Err(IdError::InvalidCharacter)),
        ];
        for (input, expected) in cases {
            assert_eq!(
                &CustomerId::parse(input).map(|_| ()),
                expected,
                "input {input:?}"
            );
        }
    }

    #[test]
    fn every_kind_has_its_prefix() {
        let bytes = [7; 10];
        assert!(CustomerId::from_random(bytes).as_str().starts_with("cus_"));
        assert!(InvoiceId::from_random(bytes).as_str().starts_with("inv_"));
        assert!(
            PaymentMethodId::from_random(bytes)
                .as_str()
                .starts_with("pm_")
        );
        assert!(
            SubscriptionId::from_random(bytes)
                .as_str()
                .starts_with("sub_")
        );
        assert!(PlanId::from_random(bytes).as_str().starts_with("plan_"));
        assert!(
            PaymentAttemptId::from_random(bytes)
                .as_str()
                .starts_with("pay_")
        );
        assert!(
            OrganizationId::from_random(bytes)
                .as_str()
                .starts_with("org_")
        );
        assert!(EmailId::from_random(bytes).as_str().starts_with("em_"));
        let pm = PaymentMethodId::from_random(bytes);
        assert_eq!(pm.to_string(), pm.as_str());
    }

    #[test]
    fn deserializes_via_parse() {
        let de: StrDeserializer<'_, DeError> = "em_aaaaaaaaaaaaaaaa".into_deserializer();
        assert_eq!(
            EmailId::deserialize(de).map(String::from),
            Ok("em_aaaaaaaaaaaaaaaa".to_owned())
        );
        let de: StrDeserializer<'_, DeError> = "em_nope".into_deserializer();
        assert!(EmailId::deserialize(de).is_err());
    }

    proptest! {
        #[test]
        fn from_random_always_parses_back(bytes in any::<[u8; 10]>(), junk in "\\PC{0,24}") {
            let id = SubscriptionId::from_random(bytes);
            prop_assert_eq!(id.as_str().len(), 4 + ID_BODY_LEN);
            prop_assert_eq!(SubscriptionId::parse(id.as_str()), Ok(id.clone()));
            // Distinct bytes give distinct ids (the encoding is injective).
            let other = SubscriptionId::from_random(bytes.map(|b| b ^ 1));
            prop_assert_ne!(id, other);
            if let Ok(parsed) = SubscriptionId::parse(&junk) {
                prop_assert_eq!(parsed.as_str(), junk.as_str());
            }
        }
    }
}
