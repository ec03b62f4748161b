//! A CSL-JSON item read in one pass from its text, its strings borrowed where they have no
//! escapes: the usual shape of an item, for the reader's fast path.
//!
//! Each value is read as the shape its variable usually has: names as a list of name
//! objects, dates as a date object, anything else as a string or, failing that, a JSON
//! value. A name or date variable of another shape (a plain string, `null`, a name object
//! with a part that is not text) fails the whole item, which the reader then reads through
//! a JSON value instead. So this path only ever sees values both paths read the same way.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{CslDate, CslName, DATE_VARIABLES, NAME_VARIABLES};

/// An item: `id` and `type` apart, every other variable in the order of the text.
#[derive(Debug, Default)]
pub(crate) struct Item<'a> {
    pub id: Option<Value>,
    pub kind: Option<Value>,
    pub fields: Vec<(Cow<'a, str>, Field<'a>)>,
}

/// The value of one variable.
#[derive(Debug)]
pub(crate) enum Field<'a> {
    /// A string (escaped strings are unescaped into an owned one).
    Str(Cow<'a, str>),
    /// A name variable's list of name objects.
    Names(Vec<CslName>),
    /// A date variable's date object.
    Date(Box<CslDate>),
    /// Anything else: numbers, booleans, `null`, arrays and objects.
    Value(Value),
}

impl<'de> Deserialize<'de> for Item<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CSL item object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item<'de>, A::Error> {
        let mut item = Item { fields: Vec::with_capacity(24), ..Item::default() };
        while let Some(Str(key)) = map.next_key::<Str<'de>>()? {
            let name: &str = &key;
            if name == "id" {
                item.id = Some(map.next_value()?);
            } else if name == "type" {
                item.kind = Some(map.next_value()?);
            } else if NAME_VARIABLES.contains(&name) {
                item.fields.push((key, Field::Names(map.next_value()?)));
            } else if DATE_VARIABLES.contains(&name) {
                item.fields.push((key, Field::Date(map.next_value()?)));
            } else {
                let Any(value) = map.next_value()?;
                item.fields.push((key, value));
            }
        }
        Ok(item)
    }
}

/// A string, borrowed from the text when it has no escapes.
struct Str<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

/// Any value: a string as [`Field::Str`], the rest as a JSON value.
struct Any<'a>(Field<'a>);

impl<'de> Deserialize<'de> for Any<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyVisitor)
    }
}

struct AnyVisitor;

impl<'de> Visitor<'de> for AnyVisitor {
    type Value = Any<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Any<'de>, E> {
        Ok(Any(Field::Str(Cow::Borrowed(v))))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Any<'de>, E> {
        Ok(Any(Field::Str(Cow::Owned(v.to_owned()))))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Any<'de>, E> {
        Ok(Any(Field::Str(Cow::Owned(v))))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Any<'de>, E> {
        Ok(Any(Field::Value(Value::Bool(v))))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Any<'de>, E> {
        Ok(Any(Field::Value(Value::Number(v.into()))))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Any<'de>, E> {
        Ok(Any(Field::Value(Value::Number(v.into()))))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Any<'de>, E> {
        // What serde_json's own value does with a number it cannot hold.
        Ok(Any(Field::Value(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Any<'de>, E> {
        Ok(Any(Field::Value(Value::Null)))
    }
    fn visit_none<E: de::Error>(self) -> Result<Any<'de>, E> {
        Ok(Any(Field::Value(Value::Null)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Any<'de>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(|v| Any(Field::Value(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Any<'de>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(|v| Any(Field::Value(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_borrow_unless_escaped() {
        let item: Item<'_> =
            serde_json::from_str(r#"{"id": 1, "title": "A", "note": "a\nb", "volume": 5}"#)
                .unwrap();
        assert_eq!(item.id, Some(Value::from(1)));
        let kinds: Vec<(&str, &str)> = item
            .fields
            .iter()
            .map(|(k, v)| {
                let what = match v {
                    Field::Str(Cow::Borrowed(_)) => "borrowed",
                    Field::Str(Cow::Owned(_)) => "owned",
                    Field::Value(_) => "value",
                    _ => "other",
                };
                (k.as_ref(), what)
            })
            .collect();
        assert_eq!(kinds, [("title", "borrowed"), ("note", "owned"), ("volume", "value")]);
    }

    #[test]
    fn other_shapes_of_names_and_dates_fail_the_item() {
        for json in [
            r#"{"author": "Berg, Jan"}"#,
            r#"{"author": null}"#,
            r#"{"author": [null]}"#,
            r#"{"author": [{"family": ["Berg"]}]}"#,
            r#"{"issued": "2019"}"#,
            r#"{"issued": [{"date-parts": [[2019]]}]}"#,
            "[]",
            "42",
        ] {
            assert!(serde_json::from_str::<Item<'_>>(json).is_err(), "{json}");
        }
        let item: Item<'_> =
            serde_json::from_str(r#"{"author": [{"family": "Berg"}], "issued": {"raw": "2019"}}"#)
                .unwrap();
        assert!(matches!(item.fields[0].1, Field::Names(ref n) if n.len() == 1));
        assert!(matches!(item.fields[1].1, Field::Date(_)));
    }
}
