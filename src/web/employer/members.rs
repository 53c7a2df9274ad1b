//! `/employer/organisations/{id}`: an organisation's members and pending invitations, inviting
//! by email, cancelling an invitation, removing a member or leaving. Each calls the employers
//! service as the API does: members see the page (403 for others, 404 for no such employer);
//! owners see and manage invitations and remove members; every member may leave; the last owner
//! stays. The buttons shown are those the service allows.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::jobs::Button;
use super::{EmployerTexts, employer_user};
use crate::auth::AuthUser;
use crate::context::AreaContext;
use crate::employers::invitations::{self, InvitationInput};
use crate::employers::model::MemberRole;
use crate::employers::service as employers;
use crate::employers::views::EmployerView;
use crate::error::{AppError, FieldError};
use crate::web::choices::{self, Choice};
use crate::web::form::Posted;
use crate::web::page::{FormErrors, Page, encode, render};

const ROLES: [MemberRole; 2] = [MemberRole::Recruiter, MemberRole::Owner];

/// The invitation form as sent: text throughout.
#[derive(Debug, Deserialize)]
#[serde(default)]
pub(super) struct InviteForm {
    email: String,
    role: String,
}

impl Default for InviteForm {
    fn default() -> Self {
        InviteForm {
            email: String::new(),
            role: MemberRole::Recruiter.as_str().into(),
        }
    }
}

/// What the reader may do to a member: an owner removes others, anyone leaves.
enum Removal {
    Remove,
    Leave,
}

struct Member {
    user_id: String,
    name: String,
    email: String,
    role: &'static str,
    joined: String,
    removal: Option<Removal>,
}

struct Invitation {
    id: String,
    email: String,
    role: &'static str,
    sent: String,
    expires: String,
    expired: bool,
}

#[derive(Template)]
#[template(path = "web/employer/members.html")]
struct MembersPage<'a> {
    page: &'a Page,
    t: &'static EmployerTexts,
    employer: EmployerView,
    jurisdiction: String,
    owner: bool,
    members: Vec<Member>,
    invitations: Vec<Invitation>,
    roles: Vec<Choice>,
    form: InviteForm,
    errors: FormErrors,
}

fn here(id: &str) -> String {
    format!("/employer/organisations/{}", encode(id))
}

pub(super) async fn show(page: Page, id: web::Path<String>) -> HttpResponse {
    let html = match employer_user(&page) {
        Ok(user) => members_page(&page, &user, id.into_inner(), InviteForm::default(), Vec::new()).await,
        Err(e) => Err(e),
    };
    page.respond(html)
}

async fn members_page(
    page: &Page,
    user: &AuthUser,
    id: String,
    form: InviteForm,
    errors: Vec<FieldError>,
) -> Result<String, AppError> {
    let ctx = page.state();
    let t = EmployerTexts::of(page.locale);
    let employer = employers::get(ctx, user, id.clone()).await?;
    let members = invitations::members(ctx, user, id.clone()).await?;
    let owner = employer.my_role == Some(MemberRole::Owner);
    let pending = if owner {
        invitations::invitations(ctx, user, id).await?
    } else {
        Vec::new()
    };
    let owners = members.iter().filter(|m| m.role == MemberRole::Owner).count();
    let members = members
        .into_iter()
        .map(|m| {
            let removal = if m.role == MemberRole::Owner && owners <= 1 {
                None
            } else if m.user_id == user.id {
                Some(Removal::Leave)
            } else {
                owner.then_some(Removal::Remove)
            };
            Member {
                role: t.member_role(m.role),
                joined: m.joined_at.format("%Y-%m-%d").to_string(),
                removal,
                user_id: m.user_id,
                name: m.display_name,
                email: m.email,
            }
        })
        .collect();
    let invitations = pending
        .into_iter()
        .map(|i| Invitation {
            role: t.member_role(i.role),
            sent: i.created_at.format("%Y-%m-%d").to_string(),
            expires: i.expires_at.format("%Y-%m-%d").to_string(),
            expired: i.expired,
            id: i.id,
            email: i.email,
        })
        .collect();
    let roles = ROLES
        .iter()
        .map(|r| Choice {
            value: r.as_str().to_owned(),
            label: t.member_role(*r).to_owned(),
        })
        .collect();
    let registry = ctx.registry.get();
    render(&MembersPage {
        page,
        t,
        jurisdiction: choices::jurisdiction_name(&registry, page.locale, &employer.jurisdiction),
        employer,
        owner,
        members,
        invitations,
        roles,
        form,
        errors: page.form_errors(errors),
    })
}

pub(super) async fn invite(page: Page, id: web::Path<String>, form: Posted<InviteForm>) -> HttpResponse {
    let (form, user) = match form.accept().and_then(|form| Ok((form, employer_user(&page)?))) {
        Ok(both) => both,
        Err(e) => return page.fail(e),
    };
    let id = id.into_inner();
    let input = InvitationInput {
        email: form.email.trim().to_owned(),
        role: form.role.clone(),
    };
    let (status, errors) = match invitations::invite(page.state(), &user, id.clone(), input).await {
        Ok(_) => return page.redirect(&here(&id)),
        Err(AppError::Validation(problems)) => (StatusCode::UNPROCESSABLE_ENTITY, problems),
        // The one conflict: the address is a member's already.
        Err(AppError::Conflict(_)) => (
            StatusCode::CONFLICT,
            vec![FieldError::new(
                "email",
                EmployerTexts::of(page.locale).already_member,
            )],
        ),
        Err(e) => return page.fail(e),
    };
    let html = members_page(&page, &user, id, form, errors).await;
    page.respond_with(status, html)
}

pub(super) async fn cancel(
    page: Page,
    path: web::Path<(String, String)>,
    form: Posted<Button>,
) -> HttpResponse {
    let (id, invitation) = path.into_inner();
    act(page, form, async |ctx, user| {
        invitations::cancel(ctx, user, id.clone(), invitation).await?;
        Ok(here(&id))
    })
    .await
}

/// An owner removes a member, or a member leaves (and is sent to their jobs: this page is no
/// longer theirs).
pub(super) async fn remove(
    page: Page,
    path: web::Path<(String, String)>,
    form: Posted<Button>,
) -> HttpResponse {
    let (id, member) = path.into_inner();
    act(page, form, async |ctx, user| {
        let leaving = member == user.id;
        invitations::remove_member(ctx, user, id.clone(), member).await?;
        Ok(if leaving {
            "/employer/jobs".into()
        } else {
            here(&id)
        })
    })
    .await
}

/// A button's change by the signed-in employer account, then to where `change` says.
async fn act(
    page: Page,
    form: Posted<Button>,
    change: impl AsyncFnOnce(&AreaContext, &AuthUser) -> Result<String, AppError>,
) -> HttpResponse {
    let user = match form.accept().and_then(|_| employer_user(&page)) {
        Ok(user) => user,
        Err(e) => return page.fail(e),
    };
    let ctx: &AreaContext = page.state();
    match change(ctx, &user).await {
        Ok(to) => page.redirect(&to),
        Err(e) => page.fail(e),
    }
}
