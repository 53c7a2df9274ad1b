//! Signing in and out, the language switch, and the pages the emails link to: verify an email,
//! choose a new password, accept an employer's invitation.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::form::Posted;
use super::page::{FormErrors, Page, render, safe_next};
use super::session;
use crate::auth::domain::{Email, Password};
use crate::auth::service;
use crate::employers::invitations::{self, AcceptInput};
use crate::error::{AppError, FieldError};
use crate::http::client_addr::ClientAddr;
use crate::i18n::Locale;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/sign-in").get(sign_in_form).post(sign_in))
        .service(web::resource("/sign-out").post(sign_out))
        .service(web::resource("/language").get(language))
        .service(web::resource("/verify-email").get(verify_form).post(verify))
        .service(web::resource("/reset-password").get(reset_form).post(reset))
        .service(web::resource("/reset-password/request").post(request_reset))
        // The welcome email's sign-in link.
        .service(web::resource("/login").get(|page: Page| async { page.redirect("/sign-in") }))
        .service(
            web::resource("/employers/invitations/accept")
                .get(invitation_form)
                .post(accept_invitation),
        );
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "web/sign_in.html")]
struct SignInPage<'a> {
    page: &'a Page,
    next: String,
    email: String,
    errors: FormErrors,
    notice: Option<&'static str>,
}

async fn sign_in_form(page: Page, query: web::Query<Next>) -> HttpResponse {
    let template = SignInPage {
        page: &page,
        next: safe_next(query.next.as_deref()),
        email: String::new(),
        errors: FormErrors::default(),
        notice: None,
    };
    let html = render(&template);
    page.respond(html)
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn sign_in(mut page: Page, client: ClientAddr, form: Posted<SignInForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let next = safe_next(form.next.as_deref());
    let state = page.state_data();
    let mut errors = Vec::new();
    if form.email.trim().is_empty() {
        errors.push(FieldError::new("email", "enter your email"));
    }
    if form.password.is_empty() {
        errors.push(FieldError::new("password", "enter your password"));
    }
    if errors.is_empty() {
        let signed_in = match state.ip_limiter.check(client.0) {
            Ok(()) => service::login(&state, &state.jwt, form.email.trim(), form.password, client.0).await,
            Err(e) => Err(e),
        };
        match signed_in {
            Ok(pair) => {
                for cookie in session::sign_in_cookies(&state.settings, &state.jwt, &pair) {
                    page.add_cookie(cookie);
                }
                return page.redirect(&next);
            }
            Err(AppError::Unauthorized(_)) => {
                errors.push(FieldError::new("password", page.t.bad_credentials))
            }
            Err(e) => return page.fail(e),
        }
    }
    let template = SignInPage {
        page: &page,
        next,
        email: form.email,
        errors: page.form_errors(errors),
        notice: None,
    };
    let html = render(&template);
    page.respond_with(StatusCode::UNPROCESSABLE_ENTITY, html)
}

#[derive(Deserialize)]
struct SignOutForm {}

async fn sign_out(mut page: Page, form: Posted<SignOutForm>) -> HttpResponse {
    if let Err(e) = form.accept() {
        return page.fail(e);
    }
    let state = page.state_data();
    if let Some(refresh) = page.refresh_token() {
        // Signing out of a session that has already ended is not an error.
        let _ = service::logout(&state, refresh).await;
    }
    for cookie in session::sign_out_cookies(&state.settings) {
        page.add_cookie(cookie);
    }
    page.redirect("/")
}

#[derive(Deserialize)]
struct LanguageQuery {
    to: String,
    next: Option<String>,
}

async fn language(mut page: Page, query: web::Query<LanguageQuery>) -> HttpResponse {
    let locale = Locale::from_tag(&query.to).unwrap_or_default();
    let state = page.state_data();
    page.add_cookie(session::language_cookie(&state.settings, locale.as_str()));
    let next = safe_next(query.next.as_deref());
    page.redirect(&next)
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    token: String,
}

/// A page with one button that sends the emailed token: following a link must not change
/// anything by itself, since mail scanners follow links too.
#[derive(Template)]
#[template(path = "web/token_action.html")]
struct TokenAction<'a> {
    page: &'a Page,
    title: &'static str,
    text: &'static str,
    action: &'static str,
    button: &'static str,
    token: String,
    error: Option<String>,
}

