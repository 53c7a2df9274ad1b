//! PATCH bodies: a field may be absent (leave it), `null` (clear it) or a value (set it).

/// Deserializes a PATCH field so that an absent field (`None`, with `#[serde(default)]`) is told
/// from an explicit `null` (`Some(None)`).
pub fn nullable<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}
