//! `Posted<T>`: a submitted HTML form whose CSRF token matched the session's. The body is read
//! within the service's body limit; a form without the token, or with another session's, is
//! refused before the handler runs. Every field arrives as text, so a form with a mistyped value
//! is shown again with the problem beside the field instead of failing to parse.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest, web};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::session::{CSRF_COOKIE, same_token};
use crate::error::AppError;

pub struct Posted<T>(Result<T, AppError>);

impl<T> Posted<T> {
    /// The form, or why it was refused (shown by `Page::fail`).
    pub fn accept(self) -> Result<T, AppError> {
        self.0
    }
}

#[derive(Deserialize)]
struct Token {
    csrf: Option<String>,
}

impl<T: DeserializeOwned + 'static> FromRequest for Posted<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let form = match body.await {
                Ok(bytes) => read(&req, &bytes),
                Err(_) => Err(AppError::BadRequest {
                    detail: "the form could not be read (too large?)".into(),
                    errors: vec![],
                }),
            };
            Ok(Posted(form))
        })
    }
}

fn read<T: DeserializeOwned>(req: &HttpRequest, bytes: &[u8]) -> Result<T, AppError> {
    let urlencoded = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !urlencoded {
        return Err(AppError::UnsupportedMediaType(
            "send the form as application/x-www-form-urlencoded".into(),
        ));
    }
    let sent = serde_urlencoded::from_bytes::<Token>(bytes)
        .ok()
        .and_then(|t| t.csrf)
        .unwrap_or_default();
    let kept = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    if kept.is_empty() || !same_token(&sent, &kept) {
        return Err(AppError::Forbidden(
            "this form has expired or was not sent from this site: reload the page and send it again".into(),
        ));
    }
    serde_urlencoded::from_bytes::<T>(bytes).map_err(|e| AppError::BadRequest {
        detail: format!("the form is malformed: {e}"),
        errors: vec![],
    })
}

/// A form whose fields may repeat (boxes ticked under one name, a multiple select): every pair
/// as sent, in order.
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct Pairs(Vec<(String, String)>);

impl Pairs {
    /// The first value sent under `name`, or `""`.
    pub fn one(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every non-empty value sent under `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, v)| n == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }
}

/// A whole number as people type it: spaces and thousands separators allowed ("30,000").
pub fn whole_number(raw: &str) -> Option<i64> {
    let cleaned: String = raw.chars().filter(|c| !matches!(c, ',' | ' ' | '_')).collect();
    cleaned.parse().ok()
}

/// The form field beside which a service's problem shows. A list entry (`skills[2].level`)
/// goes to the form row it came from (`rows[2]`, or the list itself when no row is known); a
/// renamed field goes to its form name; any other field keeps its name.
pub fn form_field(service_field: &str, lists: &[(&str, &[String])], renamed: &[(&str, &str)]) -> String {
    for (list, rows) in lists {
        if let Some(rest) = service_field.strip_prefix(list).and_then(|r| r.strip_prefix('[')) {
            let index: Option<usize> = rest.split(']').next().and_then(|i| i.parse().ok());
            return match index.and_then(|i| rows.get(i)) {
                Some(row) => row.clone(),
                None => (*list).to_owned(),
            };
        }
    }
    renamed
        .iter()
        .find(|(from, _)| *from == service_field)
        .map_or_else(|| service_field.to_owned(), |(_, to)| (*to).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_land_beside_the_row_they_came_from() {
        let rows = vec!["skill_1".to_owned(), "skill_3".to_owned()];
        let lists: [(&str, &[String]); 2] = [("skills", &rows), ("desired_location_ids", &[])];
        let renamed = [("salary_expectation.amount", "salary_amount")];
        assert_eq!(form_field("skills[1].level", &lists, &renamed), "skill_3");
        assert_eq!(form_field("skills[0].skill_id", &lists, &renamed), "skill_1");
        assert_eq!(form_field("skills[7].skill_id", &lists, &renamed), "skills");
        assert_eq!(
            form_field("desired_location_ids[0]", &lists, &renamed),
            "desired_location_ids"
        );
        assert_eq!(
            form_field("salary_expectation.amount", &lists, &renamed),
            "salary_amount"
        );
        assert_eq!(form_field("headline", &lists, &renamed), "headline");
        // A field that only begins like a list is not an entry of it.
        assert_eq!(form_field("skills_note", &lists, &renamed), "skills_note");
    }

    #[test]
    fn whole_numbers_allow_separators_and_nothing_else() {
        assert_eq!(whole_number("30,000"), Some(30000));
        assert_eq!(whole_number(" 1 200 "), Some(1200));
        assert_eq!(whole_number("12.5"), None);
        assert_eq!(whole_number("lots"), None);
        assert_eq!(whole_number(""), None);
    }

    #[test]
    fn repeated_fields_are_all_kept() {
        let pairs: Pairs = serde_urlencoded::from_str("a=1&b=&a=2&a=+").unwrap();
        assert_eq!(pairs.all("a"), vec!["1", "2"]);
        assert_eq!(pairs.one("a"), "1");
        assert_eq!(pairs.one("c"), "");
        assert!(pairs.has("b"));
    }
}
