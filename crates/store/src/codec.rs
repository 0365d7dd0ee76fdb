//! Conversions between domain values and the column types both backends share: integers,
//! text, ISO dates and JSON text.

use crate::StoreError;
use acta_domain::Id;
use jiff::civil::{Date, Time};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::any::AnyRow;

pub(crate) fn get<T>(row: &AnyRow, column: &str) -> Result<T, StoreError>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    row.try_get::<T, _>(column).map_err(StoreError::from)
}

pub(crate) fn id<T>(row: &AnyRow, column: &str) -> Result<Id<T>, StoreError> {
    get::<i64>(row, column).map(Id::new)
}

pub(crate) fn opt_id<T>(row: &AnyRow, column: &str) -> Result<Option<Id<T>>, StoreError> {
    Ok(get::<Option<i64>>(row, column)?.map(Id::new))
}

pub(crate) fn flag(row: &AnyRow, column: &str) -> Result<bool, StoreError> {
    Ok(get::<i64>(row, column)? != 0)
}

pub(crate) fn u32_col(row: &AnyRow, column: &str) -> Result<u32, StoreError> {
    let v: i64 = get(row, column)?;
    u32::try_from(v).map_err(|_| StoreError::corrupt(column, format!("{v} hors limites")))
}

pub(crate) fn opt_u32(row: &AnyRow, column: &str) -> Result<Option<u32>, StoreError> {
    get::<Option<i64>>(row, column)?
        .map(|v| {
            u32::try_from(v).map_err(|_| StoreError::corrupt(column, format!("{v} hors limites")))
        })
        .transpose()
}

pub(crate) fn i16_col(row: &AnyRow, column: &str) -> Result<i16, StoreError> {
    let v: i64 = get(row, column)?;
    i16::try_from(v).map_err(|_| StoreError::corrupt(column, format!("{v} hors limites")))
}

pub(crate) fn date(row: &AnyRow, column: &str) -> Result<Date, StoreError> {
    let s: String = get(row, column)?;
    s.parse()
        .map_err(|e| StoreError::corrupt(column, format!("date « {s} » : {e}")))
}

pub(crate) fn opt_date(row: &AnyRow, column: &str) -> Result<Option<Date>, StoreError> {
    get::<Option<String>>(row, column)?
        .map(|s| {
            s.parse()
                .map_err(|e| StoreError::corrupt(column, format!("date « {s} » : {e}")))
        })
        .transpose()
}

pub(crate) fn opt_time(row: &AnyRow, column: &str) -> Result<Option<Time>, StoreError> {
    get::<Option<String>>(row, column)?
        .map(|s| {
            s.parse()
                .map_err(|e| StoreError::corrupt(column, format!("heure « {s} » : {e}")))
        })
        .transpose()
}

pub(crate) fn json<T: DeserializeOwned>(row: &AnyRow, column: &str) -> Result<T, StoreError> {
    let s: String = get(row, column)?;
    serde_json::from_str(&s).map_err(|e| StoreError::corrupt(column, e.to_string()))
}

pub(crate) fn opt_json<T: DeserializeOwned>(
    row: &AnyRow,
    column: &str,
) -> Result<Option<T>, StoreError> {
    get::<Option<String>>(row, column)?
        .map(|s| serde_json::from_str(&s).map_err(|e| StoreError::corrupt(column, e.to_string())))
        .transpose()
}

/// Serialises a domain value for a JSON column. Domain types only hold strings, numbers
/// and dates, so this cannot fail in practice; an error is still reported, not ignored.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::corrupt("json", e.to_string()))
}

/// Parses a domain code stored as text (an enum's `code()`).
pub(crate) fn code<T>(
    row: &AnyRow,
    column: &str,
    from_code: impl Fn(&str) -> Option<T>,
) -> Result<T, StoreError> {
    let s: String = get(row, column)?;
    from_code(&s).ok_or_else(|| StoreError::corrupt(column, format!("code inconnu « {s} »")))
}

/// Reads a domain value that validates itself on parsing (SIRET, IBAN…).
pub(crate) fn parsed<T, E: std::fmt::Display>(
    row: &AnyRow,
    column: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<T, StoreError> {
    let s: String = get(row, column)?;
    parse(&s).map_err(|e| StoreError::corrupt(column, e.to_string()))
}

pub(crate) fn opt_parsed<T, E: std::fmt::Display>(
    row: &AnyRow,
    column: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Option<T>, StoreError> {
    get::<Option<String>>(row, column)?
        .map(|s| parse(&s).map_err(|e| StoreError::corrupt(column, e.to_string())))
        .transpose()
}

/// Serialises a unit-only serde enum to its snake_case name (`BodyKind::Council` → "council").
pub(crate) fn enum_code<T: Serialize>(value: &T) -> Result<String, StoreError> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(StoreError::corrupt("enum", "valeur non codable")),
    }
}

/// Reads back a unit-only serde enum from its snake_case name.
pub(crate) fn enum_from<T: DeserializeOwned>(row: &AnyRow, column: &str) -> Result<T, StoreError> {
    let s: String = get(row, column)?;
    serde_json::from_value(serde_json::Value::String(s.clone()))
        .map_err(|_| StoreError::corrupt(column, format!("code inconnu « {s} »")))
}

pub(crate) fn bool_int(b: bool) -> i64 {
    i64::from(b)
}
