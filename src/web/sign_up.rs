//! `/sign-up`: a job seeker or an employer opens an account. The answer is the same whether or
//! not the address already has one (the email says which), so the page tells nobody who is
//! registered; the verification link in the email opens `/verify-email`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::form::Posted;
use super::page::{FormErrors, Page, render};
use super::text::texts;
use crate::auth::Role;
use crate::auth::routes::parse_account;
use crate::auth::service;
use crate::error::{AppError, FieldError};
use crate::http::client_addr::ClientAddr;

texts!(SignUpTexts {
    title: "Create an account", "注册账户", "註冊帳戶";
    intro: "Job seekers search and apply on both sides of the boundary; employers post jobs and find people. Agency staff are given their accounts by the agency.", "求职者可在深港两地搜索和申请职位；雇主可发布职位、寻找人才。服务机构人员的账户由机构开设。", "求職者可在深港兩地搜尋和申請職位；僱主可刊登職位、尋找人才。服務機構人員的帳戶由機構開設。";
    display_name: "Your name", "您的姓名", "您的姓名";
    password_hint: "At least 12 characters; a long phrase is easiest to remember.", "至少 12 个字符；较长的短语更容易记住。", "至少 12 個字元；較長的短語更容易記住。";
    role: "I am", "我是", "我是";
    role_candidate: "looking for work", "求职者", "求職者";
    role_employer: "hiring for an employer", "为雇主招聘", "為僱主招聘";
    create: "Create the account", "注册", "註冊";
    sent: "Thank you. We sent a message to this address: open its link to verify your email, then sign in.", "谢谢。我们已向该邮箱发送邮件：请打开其中的链接验证邮箱，然后登录。", "謝謝。我們已向該電郵地址發送郵件：請開啟其中的連結驗證電郵，然後登入。";
    have_account: "Already have an account? Sign in", "已有账户？登录", "已有帳戶？登入";
    choose_role: "Choose one.", "请选择一项。", "請選擇一項。";
});

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/sign-up").get(form).post(register));
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct SignUpForm {
    display_name: String,
    email: String,
    password: String,
    role: String,
}

#[derive(Template)]
#[template(path = "web/sign_up.html")]
struct SignUpPage<'a> {
    page: &'a Page,
    t: &'static SignUpTexts,
    form: SignUpForm,
    errors: FormErrors,
    sent: bool,
}

fn sign_up_page(
    page: &Page,
    form: SignUpForm,
    errors: Vec<FieldError>,
    sent: bool,
) -> Result<String, AppError> {
    render(&SignUpPage {
        page,
        t: SignUpTexts::of(page.locale),
        form,
        errors: page.form_errors(errors),
        sent,
    })
}

async fn form(page: Page) -> HttpResponse {
    let form = SignUpForm {
        role: Role::Candidate.as_str().into(),
        ..SignUpForm::default()
    };
    let html = sign_up_page(&page, form, Vec::new(), false);
    page.respond(html)
}

async fn register(page: Page, client: ClientAddr, form: Posted<SignUpForm>) -> HttpResponse {
    let mut form = match form.accept() {
        Ok(form) => form,
        Err(e) => return page.fail(e),
    };
    let state = page.state();
    if let Err(e) = state.ip_limiter.check(client.0) {
        return page.fail(e);
    }
    let t = SignUpTexts::of(page.locale);
    let allowed = [Role::Candidate, Role::Employer];
    let role = Role::parse(&form.role).filter(|r| allowed.contains(r));
    // An unknown role is reported with the other fields' problems, not instead of them.
    let parsed = parse_account(
        &form.email,
        &form.password,
        role.unwrap_or(Role::Candidate),
        &allowed,
        &form.display_name,
        Some(page.locale.as_str()),
    );
    let mut errors = match parsed {
        Ok(account) if role.is_some() => match service::register(state, account).await {
            Ok(()) => {
                form.password.clear();
                let html = sign_up_page(&page, form, Vec::new(), true);
                return page.respond(html);
            }
            Err(e) => return page.fail(e),
        },
        Ok(_) => Vec::new(),
        Err(AppError::Validation(errors)) => errors,
        Err(e) => return page.fail(e),
    };
    if role.is_none() {
        errors.push(FieldError::new("role", t.choose_role));
    }
    // A password is never sent back into a page.
    form.password.clear();
    let html = sign_up_page(&page, form, errors, false);
    page.respond_with(StatusCode::UNPROCESSABLE_ENTITY, html)
}