fn token_action(page: Page, kind: TokenKind, token: Option<String>, error: Option<String>) -> HttpResponse {
    let t = page.t;
    let (title, text, action, button) = match kind {
        TokenKind::VerifyEmail => (
            t.verify_email_title,
            t.verify_email_text,
            "/verify-email",
            t.verify_email_button,
        ),
        TokenKind::Invitation => (
            t.invitation_title,
            t.invitation_text,
            "/employers/invitations/accept",
            t.invitation_button,
        ),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let error = match (&token, error) {
        (None, None) => Some(t.missing_token.to_string()),
        (_, error) => error,
    };
    let template = TokenAction {
        page: &page,
        title,
        text,
        action,
        button,
        token: token.unwrap_or_default(),
        error,
    };
    let html = render(&template);
    page.respond_with(status, html)
}

#[derive(Clone, Copy)]
enum TokenKind {
    VerifyEmail,
    Invitation,
}

async fn verify_form(page: Page, query: web::Query<TokenQuery>) -> HttpResponse {
    token_action(page, TokenKind::VerifyEmail, query.into_inner().token, None)
}

async fn verify(page: Page, form: Posted<TokenForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let state = page.state_data();
    match service::verify_email(&state, form.token.clone()).await {
        Ok(()) => sign_in_with_notice(page, Notice::Verified),
        Err(e) => {
            let why = first_problem(&e);
            token_action(page, TokenKind::VerifyEmail, Some(form.token), Some(why))
        }
    }
}

enum Notice {
    Verified,
    PasswordChanged,
}

fn sign_in_with_notice(page: Page, notice: Notice) -> HttpResponse {
    let notice = match notice {
        Notice::Verified => page.t.verified_text,
        Notice::PasswordChanged => page.t.reset_done,
    };
    let template = SignInPage {
        page: &page,
        next: "/".to_string(),
        email: String::new(),
        errors: FormErrors::default(),
        notice: Some(notice),
    };
    let html = render(&template);
    page.respond(html)
}

/// What the person should read about an error of a token or a form.
fn first_problem(error: &AppError) -> String {
    match error {
        AppError::Validation(errors) | AppError::BadRequest { errors, .. } if !errors.is_empty() => errors
            .iter()
            .map(|e| format!("{} {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

#[derive(Template)]
#[template(path = "web/reset_password.html")]
struct ResetPage<'a> {
    page: &'a Page,
    token: String,
    errors: FormErrors,
    email: String,
    /// The request was taken: the same answer whether or not the account exists.
    sent: bool,
}

#[derive(Deserialize)]
struct ResetRequestForm {
    #[serde(default)]
    email: String,
}

async fn request_reset(page: Page, client: ClientAddr, form: Posted<ResetRequestForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let state = page.state_data();
    let outcome = match Email::parse(form.email.trim()) {
        Ok(email) => match state.ip_limiter.check(client.0) {
            Ok(()) => service::request_password_reset(&state, email).await,
            Err(e) => Err(e),
        },
        Err(why) => Err(AppError::invalid("email", why)),
    };
    let (status, errors, sent) = match outcome {
        Ok(()) => (StatusCode::OK, FormErrors::default(), true),
        Err(AppError::Validation(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, page.form_errors(errors), false)
        }
        Err(e) => return page.fail(e),
    };
    let template = ResetPage {
        page: &page,
        token: String::new(),
        errors,
        email: form.email,
        sent,
    };
    let html = render(&template);
    page.respond_with(status, html)
}

/// With the emailed token: the new password's form. Without: the form that asks for the email.
async fn reset_form(page: Page, query: web::Query<TokenQuery>) -> HttpResponse {
    let template = ResetPage {
        page: &page,
        token: query.into_inner().token.unwrap_or_default(),
        errors: FormErrors::default(),
        email: String::new(),
        sent: false,
    };
    let html = render(&template);
    page.respond(html)
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

async fn reset(page: Page, form: Posted<ResetForm>) -> HttpResponse {
    let form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let state = page.state_data();
    let outcome = match Password::parse(&form.password) {
        Ok(password) => service::confirm_password_reset(&state, form.token.clone(), password).await,
        Err(why) => Err(AppError::invalid("password", why)),
    };
    match outcome {
        Ok(()) => sign_in_with_notice(page, Notice::PasswordChanged),
        Err(AppError::Validation(errors)) => {
            let template = ResetPage {
                page: &page,
                token: form.token,
                errors: page.form_errors(errors),
                email: String::new(),
                sent: false,
            };
            let html = render(&template);
            page.respond_with(StatusCode::UNPROCESSABLE_ENTITY, html)
        }
        Err(e) => page.fail(e),
    }
}

async fn invitation_form(page: Page, query: web::Query<TokenQuery>) -> HttpResponse {
    if let Err(e) = page.signed_in() {
        return page.fail(e);
    }
    token_action(page, TokenKind::Invitation, query.into_inner().token, None)
}

async fn accept_invitation(page: Page, form: Posted<TokenForm>) -> HttpResponse {
    let (form, user) = match page.signed_in_with(form) {
        Ok(sent) => sent,
        Err(e) => return page.fail(e),
    };
    let state = page.state_data();
    let input = AcceptInput {
        token: form.token.clone(),
    };
    match invitations::accept(&state, &user, input).await {
        Ok(_) => page.redirect("/employer/jobs"),
        Err(e @ AppError::Validation(_)) => {
            let why = first_problem(&e);
            token_action(page, TokenKind::Invitation, Some(form.token), Some(why))
        }
        Err(e) => page.fail(e),
    }
}
